"""A reviewer's edits to a .docx, written as Word writes them, with lxml: tracked
insertions and deletions (body and notes), untracked rewrites, a new paragraph
with a new footnote, a deleted block, comments (resolved through
commentsExtended.xml).  Used by the review tests; no tests are collected here."""
from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class Reviewer:
    """Open a built .docx, edit it the way a reviewer does, save it elsewhere."""

    def __init__(self, path: Path, author: str = "Ana Reviewer", date: str = "2026-03-05T10:00:00Z"):
        with zipfile.ZipFile(path) as z:
            self.parts = {name: z.read(name) for name in z.namelist()}
        self.doc = etree.fromstring(self.parts["word/document.xml"])
        self.notes_part = "word/footnotes.xml" if "word/footnotes.xml" in self.parts else "word/endnotes.xml"
        self.notes = etree.fromstring(self.parts[self.notes_part])
        self.author, self.date = author, date
        self.next_id = 9000
        self.comments: list[tuple[str, str, str, str, bool]] = []  # id, author, date, text, done

    # ---------------------------------------------------------------- finding

    def block(self, n: int) -> etree._Element:
        """The body paragraph where bookmark ``_lsb<n>`` starts."""
        mark = self.doc.find(f".//{w('bookmarkStart')}[@{w('name')}='_lsb{n}']")
        assert mark is not None, f"_lsb{n}"
        return mark.getparent()

    def footnote(self, note_id: str) -> etree._Element:
        note = self.notes.find(f"{w('footnote')}[@{w('id')}='{note_id}']")
        assert note is not None, note_id
        return note

    def footnote_with(self, text: str) -> etree._Element:
        """The footnote whose text holds ``text`` (ids change when LibreOffice re-saves)."""
        for note in self.notes.iter(w("footnote")):
            if text in "".join(t.text or "" for t in note.iter(w("t"))):
                return note
        raise AssertionError(f"no footnote holds {text!r}")

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    @staticmethod
    def _split(container: etree._Element, text: str) -> etree._Element:
        """The run holding exactly ``text``, split out of the run it is in."""
        for run in container.iter(w("r")):
            t = run.find(w("t"))
            if t is None or t.text is None or text not in t.text:
                continue
            start = t.text.index(text)
            before, after = t.text[:start], t.text[start + len(text):]
            parent, at = run.getparent(), run.getparent().index(run)
            pieces = []
            for piece in (before, text, after):
                if piece:
                    clone = copy.deepcopy(run)
                    clone.find(w("t")).text = piece
                    clone.find(w("t")).set(XML_SPACE, "preserve")
                    pieces.append((piece, clone))
            parent.remove(run)
            for offset, (_, clone) in enumerate(pieces):
                parent.insert(at + offset, clone)
            return next(clone for piece, clone in pieces if piece == text)
        raise AssertionError(f"no run holds {text!r}")

    def _mark(self, tag: str) -> etree._Element:
        el = etree.Element(w(tag))
        el.set(w("id"), self._id())
        el.set(w("author"), self.author)
        el.set(w("date"), self.date)
        return el

    # ---------------------------------------------------------------- edits

    def insert(self, container: etree._Element, after: str, text: str) -> None:
        """A tracked insertion of ``text`` right after ``after``."""
        run = self._split(container, after)
        ins = self._mark("ins")
        new = copy.deepcopy(run)
        new.find(w("t")).text = text
        ins.append(new)
        run.addnext(ins)

    def delete(self, container: etree._Element, text: str) -> None:
        """A tracked deletion of ``text``."""
        run = self._split(container, text)
        t = run.find(w("t"))
        t.tag = w("delText")
        deleted = self._mark("del")
        run.addprevious(deleted)
        deleted.append(run)

    def rewrite(self, container: etree._Element, old: str, new: str) -> None:
        """An untracked edit: ``old`` becomes ``new`` with no trace."""
        for t in container.iter(w("t")):
            if t.text and old in t.text:
                t.text = t.text.replace(old, new)
                return
        raise AssertionError(f"no text {old!r}")

    def remove(self, paragraph: etree._Element) -> None:
        """Delete a paragraph untracked, with the footnotes it refers to."""
        for ref in paragraph.iter(w("footnoteReference")):
            note = self.footnote(ref.get(w("id")))
            note.getparent().remove(note)
        paragraph.getparent().remove(paragraph)

    def add_paragraph(self, after: etree._Element, text: str, note: str) -> None:
        """A new body paragraph (untracked) ending with a new footnote."""
        ids = [int(n.get(w("id"))) for n in self.notes.iter(w("footnote"))]
        note_id = str(max(ids) + 1)
        p = etree.SubElement(etree.Element("x"), w("p"))
        p_pr = etree.SubElement(p, w("pPr"))
        etree.SubElement(p_pr, w("pStyle")).set(w("val"), "BodyText")
        run = etree.SubElement(p, w("r"))
        t = etree.SubElement(run, w("t"))
        t.text = text
        ref_run = etree.SubElement(p, w("r"))
        etree.SubElement(etree.SubElement(ref_run, w("rPr")), w("rStyle")).set(w("val"), "FootnoteReference")
        etree.SubElement(ref_run, w("footnoteReference")).set(w("id"), note_id)
        after.addnext(p)
        footnote = etree.SubElement(self.notes, w("footnote"))
        footnote.set(w("id"), note_id)
        np = etree.SubElement(footnote, w("p"))
        etree.SubElement(etree.SubElement(np, w("pPr")), w("pStyle")).set(w("val"), "FootnoteText")
        mark = etree.SubElement(np, w("r"))
        etree.SubElement(etree.SubElement(mark, w("rPr")), w("rStyle")).set(w("val"), "FootnoteReference")
        etree.SubElement(mark, w("footnoteRef"))
        body = etree.SubElement(np, w("r"))
        bt = etree.SubElement(body, w("t"))
        bt.text = " " + note
        bt.set(XML_SPACE, "preserve")

    def comment(self, paragraph: etree._Element, anchor: str, text: str, *, author: str,
                date: str, resolved: bool = False) -> None:
        """A comment on the words ``anchor`` of ``paragraph``."""
        cid = str(len(self.comments))
        run = self._split(paragraph, anchor)
        start = etree.Element(w("commentRangeStart"))
        start.set(w("id"), cid)
        end = etree.Element(w("commentRangeEnd"))
        end.set(w("id"), cid)
        run.addprevious(start)
        run.addnext(end)
        ref = etree.Element(w("r"))
        etree.SubElement(ref, w("commentReference")).set(w("id"), cid)
        end.addnext(ref)
        self.comments.append((cid, author, date, text, resolved))

    # ---------------------------------------------------------------- saving

    def _comment_parts(self) -> None:
        if not self.comments:
            return
        root = etree.Element(w("comments"), nsmap={"w": W, "w14": W14, "mc": MC})
        root.set(f"{{{MC}}}Ignorable", "w14")
        extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
        for cid, author, date, text, done in self.comments:
            c = etree.SubElement(root, w("comment"))
            c.set(w("id"), cid)
            c.set(w("author"), author)
            c.set(w("date"), date)
            c.set(w("initials"), "".join(x[0] for x in author.split()))
            p = etree.SubElement(c, w("p"))
            para_id = f"{0x10000000 + int(cid):08X}"
            p.set(f"{{{W14}}}paraId", para_id)
            p.set(f"{{{W14}}}textId", "77777777")
            etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
            ex = etree.SubElement(extended, f"{{{W15}}}commentEx")
            ex.set(f"{{{W15}}}paraId", para_id)
            ex.set(f"{{{W15}}}done", "1" if done else "0")
        self.parts["word/comments.xml"] = etree.tostring(root, xml_declaration=True,
                                                         encoding="UTF-8", standalone=True)
        self.parts["word/commentsExtended.xml"] = etree.tostring(
            extended, xml_declaration=True, encoding="UTF-8", standalone=True)
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        for n, (kind, target) in enumerate((
                ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
                 "comments.xml"),
                ("http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
                 "commentsExtended.xml"))):
            rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
            rel.set("Id", f"rIdReview{n}")
            rel.set("Type", kind)
            rel.set("Target", target)
        self.parts["word/_rels/document.xml.rels"] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        types = etree.fromstring(self.parts["[Content_Types].xml"])
        for part, kind in (("/word/comments.xml", "comments"),
                           ("/word/commentsExtended.xml", "commentsExtended")):
            override = etree.SubElement(types, f"{{{CT}}}Override")
            override.set("PartName", part)
            override.set("ContentType",
                         f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml")
        self.parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True,
                                                           encoding="UTF-8", standalone=True)

    def save(self, path: Path) -> Path:
        self._comment_parts()
        self.parts["word/document.xml"] = etree.tostring(self.doc, xml_declaration=True,
                                                         encoding="UTF-8", standalone=True)
        self.parts[self.notes_part] = etree.tostring(self.notes, xml_declaration=True,
                                                          encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.parts.items():
                z.writestr(name, data)
        return path
