"""``lettersmith merge`` through the real command: 50 rows with two bad ones,
.xlsx and .csv, --where/--name, --jobs 2 = --jobs 1 byte for byte, the manifest,
the history (one record per letter, integrity_check after a parallel merge), and
a merged letter identical to ``build`` of the same brief for that recipient."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Iterator

import docx
import pytest
import yaml

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "basic"
VALIDATOR = HERE.parents[1] / "shared" / "tools" / "docx-validate" / "validate_docx.py"
HEADER = ["Name", "Title", "Agency", "COUNTY", "STATE", "SUPPORT TYPE", "Email", "Street", "City"]
BAD_NAME, BAD_SUPPORT = 7, 23  # 0-based data rows: spreadsheet rows 9 and 25
MODELS = ["Jail Enforcement Model", "Task Force Model", "Warrant Service Officer"]
BRIEF = """library: .
date: 2023-02-21
subject: Your 287(g) agreement
body:
  - text: We write about the {{ row["SUPPORT TYPE"] }} agreement in {{ row.county }} County.[@aclu-report]
  - argument: wso
    vars: {state: Florida}
closing: Thank you.
signatories: groups
"""


def rows() -> list[list[str]]:
    out = []
    for i in range(50):
        out.append([f"Sheriff Person{i:02d}", "Sheriff", f"County{i:02d} Sheriff's Office",
                    f"County{i:02d}", ["TX", "FL", "GA"][i % 3], MODELS[i % 3],
                    f"p{i}@example.org", f"{i} Main St", "Springfield"])
    out[BAD_NAME][0] = ""
    out[BAD_SUPPORT][5] = ""
    return out


@pytest.fixture(autouse=True, scope="module")
def _history_in_the_library() -> Iterator[None]:
    """These tests read a temporary library's own history file, so the suite's
    $LETTERSMITH_HISTORY (tests/conftest.py) is set aside while they run."""
    saved = os.environ.pop("LETTERSMITH_HISTORY", None)
    yield
    if saved is not None:
        os.environ["LETTERSMITH_HISTORY"] = saved


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("merge") / "lib"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".lettersmith", "out"))
    (root / "merge.yaml").write_text(BRIEF)
    with open(root / "people.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([HEADER] + rows())
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows():
        book.active.append([v or None for v in row])
    book.save(root / "people.xlsx")
    return root


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lettersmith", *args], cwd=cwd, capture_output=True, text=True)


def validate(path: Path) -> None:
    if VALIDATOR.exists():
        proc = subprocess.run([sys.executable, str(VALIDATOR), str(path)], capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def body_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.fixture(scope="module")
def csv_merge(library: Path) -> subprocess.CompletedProcess[str]:
    return run("merge", "merge.yaml", "people.csv", "-o", "out-csv", "--jobs", "2", cwd=library)


def test_fifty_rows_two_bad_give_48_letters_each_to_its_row(library: Path, csv_merge) -> None:
    assert csv_merge.returncode == 1
    err = csv_merge.stderr
    assert "people.csv: row 9, column Name: the recipient's name is empty" in err
    assert "people.csv: row 25, column SUPPORT TYPE: the cell is empty" in err
    assert "fill in SUPPORT TYPE in row 25" in err and "Traceback" not in err
    assert "48 letters written" in err and "2 row(s) skipped" in err
    letters = sorted((library / "out-csv").glob("*.docx"))
    assert len(letters) == 48
    expected = [r for i, r in enumerate(rows()) if i not in (BAD_NAME, BAD_SUPPORT)]
    for row in expected:
        path = library / "out-csv" / f"sheriff-person{row[0][-2:]}.docx"
        text = body_text(path)  # every letter reopens in python-docx
        office = row[2].replace("'", "\u2019")  # a typed apostrophe prints typographic
        assert f"{row[0]}\nSheriff\n{office}\n{row[7]}\nSpringfield, {row[4]}" in text
        assert f"We write about the {row[5]} agreement in {row[3]} County." in text
        assert f"Dear {row[0]}:" in text
    for path in letters[:3]:  # the validator costs ~1 s a file: a sample
        validate(path)


def test_manifest_lists_every_letter(library: Path, csv_merge) -> None:
    manifest = list(csv.DictReader(io.StringIO(
        (library / "out-csv" / "merge.csv").read_text(encoding="utf-8"))))
    assert len(manifest) == 48
    assert list(manifest[0]) == ["row", "recipient", "email", "files", "notes", "warnings"]
    assert manifest[0]["row"] == "2" and manifest[0]["recipient"] == "Sheriff Person00"
    assert manifest[0]["email"] == "p0@example.org" and int(manifest[0]["notes"]) >= 1
    written = {p.name for p in (library / "out-csv").glob("*.docx")}
    assert {m["files"] for m in manifest} == written
    assert "9" not in {m["row"] for m in manifest}


def test_history_one_record_per_letter_after_a_parallel_merge(library: Path, csv_merge) -> None:
    db = library / ".lettersmith" / "history.sqlite"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        merges = conn.execute("SELECT merge_id, COUNT(*), COUNT(DISTINCT recipient) FROM builds "
                              "WHERE merge_id != '' GROUP BY merge_id").fetchall()
        version = conn.execute("SELECT version FROM schema_version").fetchone()[0]
        letters = conn.execute("SELECT letters FROM merges WHERE id = ?", (merges[0][0],)).fetchone()
    assert [m[1:] for m in merges][:1] == [(48, 48)] and letters == (48,)
    assert version >= 2
    out = run("history", "--drafts", "--merge", merges[0][0], "--json", cwd=library)
    assert len(json.loads(out.stdout)) == 48
    assert json.loads(run("history", "--merge", merges[0][0], "--json", cwd=library).stdout) == []
    marked = run("sent", "--merge", merges[0][0], "--on", "2024-03-01", cwd=library)
    assert marked.returncode == 0 and "48 letter(s) of merge" in marked.stdout, marked.stderr
    mailed = json.loads(run("history", "--merge", merges[0][0], "--json", cwd=library).stdout)
    assert len(mailed) == 48 and len({m["recipient"] for m in mailed}) == 48


def test_xlsx_with_jobs_1_gives_the_same_bytes_as_csv_with_jobs_2(library: Path, csv_merge) -> None:
    proc = run("merge", "merge.yaml", "people.xlsx", "-o", "out-xlsx", "--jobs", "1", cwd=library)
    assert proc.returncode == 1
    assert "people.xlsx: row 9, column Name" in proc.stderr
    assert "people.xlsx: row 25, column SUPPORT TYPE" in proc.stderr
    one = sorted((library / "out-xlsx").glob("*.docx"))
    assert [p.name for p in one] == [p.name for p in sorted((library / "out-csv").glob("*.docx"))]
    for path in one:
        assert path.read_bytes() == (library / "out-csv" / path.name).read_bytes(), path.name


def test_where_and_name(library: Path) -> None:
    proc = run("merge", "merge.yaml", "people.csv", "-o", "out-where", "--where", "state=tx",
               "--where", "SUPPORT TYPE=Jail Enforcement Model", "--name", "{state}-{county}",
               "-f", "md", cwd=library)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (library / "out-where").glob("*.md"))
    assert names == [f"tx-county{i:02d}.md" for i in range(0, 50, 3) if i not in (BAD_NAME,)]
    bad = run("merge", "merge.yaml", "people.csv", "--where", "SUPORT TYPE=x", cwd=library)
    assert bad.returncode == 1 and "no column 'SUPORT TYPE'" in bad.stderr
    assert "did you mean 'SUPPORT TYPE'" in bad.stderr
    same = run("merge", "merge.yaml", "people.csv", "-o", "out-same", "--where", "state=TX",
               "--name", "{title}", "-f", "txt", cwd=library)
    assert sorted(p.name for p in (library / "out-same").glob("*.txt"))[:3] == \
        ["sheriff-10.txt", "sheriff-11.txt", "sheriff-12.txt"]


def test_a_merged_letter_is_byte_identical_to_build(library: Path, csv_merge) -> None:
    row = dict(zip(HEADER, rows()[4]))
    variables = dict(row)
    variables.update({"name": row["Name"], "title": row["Title"], "agency": row["Agency"],
                      "county": row["COUNTY"], "state": row["STATE"],
                      "support_type": row["SUPPORT TYPE"], "email": row["Email"],
                      "street": row["Street"], "city": row["City"]})
    brief = yaml.safe_load(BRIEF)
    brief["to"] = {"name": row["Name"], "title": "Sheriff", "organization": row["Agency"],
                   "email": row["Email"], "address": [row["Street"], f"Springfield, {row['STATE']}"]}
    brief["vars"] = {"row": variables}
    # The letter's build record names the brief it came from (review --apply finds it
    # there), so the one-recipient brief is built from the merge brief's own path.
    merge_brief = library / "merge.yaml"
    kept = merge_brief.read_bytes()
    try:
        merge_brief.write_text(yaml.safe_dump(brief, allow_unicode=True))
        proc = run("build", "merge.yaml", "-o", "out-build", "-f", "docx,md", cwd=library)
    finally:
        merge_brief.write_bytes(kept)
    assert proc.returncode == 0, proc.stderr
    built = (library / "out-build" / "merge.docx").read_bytes()
    assert built == (library / "out-csv" / "sheriff-person04.docx").read_bytes()


def test_edited_letter_is_never_overwritten(library: Path) -> None:
    args = ("merge", "merge.yaml", "people.csv", "-o", "out-edit", "--where", "STATE=GA", "-f", "docx")
    run(*args, cwd=library)
    target = library / "out-edit" / "sheriff-person02.docx"
    with zipfile.ZipFile(target, "a") as z:
        z.writestr("customXml/reviewer.xml", "<x/>")
    edited = target.read_bytes()
    again = run(*args, cwd=library)
    assert again.returncode == 1 and "changed since lettersmith wrote it" in again.stderr
    assert "row 4:" in again.stderr and target.read_bytes() == edited
    forced = run(*args, "--force", cwd=library)
    assert forced.returncode == 1  # row 25 (GA) still has an empty SUPPORT TYPE
    assert (library / "out-edit" / "sheriff-person02.edited-1.docx").read_bytes() == edited


def test_yaml_list_library_recipients_zip_and_no_progress_bar_off_a_terminal(library: Path) -> None:
    (library / "people.yaml").write_text(
        "- {name: Ann Lee, title: Sheriff, county: Travis, support type: Task Force Model}\n"
        "- {name: Bo Diaz, county: Harris, support type: Jail Enforcement Model,"
        " address: [1 Main St, 'Houston, TX 77002']}\n")
    proc = run("merge", "merge.yaml", "people.yaml", "-o", "out-yaml", "--zip", "-f", "md",
               cwd=library)
    assert proc.returncode == 0, proc.stderr
    assert "letters" not in proc.stderr.split("2 letters written")[0]  # no bar when piped
    md = (library / "out-yaml" / "bo-diaz.md").read_text()
    assert "Bo Diaz\\\n1 Main St\\\nHouston, TX 77002" in md
    with zipfile.ZipFile(library / "out-yaml" / "merge-merge.zip") as z:
        assert sorted(z.namelist()) == ["ann-lee.md", "bo-diaz.md", "merge.csv"]
    (library / "recipients-brief.yaml").write_text(BRIEF.replace("{{ row[\"SUPPORT TYPE\"] }}", "")
                                                   .replace("{{ row.county }}", "your"))
    lib = run("merge", "recipients-brief.yaml", "sources", "-o", "out-lib", "-f", "md", cwd=library)
    wrong = run("merge", "recipients-brief.yaml", "sourcez", cwd=library)
    assert wrong.returncode == 1 and "did you mean 'sources'" in wrong.stderr
    assert lib.returncode == 0, lib.stderr
    assert (library / "out-lib" / "merge.csv").exists()


def test_concurrent_records_of_the_same_letter_store_it_once(tmp_path: Path) -> None:
    from lettersmith import history

    record = history.Record({"brief": "/b.yaml", "letter_date": "2024-01-01", "recipient_id": "",
                             "recipient": "X", "subject": "S", "merge_id": ""},
                            [("source", "a", "h")], ["/out/b.docx"], "fp")
    history.connect(tmp_path).close()
    threads = [threading.Thread(target=history.record_letters, args=(tmp_path, [record]))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with sqlite3.connect(history.db_path(tmp_path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM builds").fetchone() == (1,)
        assert conn.execute("SELECT COUNT(*) FROM used").fetchone() == (1,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_check_reports_bad_rows_and_writes_nothing(library: Path) -> None:
    proc = run("merge", "merge.yaml", "people.csv", "--check", "-o", "out-check", cwd=library)
    assert proc.returncode == 1
    assert "people.csv: row 25, column SUPPORT TYPE" in proc.stderr
    assert "48 letters would be written; nothing was" in proc.stderr
    assert not (library / "out-check").exists()


def test_bad_command_lines(library: Path) -> None:
    bad_map = run("merge", "merge.yaml", "people.csv", "--map", "nmae=Agency", cwd=library)
    assert bad_map.returncode == 1 and "did you mean 'name'" in bad_map.stderr
    missing = run("merge", "merge.yaml", "nobody.csv", cwd=library)
    assert missing.returncode == 1 and "nobody.csv: no such recipients file" in missing.stderr
    none = run("merge", "merge.yaml", "people.csv", "--where", "STATE=ZZ", cwd=library)
    assert none.returncode == 1 and "no row to write a letter for matches --where" in none.stderr


def test_shipped_example_joins_contacts_and_makes_pdfs_in_one_libreoffice_run(tmp_path: Path) -> None:
    """The 287(g) example: agencies sheet + contacts sheet, one letter a sheriff."""
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        pytest.skip("needs LibreOffice and poppler")
    repo = HERE.parent
    shutil.copytree(repo / "snippets", tmp_path / "snippets")
    shutil.copytree(repo / "examples" / "merge", tmp_path / "examples" / "merge")
    book = "examples/merge/287g-agencies-EXAMPLE.xlsx"
    proc = run("merge", "examples/merge/sheriffs-287g.yaml", book, "--join", f"{book}#Contacts",
               "--name", "{state}-{county}", "-f", "docx,pdf", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    assert [p.stem for p in pdfs] == ["fl-placeholder-county", "fl-specimen-county",
                                      "ga-illustration-county", "nc-demo-county",
                                      "tx-example-county", "tx-sample-county"]
    text = subprocess.run(["pdftotext", "-layout", str(pdfs[0]), "-"], capture_output=True,
                          text=True).stdout
    assert "Casey Placeholder" in text and "Dear Sheriff Placeholder:" in text
    assert "Warrant Service Officer" in text
    assert not list((tmp_path / "out").glob(".lettersmith-pdf-*"))  # staging removed
    validate(tmp_path / "out" / "tx-sample-county.docx")


def test_a_history_file_from_before_versions_is_migrated(tmp_path: Path) -> None:
    """A v1 history (no schema_version, no merge_id, a letter recorded twice) opens as
    the current version with the duplicate folded into one record."""
    from lettersmith import history

    path = history.db_path(tmp_path)
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.executescript(history.MIGRATIONS[1])
        for n in (1, 2):
            conn.execute("INSERT INTO builds (built_at, brief, letter_date, recipient_id, "
                         "recipient, subject, outputs, fingerprint) VALUES "
                         f"('2024-01-0{n}', '/b.yaml', '2024-01-01', '', 'X', 'S', '[]', 'fp')")
    conn = history.connect(tmp_path)
    assert conn is not None
    with conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone() == \
            (history.SCHEMA_VERSION,)
        assert conn.execute("SELECT built_at, merge_id FROM builds").fetchall() == \
            [("2024-01-02", "")]
    conn.close()
