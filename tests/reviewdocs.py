"""Helpers for tests of reviewed .docx files: build a letter with the real command,
re-save it through LibreOffice, strip lettersmith's anchors, show note positions."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
NEW = REPO / "examples" / "briefs" / "new-letter-2026-county-287g.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(brief: Path, out: Path, *extra: str) -> Path:
    """``lettersmith build BRIEF -o OUT -f docx`` through the installed command."""
    exe = shutil.which("lettersmith")
    assert exe, "lettersmith is installed"
    proc = subprocess.run([exe, "build", str(brief), "-o", str(out), "-f", "docx", *extra],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out / f"{brief.stem}.docx"


def strip_anchors(data: bytes) -> bytes:
    """The .docx with every ``_lsb`` bookmark and the customXml parts removed, as
    when a reviewer pastes the text into a fresh document."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.startswith("customXml/"):
                continue
            blob = src.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(blob)
                ids = set()
                for mark in list(root.iter(W + "bookmarkStart")):
                    if mark.get(W + "name", "").startswith("_lsb"):
                        ids.add(mark.get(W + "id"))
                        mark.getparent().remove(mark)
                for mark in list(root.iter(W + "bookmarkEnd")):
                    if mark.get(W + "id") in ids:
                        mark.getparent().remove(mark)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            elif info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                blob = re.sub(rb"<(Relationship|Override)[^>]*customXml[^>]*/>", b"", blob)
            dst.writestr(info, blob)
    return out.getvalue()


def marked(doc, para) -> str:
    """A paragraph's text with each note mark as ``[^k]`` (k its order in the letter)."""
    return "".join(f"[^{doc._order[s.note]}]" if s.note is not None else s.text
                   for s in para.segments if s.kind != "del")


def number_notes(doc) -> None:
    """Give ``doc`` an ``_order``: note id -> its number in reading order."""
    order: dict[str, int] = {}
    for p in doc.paragraphs:
        for note in p.note_ids():
            order.setdefault(note, len(order) + 1)
    doc._order = order
