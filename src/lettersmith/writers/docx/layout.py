"""Page layout: page numbers from page 2, sign-on columns, signature-block tables."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from lxml import etree

from .ooxml import PPR_ORDER, SECTPR_ORDER, el, insert_ordered, ppr_of, sub, text_el

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.section import _BaseHeaderFooter

    from .context import Ctx
    from .styles import StyleMap

_R_ATTRS = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed",
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link")


def text_width_twips(word: WordDocument) -> int:
    """The width between the margins of the last section, in twentieths of a point."""
    section = word.sections[-1]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
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


def _has_page_field(hdrftr: _BaseHeaderFooter) -> bool:
    elm = hdrftr._element
    instr = "".join(t.text or "" for t in elm.iter(qn("w:instrText")))
    simple = [f.get(qn("w:instr"), "") for f in elm.iter(qn("w:fldSimple"))]
    return "PAGE" in instr or any("PAGE" in s for s in simple)


def _copy_story(src: _BaseHeaderFooter, dst: _BaseHeaderFooter) -> None:
    """Copy a header/footer's content, relating the images it uses from ``dst``."""
    src_part, dst_part = src.part, dst.part
    rid_map: dict[str, str] = {}
    for rid, rel in src_part.rels.items():
        target = rel.target_ref if rel.is_external else rel.target_part
        rid_map[rid] = dst_part.relate_to(target, rel.reltype, is_external=rel.is_external)
    dst_elm = dst._element
    for child in list(dst_elm):
        dst_elm.remove(child)
    for child in src._element:
        new = copy.deepcopy(child)
        for node in new.iter():
            for attr in _R_ATTRS:
                if node.get(attr) in rid_map:
                    node.set(attr, rid_map[node.get(attr)])
        dst_elm.append(new)


def ensure_page_numbers(word: WordDocument, styles: StyleMap) -> None:
    """Page numbers from page 2: a different first page and a PAGE field below.

    A letterhead's headers and footers are kept: a first-page header is copied
    from its default header when it had none, and only a missing page number is
    added to its default footer.
    """
    section = word.sections[0]
    if not section.different_first_page_header_footer:
        section.different_first_page_header_footer = True
        for default, first in ((section.header, section.first_page_header),
                               (section.footer, section.first_page_footer)):
            if first.is_linked_to_previous and not default.is_linked_to_previous:
                first.is_linked_to_previous = False
                _copy_story(default, first)
    if section.first_page_footer.is_linked_to_previous:
        section.first_page_footer.is_linked_to_previous = False
    footer = section.footer
    if footer.is_linked_to_previous:
        footer.is_linked_to_previous = False
        elm = footer._element
        for child in list(elm):
            elm.remove(child)
    if not _has_page_field(footer):
        footer._element.append(page_number_paragraph(styles.id("footer")))


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
    body = ctx.word.element.body
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
