"""The letter's styles: which ones the writer uses and their default look.

A letterhead's own style wins when it defines one (matched by style id or by
name, case-insensitively); otherwise the definition below is added.  The same
definitions give the shipped letterheads their look (``tools/make_letterheads.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .ooxml import qn
from .opc import parse_xml
from lxml import etree

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@dataclass(frozen=True)
class StyleDef:
    kind: str  # paragraph | character
    style_id: str
    name: str
    inner: str  # the w:style children after w:name, as XML text

    def element(self) -> etree._Element:
        custom = "" if self.name[:1].islower() or self.name in _BUILTIN else ' w:customStyle="1"'
        return parse_xml(
            f'<w:style {_W} w:type="{self.kind}"{custom} w:styleId="{self.style_id}">'
            f'<w:name w:val="{self.name}"/>{self.inner}</w:style>')


_BUILTIN = {"Hyperlink", "Body Text", "Heading 1", "Heading 2", "Heading 3", "Quote"}

_PARA = '<w:basedOn w:val="Normal"/>'
_QF = '<w:uiPriority w:val="9"/><w:qFormat/>'


def _para(style_id: str, name: str, ppr: str = "", rpr: str = "",
          based: str = _PARA, nxt: str = "") -> StyleDef:
    nxt_xml = f'<w:next w:val="{nxt}"/>' if nxt else ""
    return StyleDef("paragraph", style_id, name,
                    f"{based}{nxt_xml}{_QF}"
                    + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
                    + (f"<w:rPr>{rpr}</w:rPr>" if rpr else ""))


def _char(style_id: str, name: str, rpr: str) -> StyleDef:
    return StyleDef("character", style_id, name,
                    '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>'
                    f"<w:unhideWhenUsed/><w:rPr>{rpr}</w:rPr>")


def _sp(before: int = 0, after: int = 0) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}"/>'


_KEEP = "<w:keepNext/>"
_CTX = "<w:contextualSpacing/>"

DEFS: dict[str, StyleDef] = {d.name.lower(): d for d in [
    _para("BodyText", "Body Text", _sp(0, 240)),
    _para("LetterDate", "Letter Date", _sp(0, 480)),
    _para("LetterAddress", "Letter Address", _KEEP + "<w:keepLines/>" + _sp(0, 240) + _CTX),
    _para("LetterVia", "Letter Via", _KEEP + _sp(0, 240)),
    _para("LetterSubject", "Letter Subject",
          _KEEP + _sp(0, 240) + '<w:ind w:left="720" w:hanging="720"/>',
          "<w:b/><w:bCs/>"),
    _para("LetterSalutation", "Letter Salutation", _KEEP + _sp(0, 240)),
    _para("LetterClosing", "Letter Closing", _sp(0, 240)),
    _para("LetterSignoff", "Letter Signoff", _KEEP + _sp(0, 240)),
    _para("LetterSignature", "Letter Signature", "<w:keepLines/>" + _sp(0, 0)
          + '<w:ind w:left="288" w:hanging="288"/>'),
    # no keepNext: on table rows it chains every row to the next, so the sign-off and
    # all the blocks moved to a new page together; rows are kept whole by cantSplit
    _para("LetterSignatureBlock", "Letter Signature Block", "<w:keepLines/>" + _sp(0, 0)),
    _para("LetterCC", "Letter CC", _sp(240, 0) + '<w:ind w:left="720" w:hanging="720"/>'
          + _CTX),
    _para("LetterContact", "Letter Contact", _sp(240, 240) + _CTX),
    _para("LetterList", "Letter List", _sp(0, 160)),
    _para("LetterQuote", "Letter Quote",
          _sp(0, 240) + '<w:ind w:left="720" w:right="720"/>'),
    _para("Heading1", "Heading 1", _KEEP + "<w:keepLines/>" + _sp(240, 240)
          + '<w:outlineLvl w:val="0"/>', "<w:b/><w:bCs/>", nxt="BodyText"),
    _para("Heading2", "Heading 2", _KEEP + "<w:keepLines/>" + _sp(240, 120)
          + '<w:outlineLvl w:val="1"/>', "<w:b/><w:bCs/>", nxt="BodyText"),
    _para("Heading3", "Heading 3", _KEEP + "<w:keepLines/>" + _sp(120, 120)
          + '<w:outlineLvl w:val="2"/>', "<w:b/><w:bCs/><w:i/><w:iCs/>", nxt="BodyText"),
    _para("FootnoteText", "footnote text", _sp(0, 60),
          '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
    _para("EndnoteText", "endnote text", _sp(0, 60),
          '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
    _para("CommentText", "annotation text", "", '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
    _para("Header", "header", '<w:tabs><w:tab w:val="center" w:pos="4680"/>'
          '<w:tab w:val="right" w:pos="9360"/></w:tabs>'),
    _para("Footer", "footer", '<w:tabs><w:tab w:val="center" w:pos="4680"/>'
          '<w:tab w:val="right" w:pos="9360"/></w:tabs>'),
    # the press release (lettersmith.press): its parts, restyled by a letterhead like the letter's
    _para("PressReleaseLine", "Press Release Line", _sp(0, 0) + _CTX,
          '<w:b/><w:bCs/><w:caps/><w:spacing w:val="10"/>'),
    _para("PressDate", "Press Date", _sp(0, 240)),
    _para("PressContact", "Press Contact", _sp(0, 360), '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
    _para("PressHeadline", "Press Headline", _KEEP + _sp(120, 120) + '<w:jc w:val="center"/>',
          '<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>'),
    _para("PressSubhead", "Press Subhead", _KEEP + _sp(0, 240) + '<w:jc w:val="center"/>',
          '<w:i/><w:iCs/><w:sz w:val="26"/><w:szCs w:val="26"/>'),
    _para("PressDateline", "Press Dateline", _sp(240, 240)),
    _para("PressBody", "Press Body", _sp(0, 240)),
    _para("PressAbout", "Press About", "<w:keepLines/>" + _sp(120, 60),
          '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
    _para("PressEnd", "Press End", _sp(240, 0) + '<w:jc w:val="center"/>'),
    _char("FootnoteReference", "footnote reference", '<w:vertAlign w:val="superscript"/>'),
    _char("EndnoteReference", "endnote reference", '<w:vertAlign w:val="superscript"/>'),
    _char("CommentReference", "annotation reference", '<w:sz w:val="16"/><w:szCs w:val="16"/>'),
    _char("Hyperlink", "Hyperlink", '<w:color w:val="0563C1"/><w:u w:val="single"/>'),
    _char("VerbatimChar", "Verbatim Char",
          '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>'),
]}


_INDEX: dict[int, tuple[etree._Element, dict[str, str], set[str]]] = {}


class StyleMap:
    """Resolves the writer's style names to style ids of one styles part."""

    def __init__(self, styles: etree._Element,
                 writable: Callable[[], etree._Element] | None = None,
                 shared: bool = False) -> None:
        """``styles`` is read; ``writable`` gives the element to add styles to (by default
        ``styles``).  A ``shared`` element (a cached letterhead's, never changed) is
        indexed once per process."""
        self._writable = writable or (lambda: styles)
        self._resolved: dict[str, str] = {}
        known = _INDEX.get(id(styles)) if shared else None
        if known is None:
            by_name, ids = {}, set()
            for style in styles.iterfind(qn("w:style")):
                sid = style.get(qn("w:styleId"), "")
                ids.add(sid)
                name = style.find(qn("w:name"))
                if name is not None:
                    by_name[name.get(qn("w:val"), "").lower()] = sid
            known = (styles, by_name, ids)
            if shared:
                if len(_INDEX) >= 8:
                    _INDEX.clear()
                _INDEX[id(styles)] = known  # holds the element: its id is never reused
        self._by_name: dict[str, str] = dict(known[1])
        self._ids: set[str] = set(known[2])

    @property
    def _styles(self) -> etree._Element:
        return self._writable()

    def has(self, name: str) -> bool:
        """Whether the styles part defines ``name`` (by name or id)."""
        d = DEFS.get(name.lower())
        return name.lower() in self._by_name or (d is not None and d.style_id in self._ids)

    def id(self, name: str) -> str:
        """The style id for ``name``, adding the default definition when missing."""
        key = name.lower()
        found = self._resolved.get(key)
        if found is not None:
            return found
        d = DEFS[key]
        if key in self._by_name:
            found = self._by_name[key]
        elif d.style_id in self._ids:
            found = d.style_id
        else:
            self._styles.append(d.element())
            self._ids.add(d.style_id)
            self._by_name[key] = d.style_id
            found = d.style_id
        self._resolved[key] = found
        return found

    def replace(self, name: str) -> None:
        """Put the default definition of ``name`` in place of the existing one."""
        d = DEFS[name.lower()]
        for style in self._styles.iterfind(qn("w:style")):
            if style.get(qn("w:styleId")) == d.style_id:
                self._styles.remove(style)
        self._by_name.pop(name.lower(), None)
        self._ids.discard(d.style_id)
        self._resolved.pop(name.lower(), None)
        self.id(name)
