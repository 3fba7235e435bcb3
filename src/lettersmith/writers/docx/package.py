"""The finished file: document properties, a content hash inside it, stable bytes.

The hash covers every part except ``docProps/custom.xml`` (which holds it), so a
file lettersmith wrote can be recognised later and any change detected.  Zip
entries get a fixed timestamp, so the same letter gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import posixpath
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from html import escape

from lxml import etree

from .opc import rels_xml
from .zipout import write_zip

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

HASH_PROPERTY = "lettersmith-hash"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_RT_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_DEFAULT_CUSTOM = "docProps/custom.xml"


def letter_datetime(meta: dict[str, object]) -> dt.datetime:
    """The letter's date as a UTC datetime (noon), or today when it has none."""
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, 12)
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
            return dt.datetime(day.year, day.month, day.day, 12)
        except ValueError:
            pass
    today = dt.date.today()
    return dt.datetime(today.year, today.month, today.day, 12)


CORE_LIMIT = 255  # characters python-docx (and Word's core properties) hold
ZIP_LAST_YEAR = 2107  # the last year a zip entry's DOS timestamp can hold


def fit_core(text: str) -> str:
    """A core property value cut to 255 characters at a comma or space, with "…".

    The whole value (all of a long letter's tags) stays in the custom property
    ``lettersmith-keywords`` (see :func:`finalize`)."""
    if len(text) <= CORE_LIMIT:
        return text
    cut = text[:CORE_LIMIT - 1]
    for sep in (", ", " "):
        if sep in cut:
            cut = cut[:cut.rindex(sep)]
            break
    return cut + "\u2026"


def set_core_properties(word: WordDocument, meta: dict[str, object], when: dt.datetime) -> None:
    """Title (the subject), author, subject, keywords and dates from ``meta``."""
    props = word.core_properties
    title = str(meta.get("title") or meta.get("subject") or "")
    props.title = title
    props.subject = str(meta.get("subject") or title)
    author = meta.get("author") or ""
    props.author = str(author)
    props.last_modified_by = str(author)
    keywords = meta.get("keywords") or []
    if isinstance(keywords, (list, tuple, set)):
        keywords = ", ".join(str(k) for k in keywords)
    props.keywords = fit_core(str(keywords))
    props.title = fit_core(props.title)
    props.subject = fit_core(props.subject)
    props.author = fit_core(props.author)
    props.last_modified_by = fit_core(props.last_modified_by)
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = when
    props.modified = when


# ------------------------------------------------------------------ the hash


def content_hash(entries: dict[str, bytes], skip: str) -> str:
    """SHA-256 over every part name and content except ``skip``."""
    digest = hashlib.sha256()
    for name in sorted(entries):
        if name == skip:
            continue
        data = entries[name]
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)  # the same digest as of the joined bytes, without copying them
    return digest.hexdigest()


def _custom_part_name(entries: dict[str, bytes]) -> str | None:
    rels = entries.get("_rels/.rels")
    return None if rels is None else _custom_target(rels)


@functools.lru_cache(maxsize=16)
def _custom_target(rels: bytes) -> str | None:
    """The custom properties part the package relationships name (the same bytes for
    every letter of a merge: parsed once)."""
    for rel in etree.fromstring(rels).iterfind(f"{{{_PR}}}Relationship"):
        if rel.get("Type") == _RT_CUSTOM and rel.get("TargetMode") != "External":
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return None


_V2 = "v2:"  # the hash covers the other custom properties too


def _custom_xml(existing: bytes | None, value: str, extra: dict[str, str] | None = None) -> bytes:
    """Custom properties with ``lettersmith-hash`` set to ``value`` (others kept).

    ``extra`` sets text properties (e.g. the full keywords) before the hash."""
    extra = extra or {}
    props = [(name, inner) for name, inner in (_kept_properties(existing) if existing else ())
             if name not in extra]  # (name, inner xml)
    props.extend((k, f"<vt:lpwstr>{escape(v, quote=False)}</vt:lpwstr>") for k, v in extra.items())
    props.append((HASH_PROPERTY, f"<vt:lpwstr>{escape(value, quote=False)}</vt:lpwstr>"))
    body = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name)}">{inner}</property>'
        for pid, (name, inner) in enumerate(props, start=2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_CP}" xmlns:vt="{_VT}">{body}</Properties>').encode()


@functools.lru_cache(maxsize=16)
def _kept_properties(existing: bytes) -> tuple[tuple[str, str], ...]:
    """(name, inner xml) of every custom property but the hash (parsed once per text)."""
    return tuple((prop.get("name", ""), etree.tostring(prop[0], encoding="unicode"))
                 for prop in _parse(existing)
                 if prop.get("name", "") != HASH_PROPERTY and len(prop))


