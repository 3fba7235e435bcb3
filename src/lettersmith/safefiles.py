"""Reading the user's files safely: only regular files, only inside the folder
they belong to, never more than a sane size, and text that must be UTF-8.

Every reader of library files, templates, letterheads and ingested documents
goes through here, so a symlink to ``/etc/passwd``, a FIFO named ``x.md`` or
``--letterhead /dev/zero`` ends in one clear error instead of a leak or a hang.
"""
from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from .errors import LettersmithError

MAX_TEXT = 4 * 1024 * 1024  # a library file or template larger than this is not one
MAX_BINARY = 64 * 1024 * 1024  # a letterhead or a .docx to ingest


def resolved(path: str | Path) -> str:
    """``path`` made absolute with symlinks resolved, worked out once per process and
    working folder (a merge asks for the same brief and folders a thousand times)."""
    return _resolved(os.getcwd(), str(path))


@functools.lru_cache(maxsize=64)
def _resolved(cwd: str, path: str) -> str:
    return str(Path(cwd, path).resolve())


@functools.lru_cache(maxsize=64)
def _real_root(root: str) -> str:
    return os.path.join(os.path.realpath(root), "")


def inside(path: Path, root: Path, shown: str | Path, what: str) -> Path:
    """``path`` resolved; an error when it (through symlinks) leaves ``root``."""
    real = os.path.realpath(path)
    if not real.startswith(_real_root(str(root))):
        raise LettersmithError(
            f"this {what} is a link to {real}, outside the library {root}; "
            "lettersmith reads only files inside the library", file=shown,
            hint="copy the file into the library instead of linking to it")
    return Path(real)


def check_regular(path: Path, shown: str | Path, what: str, limit: int) -> os.stat_result:
    """The file's stat, after refusing devices, FIFOs, folders and huge files (nothing opened)."""
    try:
        info = os.stat(path)
    except ValueError:  # an embedded NUL byte
        raise LettersmithError(f"the {what} path holds a NUL byte", file=repr(str(path)),
                               hint="retype the path") from None
    except FileNotFoundError:
        raise LettersmithError(f"no such {what}", file=shown,
                               hint=f"check the path of the {what}") from None
    except OSError as err:
        raise LettersmithError(f"cannot read this {what}: {err.strerror}", file=shown) from None
    if not stat.S_ISREG(info.st_mode):
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a pipe (FIFO)"
                if stat.S_ISFIFO(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode)
                or stat.S_ISBLK(info.st_mode) else "not a regular file")
        raise LettersmithError(f"this {what} is {kind}, not a regular file", file=shown,
                               hint="give the path of an ordinary file")
    if info.st_size > limit:
        raise LettersmithError(
            f"this {what} is {info.st_size:,} bytes; lettersmith reads at most {limit:,}",
            file=shown, hint="is it the right file?")
    return info


def read_bytes(path: Path, shown: str | Path, what: str, limit: int = MAX_BINARY) -> bytes:
    """A regular file's bytes, read no further than ``limit`` (it may grow meanwhile)."""
    check_regular(path, shown, what, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped after the check
            raise LettersmithError(f"this {what} is not a regular file", file=shown)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise LettersmithError(f"this {what} is larger than {limit:,} bytes", file=shown)
    return data


def decode_utf8(data: bytes, shown: str | Path, what: str) -> str:
    """UTF-8 text (a leading BOM dropped); an error naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise LettersmithError(
            f"this {what} is not UTF-8 text (byte 0x{data[err.start]:02x} on line {line})",
            file=shown, line=line,
            hint="save it as UTF-8 (in most editors: Save As, encoding UTF-8)") from None


def read_text(path: Path, root: Path, shown: str | Path, what: str) -> str:
    """A text file inside ``root``: resolved, regular, bounded and UTF-8."""
    real = inside(path, root, shown, what)
    return decode_utf8(read_bytes(real, shown, what, MAX_TEXT), shown, what)


MAX_INFLATED = 256 * 1024 * 1024  # a .docx whose parts unpack to more is refused
MAX_PARTS = 5_000


def zip_parts(data: bytes, shown: str | Path, what: str) -> dict[str, bytes]:
    """Every part of a .docx (zip), after refusing bombs, DTDs and entities.

    The sizes the zip declares are checked before anything is unpacked (Python's
    zipfile never unpacks past a declared size), and every XML part is refused
    if it declares a DTD, the only way to an entity.
    """
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise LettersmithError(f"the {what} is not a Word (.docx) file (it is not a zip package)",
                               file=shown, hint="save it from Word as .docx") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_INFLATED:
            raise LettersmithError(
                f"this {what} unpacks to more than {MAX_INFLATED >> 20} MB or "
                f"{MAX_PARTS:,} parts; a letter or letterhead is far smaller", file=shown,
                hint="is it the right file? re-save it from Word")
        try:
            parts = {i.filename: archive.read(i) for i in infos if not i.is_dir()}
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as err:
            raise LettersmithError(f"this {what} is damaged: {err}", file=shown,
                                   hint="re-save it from Word as .docx") from None
    for name, blob in parts.items():
        if name.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in blob or b"<!ENTITY" in blob
                                                 or _utf16_dtd(blob)):
            raise LettersmithError(
                f"the part {name} of this {what} declares a DTD or entities, which Word "
                "files never do", file=shown, hint="re-save it from Word as .docx")
    return parts


def _utf16_dtd(blob: bytes) -> bool:
    if blob[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        return False
    text = blob.decode("utf-16", "replace")
    return "<!DOCTYPE" in text or "<!ENTITY" in text
