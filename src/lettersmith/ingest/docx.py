"""Word files: body paragraphs with real footnote and endnote references, and the
notes' texts from ``word/footnotes.xml`` and ``word/endnotes.xml``.  Parts are
read through the review reader's safe :class:`Package` (no DTDs or entities, a
cap on inflated size, every problem a LettersmithError naming the file)."""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..review.ooxml import Package
from . import RawDoc, RawNote

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CONTAINERS = {W + t for t in ("ins", "moveTo", "smartTag", "sdt", "sdtContent", "fldSimple",
                               "customXml")}


def _rels(archive: Package, part: str) -> dict[str, str]:
    """Relationship id -> target of one part (hyperlink URLs)."""
    name = part.rsplit("/", 1)
    root = archive.xml(f"{name[0]}/_rels/{name[1]}.rels")
    if root is None:
        return {}
    return {r.get("Id"): r.get("Target") for r in root.iter(PKG_REL + "Relationship")}


def _italic(run: etree._Element) -> bool:
    flag = run.find(f"{W}rPr/{W}i")
    return flag is not None and flag.get(W + "val") not in ("0", "false")


def paragraph_text(p: etree._Element, rels: dict[str, str]) -> str:
    """A paragraph's text; note references as ``[^f<id>]``/``[^e<id>]``, italics as ``*...*``."""
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            if child.tag == W + "r":
                text = ""
                for node in child:
                    if node.tag == W + "t":
                        text += node.text or ""
                    elif node.tag == W + "tab":
                        text += " "
                    elif node.tag in (W + "br", W + "cr"):
                        text += "\n"
                    elif node.tag == W + "footnoteReference":
                        text += f"[^f{node.get(W + 'id')}]"
                    elif node.tag == W + "endnoteReference":
                        text += f"[^e{node.get(W + 'id')}]"
                if text.strip() and _italic(child) and "[^" not in text:
                    lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.S).groups()  # type: ignore[union-attr]
                    text = f"{lead}*{core}*{trail}"
                out.append(text)
            elif child.tag == W + "hyperlink":
                start = len(out)
                walk(child)
                url = rels.get(child.get(R + "id") or "", "")
                shown = "".join(out[start:])
                if url and url not in shown:
                    out.append(f" {url}")
            elif child.tag in _CONTAINERS:
                walk(child)

    walk(p)
    return re.sub(r"\*(\s*)\*", r"\1", "".join(out))


def _bullets(archive: Package) -> set[tuple[str, str]]:
    """(numId, ilvl) pairs whose list is bulleted, from ``word/numbering.xml``."""
    root = archive.xml("word/numbering.xml")
    if root is None:
        return set()
    abstract = {a.get(W + "abstractNumId"): {lvl.get(W + "ilvl") for lvl in a.iter(W + "lvl")
                                             if lvl.find(f"{W}numFmt[@{W}val='bullet']") is not None}
                for a in root.iter(W + "abstractNum")}
    out = set()
    for num in root.iter(W + "num"):
        ref = num.find(W + "abstractNumId")
        for level in abstract.get(ref.get(W + "val") if ref is not None else None, set()):
            out.add((num.get(W + "numId"), level))
    return out


def list_number(p: etree._Element, bullets: set[tuple[str, str]]) -> bool:
    """Whether ``p`` is an item of a numbered (not bulleted) Word list."""
    num = p.find(f"{W}pPr/{W}numPr")
    if num is None:
        return False
    num_id = num.find(W + "numId")
    level = num.find(W + "ilvl")
    key = (num_id.get(W + "val") if num_id is not None else None,
           level.get(W + "val") if level is not None else "0")
    return key[0] not in (None, "0") and key not in bullets


def tracked_changes(roots: list[etree._Element | None]) -> dict[str, int]:
    """How many tracked insertions, deletions and moves the body and notes hold."""
    counts = {"insertions": 0, "deletions": 0, "moves": 0}
    for root in roots:
        if root is None:
            continue
        counts["insertions"] += sum(1 for e in root.iter(W + "ins") if e.find(W + "r") is not None)
        counts["deletions"] += sum(1 for e in root.iter(W + "del") if e.find(W + "r") is not None)
        counts["moves"] += sum(1 for _ in root.iter(W + "moveTo"))
    return {k: v for k, v in counts.items() if v}


def _notes(archive: Package, part: str, tag: str, roots: list[etree._Element | None]
           ) -> dict[str, str]:
    root = archive.xml(part)
    roots.append(root)
    if root is None:
        return {}
    rels = _rels(archive, part)
    out = {}
    for note in root.iter(W + tag):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(paragraph_text(p, rels).replace("\n", " ").strip()
                        for p in note.iter(W + "p"))
        out[note.get(W + "id")] = " ".join(text.split())
    return out


def read_docx(path: Path) -> RawDoc:
    """Paragraphs of the main document, each footnote/endnote numbered by first reference."""
    with Package(path) as archive:
        main = archive.main_part()
        body = archive.xml(main)
        if body is None:
            raise archive.error(f"the document part {main} is missing")
        rels = _rels(archive, main)
        roots = [body]
        texts = {"f": _notes(archive, "word/footnotes.xml", "footnote", roots),
                 "e": _notes(archive, "word/endnotes.xml", "endnote", roots)}
        settings = (archive.read("word/settings.xml") or b"").decode("utf-8", "replace")
        bullets = _bullets(archive)
        tracked = tracked_changes(roots)
    paragraphs = []
    counter = 0
    for p in body.iter(W + "p"):
        if p.getparent() is None or p.getparent().tag == W + "txbxContent":
            continue
        text = paragraph_text(p, rels)
        counter = counter + 1 if list_number(p, bullets) else 0
        paragraphs.append(f"{counter}. {text.strip()}" if counter and text.strip() else text)
    numbers: dict[str, int] = {}
    notes: dict[int, RawNote] = {}

    def renumber(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            text = texts[key[0]].get(key[1:], "")
            notes[numbers[key]] = RawNote(numbers[key], str(numbers[key]), text)
        return f"[^{numbers[key]}]"

    paragraphs = [line for p in paragraphs for line in
                  re.sub(r"\[\^([fe]-?\d+)\]", renumber, p).split("\n")]  # a line break ends a line
    numbering = "arabic"
    if texts["e"] and not texts["f"]:
        fmt = re.search(r"<w:endnotePr>.*?<w:numFmt w:val=\"(\w+)\"", settings, re.S)
        numbering = {"lowerRoman": "lower-roman", "upperRoman": "upper-roman"}.get(
            fmt.group(1) if fmt else "lowerRoman", "arabic")
    raw = RawDoc(path, [p.strip() for p in paragraphs if p.strip()], notes, numbering)
    raw.tracked = tracked
    return raw
