"""Real Word list numbering for numbered asks and bulleted lists."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .ooxml import el, qn, sub
from .opc import parse_xml
from .word import RT_NUMBERING, xml_of

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_ORDERED = (("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)"))
_BULLETS = ("\u2022", "\u25e6", "\u25aa")


def _abstract(abstract_id: int, ordered: bool) -> str:
    levels = []
    for ilvl in range(3):
        if ordered:
            fmt, text = _ORDERED[ilvl]
        else:
            fmt, text = "bullet", _BULLETS[ilvl]
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>')
    return (f'<w:abstractNum {_W} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>')


class Numbering:
    """Adds one abstract definition per list kind and one ``w:num`` per list."""

    def __init__(self, word: WordDocument) -> None:
        self._word = word
        self._root = None
        self._abstract: dict[bool, int] = {}

    def _numbering(self):
        if self._root is None:
            self._root = xml_of(self._word, RT_NUMBERING)
        return self._root

    def _next_id(self, tag: str, attr: str) -> int:
        ids = [int(e.get(qn(attr), "0")) for e in self._numbering().iterfind(qn(tag))]
        return max(ids, default=0) + 1

    def new_list(self, ordered: bool, start: int = 1) -> int:
        """A fresh ``numId`` for one list (numbering restarts at ``start``)."""
        root = self._numbering()
        if ordered not in self._abstract:
            aid = self._next_id("w:abstractNum", "w:abstractNumId")
            abstract = parse_xml(_abstract(aid, ordered))
            first_num = root.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                root.append(abstract)
            self._abstract[ordered] = aid
        num_id = self._next_id("w:num", "w:numId")
        num = el("w:num", {"w:numId": str(num_id)})
        sub(num, "w:abstractNumId", {"w:val": str(self._abstract[ordered])})
        if ordered:
            override = sub(num, "w:lvlOverride", {"w:ilvl": "0"})
            sub(override, "w:startOverride", {"w:val": str(start)})
        cleanup = root.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            root.append(num)
        return num_id
