"""A small deterministic zip writer that reuses the deflated bytes of parts it
has written before.

Most parts of a letter (styles, theme, fonts, headers and footers of the
letterhead) are the same for every letter of a merge; deflating them again for
each letter was a tenth of the time.  The cache is keyed by the part's bytes
(Python's own hash of them, kept on a bytes object: a letterhead part serialized
once is not even hashed again), so a changed part is always compressed afresh.
"""
from __future__ import annotations

import struct
import zlib
from collections import OrderedDict

_CACHE: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
_CACHE_SIZE = 64  # parts; enough for a few letterheads, bounded so memory stays flat
_SEEN: OrderedDict[int, None] = OrderedDict()  # hashes of parts deflated once: kept when seen again


def _deflate(data: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate) of ``data``, from the cache when seen before."""
    hit = _CACHE.get(data)
    if hit is not None:
        _CACHE.move_to_end(data)
        return hit
    comp = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    value = (zlib.crc32(data), comp.compress(data) + comp.flush())
    key = hash(data)
    if key in _SEEN:  # a part that recurs (styles, theme...), not one letter's text
        _CACHE[data] = value
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _SEEN[key] = None
        if len(_SEEN) > 16 * _CACHE_SIZE:
            _SEEN.popitem(last=False)
    return value


def _dos_stamp(stamp: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = stamp
    return (hour << 11 | minute << 5 | second // 2), ((year - 1980) << 9 | month << 5 | day)


def write_zip(entries: dict[str, bytes], stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """A zip of ``entries`` in order, deflated, every entry dated ``stamp``."""
    dostime, dosdate = _dos_stamp(stamp)
    out, central = bytearray(), bytearray()
    for name, data in entries.items():
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else 0x800
        crc, packed = _deflate(data)
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, dostime, dosdate,
                           crc, len(packed), len(data), len(raw), 0) + raw + packed
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x314, 20, flags, 8, dostime,
                               dosdate, crc, len(packed), len(data), len(raw), 0, 0, 0, 0,
                               0o644 << 16, offset) + raw
    start = len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                       len(central), start, 0)
    return bytes(out)
