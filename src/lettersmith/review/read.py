"""Any .docx into a :class:`ReviewedDoc`: body paragraphs in order (inside tables
and content controls too) as segments with their tracked changes, note marks,
footnotes and endnotes, comments with replies and resolved state, the ``_lsb<n>``
block bookmarks and lettersmith's build record when the file still has them.

Works on lettersmith's own files, LibreOffice re-saves, Word edits and text pasted
into a fresh document; anything else is a LettersmithError naming the file.
"""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .model import BuildRecord, RComment, ReviewedDoc, RNote, RPara, Segment
from .ooxml import Package, w
from .record import RECORD_NAMESPACE, record_from_json

_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_BLOCK_MARK = re.compile(r"^_lsb(\d{1,6})$")
_INS = (w("ins"), w("moveTo"))
_DEL = (w("del"), w("moveFrom"))
_WRAPPERS = (w("hyperlink"), w("smartTag"), w("customXml"), w("fldSimple"), w("dir"),
             w("bdo"))
_NOTE_REFS = {w("footnoteReference"): "footnote", w("endnoteReference"): "endnote"}
_TEXT = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-",
         w("softHyphen"): ""}
Change = tuple[str, str, str]  # (kind, author, date)


class _Reader:
    """One pass over a package; the walker state spans body, notes and comments."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.open: set[str] = set()  # comment ranges open here
        self.anchor: dict[str, list[str]] = {}
        self.touched: dict[str, set[int]] = {}
        self.marks: dict[str, int] = {}  # bookmark w:id -> block n
        self.starts: dict[int, int] = {}  # block n -> first paragraph
        self.ends: dict[int, int] = {}  # block n -> last paragraph
        self.para: int | None = None  # the body paragraph being read
        self.next_para = 0
        self.endnote_prefix = ""

    # ---------------------------------------------------------------- markers

    def _marker(self, elm: etree._Element) -> None:
        tag = elm.tag
        cid = str(elm.get(w("id"), ""))
        where = self.para if self.para is not None else None
        if tag == w("commentRangeStart"):
            self.open.add(cid)
            self.anchor.setdefault(cid, [])
            self.touched.setdefault(cid, set())
            if where is not None:
                self.touched[cid].add(where)
        elif tag == w("commentRangeEnd"):
            self.open.discard(cid)
        elif tag == w("bookmarkStart"):
            match = _BLOCK_MARK.match(str(elm.get(w("name"), "")))
            if match:
                n = int(match.group(1))
                self.marks[cid] = n
                self.starts.setdefault(n, where if where is not None else self.next_para)
        elif tag == w("bookmarkEnd") and cid in self.marks:
            n = self.marks.pop(cid)
            self.ends[n] = where if where is not None else self.next_para - 1

    def _text(self, segs: list[Segment], text: str, change: Change,
              note: str | None = None) -> None:
        kind, author, date = change
        if text or note is not None:
            segs.append(Segment(kind, text, author, date, note))
        if text and kind != "del":
            for cid in self.open:
                self.anchor[cid].append(text)
                if self.para is not None:
                    self.touched[cid].add(self.para)

    # ---------------------------------------------------------------- inline

    def content(self, node: etree._Element, segs: list[Segment], change: Change) -> None:
        """The runs (and what wraps them) of a paragraph, in order."""
        for child in node:
            tag = child.tag
            if tag == w("r"):
                self.run(child, segs, change)
            elif tag in _INS or tag in _DEL:
                kind = "ins" if tag in _INS else "del"
                self.content(child, segs, (kind, str(child.get(w("author"), "")),
                                           str(child.get(w("date"), ""))))
            elif tag in _WRAPPERS:
                self.content(child, segs, change)
            elif tag == w("sdt"):
                inner = child.find(w("sdtContent"))
                if inner is not None:
                    self.content(inner, segs, change)
            else:
                self._marker(child)

    def run(self, r: etree._Element, segs: list[Segment], change: Change) -> None:
        for child in r:
            tag = child.tag
            if tag in (w("t"), w("delText")):
                self._text(segs, child.text or "", change)
            elif tag in _TEXT:
                if tag == w("br") and child.get(w("type")) in ("page", "column"):
                    continue
                self._text(segs, _TEXT[tag], change)
            elif tag in _NOTE_REFS:
                prefix = self.endnote_prefix if _NOTE_REFS[tag] == "endnote" else ""
                self._text(segs, "", change, note=prefix + str(child.get(w("id"), "")))

    # ---------------------------------------------------------------- blocks

    def body(self, node: etree._Element, out: list[RPara], styles: dict[str, str]) -> None:
        """Paragraphs in document order, through tables and block content controls."""
        for child in node:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child, out, styles)
            elif tag == w("sdt"):
                inner = child.find(w("sdtContent"))
                if inner is not None:
                    self.body(inner, out, styles)
            elif tag in (w("tbl"), w("tr"), w("tc"), w("customXml"), w("sdtContent")) \
                    or tag in _INS or tag in _DEL:
                self.body(child, out, styles)
            else:
                self._marker(child)

    def paragraph(self, p: etree._Element, out: list[RPara], styles: dict[str, str]) -> None:
        index = len(out)
        self.para = index
        self.next_para = index + 1
        for cid in self.open:
            self.touched[cid].add(index)
        style_id = p.find(f"{w('pPr')}/{w('pStyle')}")
        sid = str(style_id.get(w("val"), "")) if style_id is not None else ""
        segs: list[Segment] = []
        self.content(p, segs, ("same", "", ""))
        out.append(RPara(index, styles.get(sid, sid), _merge(segs)))
        self.para = None

    def note_segments(self, note: etree._Element) -> list[Segment]:
        """A footnote's or endnote's text (paragraphs joined by a newline, the
        number mark and the space after it left out)."""
        segs: list[Segment] = []
        for i, p in enumerate(note.iter(w("p"))):
            if i:
                segs.append(Segment("same", "\n"))
            self.content(p, segs, ("same", "", ""))
        while segs and not segs[0].text.strip() and segs[0].note is None:
            segs.pop(0)
        if segs:
            segs[0].text = segs[0].text.lstrip()
        return _merge(segs)


def _merge(segs: list[Segment]) -> list[Segment]:
    """Neighbouring segments of the same kind and change joined."""
    out: list[Segment] = []
    for seg in segs:
        last = out[-1] if out else None
        if last is not None and seg.note is None and last.note is None and \
                (last.kind, last.author, last.date) == (seg.kind, seg.author, seg.date):
            last.text += seg.text
        else:
            out.append(Segment(seg.kind, seg.text, seg.author, seg.date, seg.note))
    return out


def _styles(pkg: Package, part: str | None) -> dict[str, str]:
    root = pkg.xml(part) if part else None
    if root is None:
        return {}
    out = {}
    for style in root.iter(w("style")):
        name = style.find(w("name"))
        sid = str(style.get(w("styleId"), ""))
        out[sid] = str(name.get(w("val"), sid)) if name is not None else sid
    return out


def _notes(reader: _Reader, pkg: Package, part: str | None, kind: str, prefix: str
           ) -> dict[str, RNote]:
    root = pkg.xml(part) if part else None
    out: dict[str, RNote] = {}
    if root is None:
        return out
    for note in root.iter(w(kind)):
        if note.get(w("type")) not in (None, "normal"):
            continue  # separators
        nid = prefix + str(note.get(w("id"), ""))
        out[nid] = RNote(nid, reader.note_segments(note))
    return out


def _comments(reader: _Reader, pkg: Package, related: dict[str, str]) -> list[RComment]:
    root = pkg.xml(related["comments"]) if "comments" in related else None
    if root is None:
        return []
    extended = next((name for kind, name in related.items()
                     if kind.endswith("commentsExtended")), None)
    done: dict[str, bool] = {}
    parent_of: dict[str, str] = {}
    ext = pkg.xml(extended) if extended else None
    if ext is not None:
        for item in ext.iter(f"{{{_W15}}}commentEx"):
            pid = str(item.get(f"{{{_W15}}}paraId", ""))
            done[pid] = item.get(f"{{{_W15}}}done") in ("1", "true", "on")
            if item.get(f"{{{_W15}}}paraIdParent"):
                parent_of[pid] = str(item.get(f"{{{_W15}}}paraIdParent"))
    by_para: dict[str, RComment] = {}
    comments: list[tuple[RComment, str]] = []
    for elm in root.iter(w("comment")):
        cid = str(elm.get(w("id"), ""))
        paras = list(elm.iter(w("p")))
        text = "\n".join("".join(s.text for s in reader.note_segments(p) if s.kind != "del")
                         for p in paras)
        comment = RComment(cid, str(elm.get(w("author"), "")), str(elm.get(w("date"), "")),
                           text.strip(), "".join(reader.anchor.get(cid, [])),
                           sorted(reader.touched.get(cid, set())))
        pid = str(paras[-1].get(f"{{{_W14}}}paraId", "")) if paras else ""
        comment.resolved = done.get(pid, False)
        if pid:
            by_para[pid] = comment
        comments.append((comment, pid))
    top: list[RComment] = []
    for comment, pid in comments:
        parent = by_para.get(parent_of.get(pid, ""))
        if parent is not None and parent is not comment:
            parent.replies.append(comment)
        else:
            top.append(comment)
    return top


def _record(pkg: Package, main: str) -> BuildRecord | None:
    names = pkg.all_related(main, "customXml") or sorted(
        n for n in pkg.names if re.fullmatch(r"customXml/item\d+\.xml", n))
    for name in names:
        root = pkg.xml(name)
        if root is not None and root.tag == f"{{{RECORD_NAMESPACE}}}lettersmith":
            return record_from_json(root.text or "", file=pkg.path)
    return None


def read_reviewed(path: Path | str) -> ReviewedDoc:
    """Read any .docx; see the module docstring."""
    with Package(path) as pkg:
        return _read(pkg, path)


def _read(pkg: Package, path: Path | str) -> ReviewedDoc:
    main = pkg.main_part()
    root = pkg.xml(main)
    body = root.find(w("body")) if root is not None else None
    if body is None:
        raise pkg.error(f"the document part {main} has no body")
    related = pkg.related(main)
    reader = _Reader(pkg)
    notes = _notes(reader, pkg, related.get("footnotes"), "footnote", "")
    reader.endnote_prefix = "e" if notes else ""
    notes.update(_notes(reader, pkg, related.get("endnotes"), "endnote", reader.endnote_prefix))
    reader.open.clear()
    paragraphs: list[RPara] = []
    reader.body(body, paragraphs, _styles(pkg, related.get("styles")))
    doc = ReviewedDoc(str(path), _record(pkg, main), paragraphs, notes)
    reader.open.clear()
    doc.comments = _comments(reader, pkg, related)
    for n, first in reader.starts.items():
        last = reader.ends.get(n, first)
        if paragraphs and first <= last:
            doc.bookmarks[n] = (max(first, 0), min(last, len(paragraphs) - 1))
    return doc
