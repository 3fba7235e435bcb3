"""Page layout: page numbers from page 2, sign-on columns, signature-block tables."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import importlib.util
from pathlib import Path

from lxml import etree

from .ooxml import (PPR_ORDER, SECTPR_ORDER, W_NS, el, insert_ordered, ppr_of, qn, sub,
                    text_el)
from .opc import parse_xml
from .word import body_of, new_part, package_of

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from .context import Ctx
    from .styles import StyleMap

_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_AFTER_TITLEPG = ("textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
                  "sectPrChange")
_R_ATTRS = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed",
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link")


_UNITS = {"mm": 36000, "cm": 360000, "in": 914400, "pt": 12700, "pc": 152400, "pi": 152400}


def _emu(value: str | None) -> int:
    """A twips (or universal) measure in EMU, 0 when absent, as python-docx reads it."""
    if not value:
        return 0
    if any(c in value for c in "imp"):
        return int(round(float(value[:-2]) * _UNITS[value[-2:]]))
    return int(int(value) * 635)


def _sections(word: WordDocument) -> list[etree._Element]:
    """Every section's ``w:sectPr`` in document order (python-docx's ``sections``)."""
    body = body_of(word)
    return [e for e in body.iter(qn("w:sectPr"))
            if e.getparent() is body or e.getparent().getparent().getparent() is body]


def text_width_twips(word: WordDocument) -> int:
    """The width between the margins of the last section, in twentieths of a point."""
    sect = _sections(word)[-1]
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    width = _emu(None if size is None else size.get(qn("w:w")))
    if margins is not None:
        width -= _emu(margins.get(qn("w:left"))) + _emu(margins.get(qn("w:right")))
    return max(int(width / 635), 1440) if width else 9360


# ------------------------------------------------------------------ page numbers


def page_number_paragraph(style_id: str) -> etree._Element:
    """A centred footer paragraph holding a PAGE field."""
    p = el("w:p")
    ppr = sub(p, "w:pPr")
    sub(ppr, "w:pStyle", {"w:val": style_id})
    sub(ppr, "w:jc", {"w:val": "center"})
    for kind, instr, text in (("begin", None, None), (None, " PAGE ", None),
                              ("separate", None, None), (None, None, "2"),
                              ("end", None, None)):
        r = sub(p, "w:r")
        if kind:
            sub(r, "w:fldChar", {"w:fldCharType": kind})
        elif instr:
            r.append(text_el(instr, "w:instrText"))
        else:
            r.append(text_el(text or ""))
    return p


def _has_page_field(elm: etree._Element) -> bool:
    instr = "".join(t.text or "" for t in elm.iter(qn("w:instrText")))
    simple = [f.get(qn("w:instr"), "") for f in elm.iter(qn("w:fldSimple"))]
    return "PAGE" in instr or any("PAGE" in s for s in simple)


class _Story:
    """One header or footer of a section, as python-docx's ``_Header``/``_Footer``
    handle it: a ``w:headerReference``/``w:footerReference`` of a type to a part."""

    def __init__(self, word: WordDocument, sect: etree._Element, kind: str, which: str
                 ) -> None:
        self.word, self.sect, self.kind, self.which = word, sect, kind, which

    def _ref(self) -> etree._Element | None:
        for ref in self.sect.iterfind(qn(f"w:{self.kind}Reference")):
            if ref.get(qn("w:type")) == self.which:
                return ref
        return None

    @property
    def linked(self) -> bool:
        return self._ref() is None

    @property
    def part(self):
        ref = self._ref()
        if ref is None:
            return self.add_definition()
        return self.word.part.rels[ref.get(qn("r:id"))].target_part

    def add_definition(self):
        """A new part from python-docx's default header/footer, related and referenced."""
        word = self.word
        name = package_of(word).next_partname(f"/word/{self.kind}%d.xml")
        part = new_part(word, str(name), _CT + self.kind + "+xml",
                        element=parse_xml(_template(self.kind)))
        rid = word.part.relate_to(part, _RT + self.kind)
        ref = etree.Element(qn(f"w:{self.kind}Reference"), nsmap={"w": W_NS})
        _insert_before(self.sect, ref, SECTPR_ORDER[2:])
        ref.set(qn("w:type"), self.which)
        ref.set(qn("r:id"), rid)
        return part


def _insert_before(parent: etree._Element, child: etree._Element, successors: tuple[str, ...]
                   ) -> None:
    """Insert ``child`` before the first of ``successors`` found (tried in that order,
    as python-docx does), or at the end."""
    for name in successors:
        found = parent.find(qn(f"w:{name}"))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _template(kind: str) -> bytes:
    """python-docx's default header/footer XML (read without importing python-docx)."""
    spec = importlib.util.find_spec("docx")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(list(spec.submodule_search_locations)[0])
    return (folder / "templates" / f"default-{kind}.xml").read_bytes()


def _copy_story(src: _Story, dst: _Story) -> None:
    """Copy a header/footer's content, relating the images it uses from ``dst``."""
    src_part, dst_part = src.part, dst.part
    rid_map: dict[str, str] = {}
    for rid, rel in src_part.rels.items():
        target = rel.target_ref if rel.is_external else rel.target_part
        rid_map[rid] = dst_part.relate_to(target, rel.reltype, is_external=rel.is_external)
    dst_elm = dst_part.element
    for child in list(dst_elm):
        dst_elm.remove(child)
    for child in src_part.element:
        new = copy.deepcopy(child)
        for node in new.iter():
            for attr in _R_ATTRS:
                if node.get(attr) in rid_map:
                    node.set(attr, rid_map[node.get(attr)])
        dst_elm.append(new)


