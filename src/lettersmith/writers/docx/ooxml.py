"""Small helpers for building WordprocessingML elements with lxml.

Elements are made as python-docx's ``OxmlElement`` makes them (the prefix's
namespace declared on the new element), without importing python-docx.
"""
from __future__ import annotations

import re
from typing import Iterable

import functools

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NSMAP = {"w": W_NS, "r": R_NS,
         "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
         "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
         "xsi": "http://www.w3.org/2001/XMLSchema-instance",
         "xml": "http://www.w3.org/XML/1998/namespace"}


@functools.lru_cache(maxsize=None)
def qn(tag: str) -> str:
    """The Clark name of a prefixed name: ``qn("w:p")`` is ``{...main}p``."""
    prefix, _, name = tag.partition(":")
    return f"{{{NSMAP[prefix]}}}{name}"

# XML 1.0 forbids C0 controls other than tab/newline/CR, and U+FFFE/U+FFFF.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Child order of w:pPr (ECMA-376 CT_PPr), used to insert in the right place.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
             "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs",
             "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
             "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
             "suppressOverlap", "jc", "textDirection", "textAlignment",
             "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
             "pPrChange")
# Child order of w:sectPr after the header/footer references (CT_SectPr).
SECTPR_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type",
                "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType",
                "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
                "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")
# Children of w:settings that must follow w:footnotePr (CT_Settings).
SETTINGS_AFTER_NOTEPR = ("endnotePr", "compat", "docVars", "rsids", "mathPr",
                         "attachedSchema", "themeFontLang", "clrSchemeMapping",
                         "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
                         "forceUpgrade", "captions", "readModeInkLockDown",
                         "smartTagType", "schemaLibrary", "shapeDefaults",
                         "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element
       ) -> etree._Element:
    """A new element ``tag`` ("w:p") with ``w:``-prefixed attributes and children."""
    clark, nsmap = _tag(tag)
    elm = etree.Element(clark, nsmap=nsmap)
    if attrs:
        for key, value in attrs.items():
            elm.set(_qn(key), value)
    for child in children:
        elm.append(child)
    return elm


@functools.lru_cache(maxsize=None)
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    """The Clark name and namespace map of a prefixed tag, worked out once per tag
    (python-docx's ``OxmlElement`` did it for each of ~400 elements a letter)."""
    prefix = tag.partition(":")[0]
    return qn(tag), {prefix: NSMAP[prefix]}


_qn = qn


def sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None
        ) -> etree._Element:
    """Append a new child element to ``parent`` and return it.

    Made in the parent's document when the parent already declares the tag's prefix
    (the same bytes as a new element appended, without making and merging a document
    per element); else made alone and appended."""
    clark, nsmap = _tag(tag)
    child = etree.SubElement(parent, clark)
    if child.prefix not in nsmap:
        parent.remove(child)
        child = el(tag)
        parent.append(child)
    if attrs:
        for key, value in attrs.items():
            child.set(_qn(key), value)
    return child


def clean_text(text: str) -> str:
    """Text safe for XML: forbidden characters dropped, newlines made spaces."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if "\x0b" in text:  # callers split on \x0b first; any left over is dropped
        text = text.replace("\x0b", "")
    return _BAD_CHARS.sub("", text)


def text_el(text: str, tag: str = "w:t", parent: etree._Element | None = None
            ) -> etree._Element:
    """A ``w:t`` (or ``w:instrText``) keeping leading/trailing spaces (the last child
    of ``parent`` when given)."""
    t = el(tag) if parent is None else sub(parent, tag)
    t.text = text
    if text[:1].isspace() or text[-1:].isspace():
        t.set(XML_SPACE, "preserve")
    return t


def local(elm: etree._Element) -> str:
    """The local name of an element's tag."""
    return etree.QName(elm).localname


def insert_ordered(parent: etree._Element, child: etree._Element,
                   order: Iterable[str]) -> etree._Element:
    """Insert ``child`` into ``parent`` before the first sibling that must follow it.

    ``order`` lists local names in schema order; an existing child of the same
    name is replaced.
    """
    order = tuple(order)
    name = local(child)
    after = set(order[order.index(name) + 1:]) if name in order else set()
    for existing in parent:
        if not isinstance(existing.tag, str):
            continue
        if local(existing) == name and existing.tag == child.tag:
            existing.addprevious(child)
            parent.remove(existing)
            return child
    for existing in parent:
        if isinstance(existing.tag, str) and local(existing) in after:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def ppr_of(p: etree._Element) -> etree._Element:
    """The ``w:pPr`` of paragraph ``p``, created first in ``p`` when missing."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    return ppr
