"""The Word writer's own package layer (writers/docx/opc.py) against python-docx's.

A plain ``build -f docx`` reads and writes the letterhead package without
python-docx; ``LETTERSMITH_PYTHON_DOCX=1`` (and ``--review``) go through
python-docx.  Both must give the same bytes for every example brief and the
example merge, on both shipped letterheads, and the plain build must not import
python-docx at all.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lettersmith.writers.docx.letterhead import PYTHON_DOCX_ENV, resolve
from lettersmith.writers.docx.opc import Package
from lettersmith.writers.docx.word import lite_word

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VALIDATOR = Path("/work/shared/tools/docx-validate/validate_docx.py")
BOOK = "examples/merge/287g-agencies-EXAMPLE.xlsx"


def _lettersmith(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "lettersmith", *args],
                          cwd=cwd, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stderr


def _write_all(root: Path, out: Path, env: dict[str, str]) -> list[str]:
    """Build every example brief and the example merge on both letterheads; return
    the python-docx modules each command imported."""
    imported: list[str] = []
    for name, head in (("plain", []), ("org", ["--letterhead", "example-org"])):
        briefs = sorted(str(p.relative_to(root)) for p in (root / "examples" / "briefs").glob("*.yaml"))
        log = _lettersmith(["build", *briefs, "-f", "docx", "-o", str(out / name), *head],
                           root, env)
        log += _lettersmith(["merge", "examples/merge/sheriffs-287g.yaml", BOOK, "--join",
                             f"{BOOK}#Contacts", "-j", "1", "-o", str(out / f"merge-{name}"),
                             *head], root, env)
        imported += [line.split("|")[-1].strip() for line in log.splitlines()
                     if line.startswith("import time:")
                     and line.split("|")[-1].strip().split(".")[0] == "docx"]
    return imported


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    root = tmp_path_factory.mktemp("opc")
    shutil.copytree(REPO / "snippets", root / "snippets",
                    ignore=shutil.ignore_patterns(".lettersmith"))
    shutil.copytree(REPO / "examples", root / "examples", ignore=shutil.ignore_patterns("out"))
    env = {k: v for k, v in os.environ.items() if k != PYTHON_DOCX_ENV}
    imported = _write_all(root, root / "lite", env)
    _write_all(root, root / "python-docx", {**env, PYTHON_DOCX_ENV: "1"})
    return root / "lite", root / "python-docx", imported


def test_every_example_letter_has_python_docx_bytes(both: tuple[Path, Path, list[str]]) -> None:
    lite, reference, _ = both
    ours = sorted(p.relative_to(lite) for p in lite.rglob("*.docx"))
    theirs = sorted(p.relative_to(reference) for p in reference.rglob("*.docx"))
    assert ours == theirs and len(ours) >= 2 * (4 + 6)  # 4 briefs (+ releases), 6 rows
    different = [str(p) for p in ours if (lite / p).read_bytes() != (reference / p).read_bytes()]
    assert different == []


def test_a_plain_build_imports_no_python_docx(both: tuple[Path, Path, list[str]]) -> None:
    assert both[2] == []


def test_the_letters_pass_the_validator(both: tuple[Path, Path, list[str]]) -> None:
    if not VALIDATOR.exists():
        pytest.skip("docx-validate is not installed")
    lite = both[0]
    paths = [str(p) for p in sorted(lite.rglob("*.docx"))]
    proc = subprocess.run([sys.executable, str(VALIDATOR), *paths], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _entries(name: str) -> dict[str, bytes]:
    with zipfile.ZipFile(resolve(name)) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("name", ["default", "example-org"])
def test_an_untouched_letterhead_is_written_back_as_python_docx_writes_it(name: str) -> None:
    import docx

    from lettersmith.writers.docx.package import package_entries

    entries = _entries(name)
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"template.main+xml", b"document.main+xml")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in entries.items():
            z.writestr(n, data)
    theirs = package_entries(docx.Document(io.BytesIO(buf.getvalue())))
    assert Package(entries).entries() == theirs
    assert list(Package(entries).entries()) == list(theirs)


@pytest.mark.parametrize("missing", ["docProps/core.xml", "word/numbering.xml"])
def test_a_letterhead_missing_a_part_python_docx_makes_up_goes_through_python_docx(
        missing: str) -> None:
    entries = _entries("default")
    assert lite_word(entries) is not None
    rels = "_rels/.rels" if missing.startswith("docProps") else "word/_rels/document.xml.rels"
    target = missing.rpartition("/")[2] if rels.startswith("word") else missing
    text = entries[rels].decode()
    start = text.index(f'Target="{target}"')
    open_at = text.rindex("<Relationship ", 0, start)
    close_at = text.index("/>", start) + 2
    entries[rels] = (text[:open_at] + text[close_at:]).encode()
    del entries[missing]
    assert lite_word(entries) is None
