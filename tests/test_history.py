"""Build history: ``lettersmith build`` records, ``lettersmith history`` answers."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "basic"


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".lettersmith", "out"))
    (root / "other.yaml").write_text(
        "to: {name: Sheriff Jones, title: Sheriff}\ndate: 2024-01-05\nsubject: Local\n"
        "body:\n  - text: Only text.[@miroff-2020]\n")
    return root


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lettersmith", *args], cwd=cwd, capture_output=True, text=True)


def test_build_records_what_went_out(library: Path) -> None:
    assert run("build", "brief.yaml", "-f", "md,txt", cwd=library).returncode == 0
    db = library / ".lettersmith" / "history.sqlite"
    with sqlite3.connect(db) as conn:
        (brief, date, rid, outputs), = conn.execute(
            "SELECT brief, letter_date, recipient_id, outputs FROM builds")
        used = dict(((k, i), h) for k, i, h in conn.execute("SELECT kind, item_id, hash FROM used"))
    assert brief == str(library / "brief.yaml") and date == "2023-02-21" and rid == "secretary"
    assert [Path(p).name for p in json.loads(outputs)] == ["brief.md", "brief.txt"]
    assert {("argument", "wso"), ("quote", "leap-end-now"), ("fact", "agencies-2023"),
            ("source", "gonzalez-9th"), ("recipient", "secretary"),
            ("signatories", "groups")} <= set(used)
    assert all(len(h) == 12 for h in used.values())


def test_rebuild_is_one_record_and_a_change_is_another(library: Path) -> None:
    for _ in range(2):
        run("build", "brief.yaml", "-f", "md", cwd=library)
    out = run("history", "--json", cwd=library)
    assert len(json.loads(out.stdout)) == 1
    wso = library / "snippets" / "wso.md"
    wso.write_text(wso.read_text().replace("Officers in", "Sheriffs in"))
    run("build", "brief.yaml", "-f", "md", cwd=library)
    records = json.loads(run("history", "--json", cwd=library).stdout)
    assert len(records) == 2
    hashes = {dict(map(tuple, r["items"]["argument"]))["wso"] for r in records}
    assert len(hashes) == 2  # the argument's text differed between the two letters


def test_history_filters(library: Path) -> None:
    run("build", "brief.yaml", "other.yaml", "-f", "md", cwd=library)
    everything = run("history", cwd=library)
    assert everything.returncode == 0
    assert everything.stdout.index("2024-01-05") < everything.stdout.index("2023-02-21")
    to_sec = run("history", "--recipient", "secretary", cwd=library).stdout
    assert "2023-02-21  to The Honorable Alejandro Mayorkas [secretary]  \u2014 End 287(g)" in to_sec
    assert "Sheriff Jones" not in to_sec
    assert "Sheriff Jones" in run("history", "--recipient", "jones", cwd=library).stdout
    used_wso = run("history", "--snippet", "wso", cwd=library).stdout
    assert "used argument wso (text " in used_wso and "Sheriff" not in used_wso
    miroff = run("history", "--snippet", "miroff-2020", cwd=library).stdout
    assert "Sheriff Jones" in miroff and "Mayorkas" in miroff


def test_empty_history(library: Path) -> None:
    result = run("history", cwd=library)
    assert result.returncode == 0 and "no letters recorded" in result.stdout


def test_unwritable_history_does_not_fail_the_build(library: Path) -> None:
    (library / ".lettersmith").write_text("a file where the folder should be")
    result = run("build", "brief.yaml", "-f", "md", cwd=library)
    assert result.returncode == 0
    assert "not recorded in the history" in result.stderr
