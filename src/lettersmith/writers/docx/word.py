"""The letter's Word package as the writer sees it, without python-docx.

``LiteWord`` stands where python-docx's ``Document`` stood: its ``part`` is the
main document part (``opc.Part``), with the same ``rels``, ``relate_to`` and
``drop_rel`` as python-docx's parts, so the writer works on either.  The helpers
below reach the document's XML parts through the relationships, as python-docx
does.  ``CoreProperties`` sets ``docProps/core.xml`` exactly as python-docx 1.2 sets
it.  A ``build --review`` still uses python-docx (its comments API).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from lxml import etree

from . import opc
from .ooxml import NSMAP, qn

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_STYLES, RT_SETTINGS, RT_NUMBERING = _RT + "styles", _RT + "settings", _RT + "numbering"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
RT_HEADER, RT_FOOTER, RT_HYPERLINK = _RT + "header", _RT + "footer", _RT + "hyperlink"
RT_FOOTNOTES, RT_ENDNOTES = _RT + "footnotes", _RT + "endnotes"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_RT_DOC = _RT + "officeDocument"


class CoreProperties:
    """``docProps/core.xml`` with python-docx's setters (text in place or appended)."""

    _TAGS = {"title": "dc:title", "subject": "dc:subject", "author": "dc:creator",
             "last_modified_by": "cp:lastModifiedBy", "keywords": "cp:keywords",
             "comments": "dc:description", "category": "cp:category",
             "revision": "cp:revision", "created": "dcterms:created",
             "modified": "dcterms:modified"}

    def __init__(self, element: etree._Element) -> None:
        object.__setattr__(self, "_elm", element)

    def _get_or_add(self, tag: str) -> etree._Element:
        found = self._elm.find(qn(tag))
        if found is None:
            prefix = tag.partition(":")[0]
            found = etree.Element(qn(tag), nsmap={prefix: NSMAP[prefix]})
            self._elm.append(found)
        return found

    def __getattr__(self, name: str) -> Any:
        found = self._elm.find(qn(self._TAGS[name]))
        return "" if found is None or found.text is None else found.text

    def __setattr__(self, name: str, value: Any) -> None:
        tag = self._TAGS[name]
        if isinstance(value, dt.datetime):
            node = self._get_or_add(tag)
            node.text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
            self._elm.set(qn("xsi:foo"), "bar")  # declares xsi on the root, as python-docx
            node.set(qn("xsi:type"), "dcterms:W3CDTF")
            del self._elm.attrib[qn("xsi:foo")]
            return
        text = str(value)
        if len(text) > 255:
            raise ValueError("exceeded 255 char limit for property")
        self._get_or_add(tag).text = text


class LiteWord:
    """A letterhead's package opened by ``opc``: ``part`` is its document part."""

    def __init__(self, package: opc.Package) -> None:
        self.package = package
        self.part = package.part_related_by(_RT_DOC)

    @property
    def core_properties(self) -> CoreProperties:
        return CoreProperties(self.package.part_related_by(RT_CORE).element)


def lite_word(entries: dict[str, bytes]) -> LiteWord | None:
    """The package opened without python-docx, or None when it lacks a part python-docx
    would make up (styles, settings, numbering, core properties) or a body section:
    such a letterhead goes through python-docx."""
    package = opc.Package(entries)
    try:
        word = LiteWord(package)
        if word.part.content_type != _MAIN:
            return None
        for reltype in (RT_STYLES, RT_SETTINGS, RT_NUMBERING):
            if word.part.part_related_by(reltype).element is None:
                return None
        if package.part_related_by(RT_CORE).element is None:
            return None
    except KeyError:
        return None
    body = word.part.element.find(qn("w:body"))
    if body is None or body.find(qn("w:sectPr")) is None:
        return None
    return word


def is_lite(word: Any) -> bool:
    return isinstance(word, LiteWord)


def package_of(word: Any) -> Any:
    """The package (``opc.Package`` or python-docx's) the document part belongs to."""
    return word.package if is_lite(word) else word.part.package


def body_of(word: Any) -> etree._Element:
    """The document's ``w:body``."""
    return word.part.element.find(qn("w:body"))


def xml_of(word: Any, reltype: str) -> etree._Element:
    """The root element of the document part's related styles/settings/numbering part."""
    if is_lite(word):
        return word.part.part_related_by(reltype).element
    if reltype == RT_STYLES:
        return word.styles.element
    if reltype == RT_SETTINGS:
        return word.settings.element
    return word.part.numbering_part.element


def new_part(word: Any, partname: str, content_type: str, blob: bytes = b"",
             element: etree._Element | None = None) -> Any:
    """A new part of the letter's package (python-docx's kind when it is python-docx's)."""
    if is_lite(word):
        return opc.Part(partname, content_type, blob, element)
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part, XmlPart
    package = word.part.package
    if element is not None:
        return XmlPart(PackURI(partname), content_type, element, package)
    return Part(PackURI(partname), content_type, blob, package)


def is_xml_part(part: Any) -> bool:
    """True for a part held as parsed XML (python-docx's ``XmlPart``)."""
    return part.peek() is not None if isinstance(part, opc.Part) else hasattr(part, "_element")


def styles_to_read(word: Any) -> tuple[etree._Element, Callable[[], etree._Element], bool]:
    """The styles part's XML to read, a function giving it to change, and whether the
    XML read is a cached letterhead's (never changed): most letters only read the
    styles, which are then neither copied nor serialized again."""
    if is_lite(word):
        part = word.part.part_related_by(RT_STYLES)
        return part.peek(), lambda: part.element, part.peek() is not part._element
    element = xml_of(word, RT_STYLES)
    return element, lambda: element, False
