"""Every writer gets the same numbered notes: the Word file, read back by pandoc,
has the notes of the Markdown file, in the same order; every .docx is valid."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lettersmith.build import build_letter
from lettersmith.output import render

HERE = Path(__file__).parent
VALIDATOR = HERE.parents[1] / "shared" / "tools" / "docx-validate" / "validate_docx.py"
BRIEFS = sorted((HERE / "golden" / "cases").glob("*.yaml")) + [HERE / "fixtures/basic/brief.yaml"]
EXAMPLES = sorted((HERE.parent / "examples" / "briefs").glob("*.yaml"))


def pandoc_notes(data: bytes, fmt: str) -> list[str]:
    """The notes pandoc finds, as plain text, in order."""
    pypandoc = pytest.importorskip("pypandoc")
    source = data.decode("utf-8") if fmt != "docx" else None
    args = ["--wrap=none"]
    if fmt == "docx":
        import tempfile
        with tempfile.NamedTemporaryFile(suffix=".docx") as handle:
            handle.write(data)
            handle.flush()
            text = pypandoc.convert_file(handle.name, "plain", format="docx", extra_args=args)
    else:
        text = pypandoc.convert_text(source, "plain", format="markdown-smart", extra_args=args)
    notes = re.findall(r"^\[(\d+)\] (.*)$", text, flags=re.M)
    return [body.strip() for _, body in notes]


def validate(data: bytes, tmp_path: Path) -> None:
    if not VALIDATOR.exists():
        return
    path = tmp_path / "letter.docx"
    path.write_bytes(data)
    result = subprocess.run([sys.executable, str(VALIDATOR), "--no-warnings", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("brief", BRIEFS + EXAMPLES, ids=[b.stem for b in BRIEFS + EXAMPLES])
def test_docx_and_md_have_the_same_notes(brief: Path, tmp_path: Path) -> None:
    doc = build_letter(brief).doc
    docx = render(doc, "docx")
    md = render(doc, "md")
    validate(docx, tmp_path)
    import docx as python_docx
    reopened = python_docx.Document(io.BytesIO(docx))
    assert reopened.paragraphs, "python-docx reopens the file"
    from_word = pandoc_notes(docx, "docx")
    from_md = pandoc_notes(md, "md")
    assert len(from_md) == len(doc.notes)
    assert from_word == from_md


@pytest.mark.parametrize("brief", [HERE / "golden/cases/endnotes-lower-roman.yaml"])
def test_endnotes_are_real_endnotes(brief: Path) -> None:
    import zipfile
    docx = render(build_letter(brief).doc, "docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        document = z.read("word/document.xml").decode()
        endnotes = z.read("word/endnotes.xml").decode()
    assert document.count("<w:endnoteReference") == 5
    assert "lowerRoman" in document
    assert endnotes.count("<w:endnoteRef/>") == 5
    assert "NOTEREF" in endnotes, "supra note i is a cross-reference field"
