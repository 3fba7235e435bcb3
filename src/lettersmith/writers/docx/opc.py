"""A small OPC package layer on zipfile-free part dicts and lxml, without python-docx.

It reads a .docx's parts the way python-docx 1.2 loads them (walking the
relationship graph depth-first from the package, each part once; the Word parts
python-docx parses are parsed with the same parser options) and writes them back
the way python-docx saves them (parts in walk order, ``[Content_Types].xml``
rebuilt with sorted defaults and overrides, relationship targets relative to
the source part), so a letter written through it has the same bytes.
Importing ``docx`` costs ~100 ms of CPU, a third of a one-letter build.
"""
from __future__ import annotations

import copy
import functools
import posixpath
from typing import Any
from html import escape

from lxml import etree

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# Content types python-docx loads as XML parts (parsed, re-serialized on save).
XML_TYPES = frozenset({
    "application/vnd.openxmlformats-package.core-properties+xml",
    _WML + "comments+xml", _WML + "document.main+xml", _WML + "footer+xml",
    _WML + "header+xml", _WML + "numbering+xml", _WML + "settings+xml",
    _WML + "styles+xml",
})
# (extension, content type) pairs python-docx declares as a Default (opc/spec.py).
_IMG = "image/"
DEFAULT_TYPES = frozenset({
    ("bin", "application/vnd.openxmlformats-officedocument.presentationml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
    ("bmp", _IMG + "bmp"), ("emf", _IMG + "x-emf"), ("gif", _IMG + "gif"),
    ("fntdata", "application/x-fontdata"),
    ("jpe", _IMG + "jpeg"), ("jpeg", _IMG + "jpeg"), ("jpg", _IMG + "jpeg"),
    ("png", _IMG + "png"), ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
    ("tif", _IMG + "tiff"), ("tiff", _IMG + "tiff"),
    ("wdp", "image/vnd.ms-photo"), ("wmf", _IMG + "x-wmf"), ("xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("xml", "application/xml"),
})
PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def parse_xml(xml: bytes | str) -> etree._Element:
    """XML parsed as python-docx parses a part (blank text between tags dropped)."""
    return etree.fromstring(xml, PARSER)


class Rel:
    """One relationship: to a part, or to an external target."""

    def __init__(self, rid: str, reltype: str, target: "Part | str", external: bool,
                 base: str) -> None:
        self.rId, self.reltype, self.is_external = rid, reltype, external
        self._target, self._base = target, base

    @property
    def target_part(self) -> "Part":
        assert isinstance(self._target, Part)
        return self._target

    @property
    def target_ref(self) -> str:
        if isinstance(self._target, str):
            return self._target
        name = self._target.partname
        return name[1:] if self._base == "/" else _relpath(name, self._base)


@functools.lru_cache(maxsize=256)
def _relpath(name: str, base: str) -> str:
    """``posixpath.relpath``, worked out once per pair (every letter has the same parts)."""
    return posixpath.relpath(name, base)


class Rels(dict):
    """A source's relationships by rId, in order (python-docx's ``_Relationships``)."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def add_relationship(self, reltype: str, target: "Part | str", rId: str,
                         is_external: bool = False) -> Rel:
        self[rId] = Rel(rId, reltype, target, is_external, self.base)
        return self[rId]


class Source:
    """Something relationships start from: the package or a part."""

    partname = "/"
    element: etree._Element | None = None

    def __init__(self) -> None:
        self.rels = Rels(self.base)

    @property
    def base(self) -> str:
        return posixpath.split(self.partname)[0] if self.partname != "/" else "/"

    def add_rel(self, rid: str, reltype: str, target: "Part | str", external: bool) -> None:
        self.rels.add_relationship(reltype, target, rid, external)

    def relate_to(self, target: "Part | str", reltype: str, is_external: bool = False) -> str:
        """The rId of a relationship to ``target``, added (first free rId) if missing."""
        for rel in self.rels.values():
            if (rel.reltype == reltype and rel.is_external == is_external
                    and (rel._target == target if is_external else rel._target is target)):
                return rel.rId
        n = 1
        while f"rId{n}" in self.rels:
            n += 1
        self.add_rel(f"rId{n}", reltype, target, is_external)
        return f"rId{n}"

    def drop_rel(self, rid: str) -> None:
        """Drop relationship ``rid`` unless the part's XML refers to it twice or more
        (python-docx's rule)."""
        refs = 0
        if self.element is not None:
            refs = sum(1 for node in self.element.iter()
                       if node.get(f"{{{_R}}}id") == rid)
        if refs < 2:
            self.rels.pop(rid, None)

    def part_related_by(self, reltype: str) -> "Part":
        """The one part related by ``reltype`` (KeyError when none)."""
        for rel in self.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                return rel.target_part
        raise KeyError(reltype)


class Part(Source):
    """A part: its name, content type, and bytes or (for Word's XML parts) element."""

    _template: "Part | None" = None  # a letterhead's part this one is a copy of, until written
    _frozen = False  # a cached letterhead's part: never changed, only copied
    _frozen_blob: bytes | None = None

    def __init__(self, partname: str, content_type: str, blob: bytes = b"",
                 element: etree._Element | None = None) -> None:
        self.partname, self.content_type = partname, content_type
        super().__init__()
        self._blob, self._element = blob, element

    @property
    def element(self) -> etree._Element | None:
        """The part's XML to read and change (a letterhead's part is copied on first use)."""
        if self._template is not None:
            self._element, self._template = copy.deepcopy(self._template._element), None
        return self._element

    @element.setter
    def element(self, value: etree._Element | None) -> None:
        self._element, self._template = value, None

    def peek(self) -> etree._Element | None:
        """The part's XML, only to read: a letterhead's part is not copied for it."""
        return self._template._element if self._template is not None else self._element

    @property
    def blob(self) -> bytes:
        if self._template is not None:  # never changed: the letterhead's bytes, made once
            return self._template.blob
        if self._element is None:
            return self._blob
        if self._frozen:
            if self._frozen_blob is None:
                self._frozen_blob = etree.tostring(self._element, encoding="UTF-8",
                                                   standalone=True)
            return self._frozen_blob
        return etree.tostring(self._element, encoding="UTF-8", standalone=True)


def _rel_entries(xml: bytes | None) -> list[tuple[str, str, str, bool]]:
    if xml is None:
        return []
    root = etree.fromstring(xml)
    return [(r.get("Id", ""), r.get("Type", ""), r.get("Target", ""),
             r.get("TargetMode") == "External")
            for r in root.iterfind(f"{{{_PR}}}Relationship")]


def _rels_name(partname: str) -> str:
    folder, name = posixpath.split(partname)
    return posixpath.join(folder, "_rels", name + ".rels")[1:]


class Package(Source):
    """The parts reachable from the package relationships, as python-docx loads them."""

    def __init__(self, entries: dict[str, bytes]) -> None:
        super().__init__()
        types = etree.fromstring(entries["[Content_Types].xml"])
        defaults = {d.get("Extension", "").lower(): d.get("ContentType", "")
                    for d in types.iterfind(f"{{{_CT}}}Default")}
        overrides = {o.get("PartName", "").lower(): o.get("ContentType", "")
                     for o in types.iterfind(f"{{{_CT}}}Override")}
        self.parts: dict[str, Part] = {}

        def load(source: Source, rels_xml: bytes | None) -> None:
            for rid, reltype, target, external in _rel_entries(rels_xml):
                if external:
                    source.add_rel(rid, reltype, target, True)
                    continue
                name = posixpath.abspath(posixpath.join(source.base, target))
                part = self.parts.get(name)
                if part is None:
                    ext = posixpath.splitext(name)[1][1:].lower()
                    ctype = overrides.get(name.lower()) or defaults[ext]
                    blob = entries[name[1:]]
                    part = (Part(name, ctype, element=parse_xml(blob)) if ctype in XML_TYPES
                            else Part(name, ctype, blob))
                    self.parts[name] = part
                    load(part, entries.get(_rels_name(name)))
                source.add_rel(rid, reltype, part, False)

        load(self, entries.get("_rels/.rels"))

    def iter_parts(self) -> list[Part]:
        """Every part, depth first through the relationships (python-docx's order)."""
        found: list[Part] = []
        seen: set[int] = set()

        def walk(source: Source) -> None:
            for rel in source.rels.values():
                if rel.is_external or id(rel.target_part) in seen:
                    continue
                seen.add(id(rel.target_part))
                found.append(rel.target_part)
                walk(rel.target_part)

        walk(self)
        return found

    def freeze(self) -> None:
        """Mark every part as never to be changed (a cached letterhead): copies of the
        package copy a part's XML only when a letter first asks for it, and a part no
        letter changes (styles, footers) is serialized once."""
        for part in self.parts.values():
            part._frozen = True

    def __deepcopy__(self, memo: dict[int, Any]) -> "Package":
        """A copy whose parts a letter may change: XML parts copied by lxml (a frozen
        package's on first use), bytes shared, relationships remapped (``copy.deepcopy``
        walking every Python object took a twelfth of a merged letter's time)."""
        new = object.__new__(Package)
        memo[id(self)] = new
        new.parts = {}
        for name, part in self.parts.items():
            twin = object.__new__(Part)
            twin.partname, twin.content_type, twin._blob = name, part.content_type, part._blob
            template = part if part._frozen else part._template
            if template is not None and template._element is not None:
                twin._element, twin._template = None, template
            else:
                twin._element = None if part._element is None else copy.deepcopy(part._element)
            new.parts[name] = memo[id(part)] = twin
        for old, twin in [(self, new), *((p, new.parts[n]) for n, p in self.parts.items())]:
            twin.rels = Rels(old.rels.base)
            for rid, rel in old.rels.items():
                target = rel._target if rel.is_external else \
                    memo.get(id(rel._target)) or copy.deepcopy(rel._target, memo)
                twin.rels.add_relationship(rel.reltype, target, rid, rel.is_external)
        return new

    def next_partname(self, template: str) -> str:
        """The first ``template % n`` (n from 1) no part has."""
        names = {p.partname for p in self.iter_parts()}
        n = 1
        while template % n in names:
            n += 1
        return template % n

    def entries(self) -> dict[str, bytes]:
        """Every part as zip entries, in python-docx's order and serialization."""
        parts = self.iter_parts()
        entries = {"[Content_Types].xml": content_types_xml(parts),
                   "_rels/.rels": rels_xml(self.rels)}
        for part in parts:
            entries[part.partname[1:]] = part.blob
            if part.rels:
                entries[_rels_name(part.partname)] = rels_xml(part.rels)
        return entries


def content_types_xml(parts: list[Part]) -> bytes:
    """``[Content_Types].xml`` as python-docx writes it (sorted defaults, overrides)."""
    return _content_types(tuple((part.partname, part.content_type) for part in parts))


@functools.lru_cache(maxsize=64)
def _content_types(parts: tuple[tuple[str, str], ...]) -> bytes:
    """The part for (name, content type) pairs: the same for every letter of a merge."""
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                "xml": "application/xml"}
    overrides: dict[str, str] = {}
    for partname, content_type in parts:
        ext = posixpath.splitext(partname)[1][1:]
        if (ext.lower(), content_type) in DEFAULT_TYPES:
            defaults[ext.lower()] = content_type
        else:
            overrides[partname] = content_type
    body = "".join(f'<Default Extension="{escape(k)}" ContentType="{escape(v)}"/>'
                   for k, v in sorted(defaults.items()))
    body += "".join(f'<Override PartName="{escape(k)}" ContentType="{escape(v)}"/>'
                    for k, v in sorted(overrides.items()))
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<Types xmlns="{_CT}">{body}</Types>').encode()


def _attr(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def rels_xml(rels: Any) -> bytes:
    """A relationships part (``opc``'s or python-docx's), byte for byte as python-docx
    writes it, by string formatting (python-docx builds and serializes an element
    tree: a twentieth of a merged letter's time)."""
    items = "".join(
        f'<Relationship Id="{_attr(rel.rId)}" Type="{_attr(rel.reltype)}" '
        f'Target="{_attr(rel.target_ref)}"'
        + (' TargetMode="External"/>' if rel.is_external else "/>")
        for rel in rels.values())
    head = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<Relationships xmlns="{_PR}"')
    return (head + (f">{items}</Relationships>" if items else "/>")).encode("utf-8")