def _add_custom_part(entries: dict[str, bytes]) -> str:
    """Relate and declare a new ``docProps/custom.xml``; return its name."""
    rels = etree.fromstring(entries["_rels/.rels"])
    ids = {r.get("Id") for r in rels}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    etree.SubElement(rels, f"{{{_PR}}}Relationship", Id=f"rId{n}", Type=_RT_CUSTOM,
                     Target=_DEFAULT_CUSTOM)
    entries["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                            standalone=True)
    types = etree.fromstring(entries["[Content_Types].xml"])
    etree.SubElement(types, f"{{{_CT}}}Override", PartName="/" + _DEFAULT_CUSTOM,
                     ContentType=_CT_CUSTOM)
    entries["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True,
                                                    encoding="UTF-8", standalone=True)
    return _DEFAULT_CUSTOM


def package_entries(word: WordDocument) -> dict[str, bytes]:
    """Every part of the package as zip entries, in the order python-docx writes
    them, without zipping (the package is zipped once, in ``finalize``)."""
    from .word import LiteWord

    if isinstance(word, LiteWord):
        return word.package.entries()
    from docx.opc.pkgwriter import _ContentTypesItem

    package = word.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    entries = {"[Content_Types].xml": _ContentTypesItem.from_parts(parts).blob,
               "_rels/.rels": rels_xml(package.rels)}
    for part in parts:
        entries[part.partname[1:]] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri[1:]] = rels_xml(part.rels)
    return entries


def _parse(xml: bytes) -> etree._Element:
    """A part's XML, refusing DTDs and entities (nothing is fetched or expanded)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    root = etree.fromstring(xml, parser)
    if root.getroottree().docinfo.doctype:
        raise etree.XMLSyntaxError("a DTD is not allowed", None, 0, 0)  # type: ignore[call-arg]
    return root


def _signed_hash(entries: dict[str, bytes], custom: str) -> str:
    """The hash of every part, the custom properties included (without the hash itself)."""
    parts = dict(entries)
    parts[custom] = _custom_xml(entries.get(custom), "")
    return _V2 + content_hash(parts, "")


def finalize(entries: dict[str, bytes], when: dt.datetime, keywords: str = "") -> bytes:
    """Record the content hash inside the package and zip it with fixed timestamps.

    ``keywords`` longer than a core property holds are kept whole in the custom
    property ``lettersmith-keywords``; the hash covers every custom property."""
    entries = dict(entries)
    custom = _custom_part_name(entries) or _add_custom_part(entries)
    if len(keywords) > CORE_LIMIT:
        entries[custom] = _custom_xml(entries.get(custom), "", {"lettersmith-keywords": keywords})
    entries[custom] = _custom_xml(entries.get(custom), _signed_hash(entries, custom))
    year = min(max(when.year, 1980), ZIP_LAST_YEAR)  # a zip timestamp holds 1980-2107
    stamp = (year, when.month, when.day, when.hour, when.minute, when.second)
    names = ["[Content_Types].xml"] + [n for n in entries if n != "[Content_Types].xml"]
    return write_zip({name: entries[name] for name in names}, stamp)


def recorded_hash(entries: dict[str, bytes]) -> tuple[str | None, str | None]:
    """(the hash lettersmith recorded, the custom part's name), or Nones."""
    custom = _custom_part_name(entries)
    if custom is None or custom not in entries:
        return None, custom
    try:
        root = _parse(entries[custom])
    except etree.XMLSyntaxError:
        return None, custom
    for prop in root:
        if prop.get("name") == HASH_PROPERTY and len(prop):
            return (prop[0].text or "").strip(), custom
    return None, custom


def docx_was_edited(path: Path) -> bool:
    """True when ``path`` is not exactly the .docx lettersmith wrote there.

    A missing file is not edited (False).  A file without lettersmith's hash,
    an unreadable file, or one whose parts no longer match the hash is edited
    (True), so lettersmith never overwrites someone else's work.
    """
    path = Path(path)
    if not path.exists():
        return False
    from lettersmith.errors import LettersmithError
    from lettersmith.safefiles import read_bytes, zip_parts
    try:
        entries = zip_parts(read_bytes(path, path, ".docx"), path, ".docx")
    except (OSError, LettersmithError):
        return True
    recorded, custom = recorded_hash(entries)
    if not recorded or custom is None:
        return True
    if recorded.startswith(_V2):
        return _signed_hash(entries, custom) != recorded
    # written before the hash covered custom properties: those must hold only the hash
    return content_hash(entries, custom) != recorded or any(
        p.get("name") != HASH_PROPERTY for p in _parse(entries[custom]))