def _title_page(sect: etree._Element) -> bool:
    title = sect.find(qn("w:titlePg"))
    return title is not None and title.get(qn("w:val"), "true") not in ("0", "false", "off")


def ensure_page_numbers(word: WordDocument, styles: StyleMap) -> None:
    """Page numbers from page 2: a different first page and a PAGE field below.

    A letterhead's headers and footers are kept: a first-page header is copied
    from its default header when it had none, and only a missing page number is
    added to its default footer.  (The steps and their order are python-docx's
    section API, which this wrote through before: the same parts, rIds and bytes.)
    """
    sect = _sections(word)[0]
    if not _title_page(sect):
        title = sect.find(qn("w:titlePg"))
        if title is None:
            title = etree.Element(qn("w:titlePg"), nsmap={"w": W_NS})
            _insert_before(sect, title, _AFTER_TITLEPG)
        title.attrib.pop(qn("w:val"), None)
        for kind in ("header", "footer"):
            default, first = (_Story(word, sect, kind, "default"),
                              _Story(word, sect, kind, "first"))
            if first.linked and not default.linked:
                first.add_definition()
                _copy_story(default, first)
    first_footer = _Story(word, sect, "footer", "first")
    if first_footer.linked:
        first_footer.add_definition()
    footer = _Story(word, sect, "footer", "default")
    if footer.linked:
        elm = footer.add_definition().element
        for child in list(elm):
            elm.remove(child)
    elm = footer.part.element
    if not _has_page_field(elm):
        elm.append(page_number_paragraph(styles.id("footer")))


# ------------------------------------------------------------------ sign-on columns


def _plain_sectpr(original: etree._Element, columns: int = 1) -> etree._Element:
    """A continuous section like ``original`` without headers, footers or title page."""
    sect = copy.deepcopy(original)
    for child in list(sect):
        if etree.QName(child).localname in ("headerReference", "footerReference", "titlePg",
                                            "type", "cols", "pgNumType"):
            sect.remove(child)
    insert_ordered(sect, el("w:type", {"w:val": "continuous"}), SECTPR_ORDER)
    cols = el("w:cols", {"w:num": str(columns), "w:space": "432"} if columns > 1
              else {"w:space": "720"})
    insert_ordered(sect, cols, SECTPR_ORDER)
    return sect


def apply_column_groups(ctx: Ctx) -> None:
    """Set each long sign-on list in its own continuous section with columns."""
    body = body_of(ctx.word)
    body_sect = body.find(qn("w:sectPr"))
    if body_sect is None or not ctx.column_groups:
        return
    original = copy.deepcopy(body_sect)
    first_break = True
    ends_in_columns = False
    for group in ctx.column_groups:
        prev = group.first.getprevious()
        if group.first.getparent() is not body or prev is None or prev.tag != qn("w:p"):
            continue  # nothing to end the previous section on: stay in one column
        if ppr_of(prev).find(qn("w:sectPr")) is None:
            ending = copy.deepcopy(original) if first_break else _plain_sectpr(original)
            insert_ordered(ppr_of(prev), ending, PPR_ORDER)
        first_break = False
        columns = _plain_sectpr(original, group.columns)
        if group.last.getnext() is body_sect:
            body.replace(body_sect, columns)
            body_sect = columns
            ends_in_columns = True
        else:
            insert_ordered(ppr_of(group.last), columns, PPR_ORDER)
    if not first_break and not ends_in_columns:
        # the section after the last list: one column, headers inherited
        body.replace(body_sect, _plain_sectpr(original))


# ------------------------------------------------------------------ signature blocks


def _no_borders() -> etree._Element:
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(borders, f"w:{side}", {"w:val": "nil"})
    return borders


def signature_table(cells: list[list[etree._Element]], per_row: int, ctx: Ctx
                    ) -> list[etree._Element]:
    """Signature blocks (``/s/``, name, title) several to a row in a borderless table."""
    if not cells:
        return []
    width = text_width_twips(ctx.word)
    col = width // per_row
    tbl = el("w:tbl")
    pr = sub(tbl, "w:tblPr")
    sub(pr, "w:tblW", {"w:w": str(col * per_row), "w:type": "dxa"})
    pr.append(_no_borders())
    sub(pr, "w:tblLayout", {"w:type": "fixed"})
    mar = sub(pr, "w:tblCellMar")
    sub(mar, "w:top", {"w:w": "480", "w:type": "dxa"})
    sub(mar, "w:left", {"w:w": "0", "w:type": "dxa"})
    sub(mar, "w:right", {"w:w": "115", "w:type": "dxa"})
    sub(pr, "w:tblLook", {"w:val": "0000", "w:firstRow": "0", "w:lastRow": "0",
                          "w:firstColumn": "0", "w:lastColumn": "0", "w:noHBand": "1",
                          "w:noVBand": "1"})
    grid = sub(tbl, "w:tblGrid")
    for _ in range(per_row):
        sub(grid, "w:gridCol", {"w:w": str(col)})
    style_id = ctx.styles.id("Letter Signature Block")
    for start in range(0, len(cells), per_row):
        tr = sub(tbl, "w:tr")
        sub(sub(tr, "w:trPr"), "w:cantSplit")
        row = cells[start:start + per_row]
        for paras in row + [[] for _ in range(per_row - len(row))]:
            tc = sub(tr, "w:tc")
            tcpr = sub(tc, "w:tcPr")
            sub(tcpr, "w:tcW", {"w:w": str(col), "w:type": "dxa"})
            sub(tcpr, "w:vAlign", {"w:val": "bottom"})  # names line up under /s/
            if not paras:  # a cell must end with a paragraph
                p = el("w:p")
                sub(sub(p, "w:pPr"), "w:pStyle", {"w:val": style_id})
                paras = [p]
            tc.extend(paras)
    return [tbl]
