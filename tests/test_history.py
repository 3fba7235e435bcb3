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
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LETTERSMITH_HISTORY")  # a tmp copy: its own .lettersmith/ is the point
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
    out = run("history", "--drafts", "--json", cwd=library)
    assert len(json.loads(out.stdout)) == 1
    wso = library / "snippets" / "wso.md"
    wso.write_text(wso.read_text().replace("Officers in", "Sheriffs in"))
    run("build", "brief.yaml", "-f", "md", cwd=library)
    records = json.loads(run("history", "--drafts", "--json", cwd=library).stdout)
    assert len(records) == 2
    hashes = {dict(map(tuple, r["items"]["argument"]))["wso"] for r in records}
    assert len(hashes) == 2  # the argument's text differed between the two letters


def test_history_filters(library: Path) -> None:
    run("build", "brief.yaml", "other.yaml", "-f", "md", cwd=library)
    for brief in ("brief.yaml", "other.yaml"):
        assert run("sent", brief, "--on", "2024-02-01", cwd=library).returncode == 0
    everything = run("history", cwd=library)
    assert everything.returncode == 0
    assert everything.stdout.index("dated 2024-01-05") < everything.stdout.index("dated 2023-02-21")
    to_sec = run("history", "--recipient", "secretary", cwd=library).stdout
    assert "2024-02-01  sent to The Honorable Alejandro Mayorkas [secretary]  \u2014 End 287(g)" in to_sec
    assert "Sheriff Jones" not in to_sec
    assert "Sheriff Jones" in run("history", "--recipient", "jones", cwd=library).stdout
    used_wso = run("history", "--snippet", "wso", cwd=library).stdout
    assert "used argument wso (text " in used_wso and "Sheriff" not in used_wso
    miroff = run("history", "--snippet", "miroff-2020", cwd=library).stdout
    assert "Sheriff Jones" in miroff and "Mayorkas" in miroff


def test_empty_history(library: Path) -> None:
    result = run("history", cwd=library)
    assert result.returncode == 0 and "no letters recorded" in result.stdout


def test_drafts_are_not_sent_until_marked(library: Path) -> None:
    """Builds are drafts; 'sent' marks the one that went out, 'history' lists only those."""
    for subject in ("End 287(g)", "End 287(g) now", "End 287(g) now"):  # two drafts
        brief = library / "brief.yaml"
        brief.write_text(brief.read_text().replace("subject: End 287(g)\n", f"subject: {subject}\n")
                         .replace("subject: End 287(g) now\n", f"subject: {subject}\n"))
        assert run("build", "brief.yaml", "-f", "docx", cwd=library).returncode == 0
    none = run("history", cwd=library)
    assert "no letters marked sent" in none.stdout and "2 build(s) recorded" in none.stdout
    drafts = run("history", "--drafts", cwd=library).stdout
    assert drafts.count(" built to ") == 2 and "#1  " in drafts and "#2  " in drafts
    marked = run("sent", "out/brief.docx", "--on", "2023-02-22", cwd=library)
    assert marked.returncode == 0, marked.stderr
    assert "#1  2023-02-22  sent to The Honorable Alejandro Mayorkas [secretary]" in marked.stdout
    again = run("sent", "out/brief.docx", "--on", "2023-02-22", cwd=library)  # idempotent
    cc = run("sent", "brief.yaml", "--to", "Tae Johnson", "--on", "2023-02-23", cwd=library)
    assert again.returncode == 0 and cc.returncode == 0
    shown = run("history", cwd=library).stdout
    assert shown.count(" sent to ") == 2 and "End 287(g) now" in shown
    assert shown.index("2023-02-23  sent to Tae Johnson") < shown.index("2023-02-22")
    lines = run("history", "--drafts", cwd=library).stdout.splitlines()
    assert "(sent)" in next(line for line in lines if line.startswith("#2 "))  # the latest build
    show = run("snippets", "show", "wso", cwd=library).stdout.split("Sent:")[1]
    assert show.count("brief.yaml") == 2  # once per letter sent, never per draft
    removed = run("history", "remove", "2", cwd=library)
    assert removed.returncode == 0 and "removed sent letter #2" in removed.stdout
    assert run("history", cwd=library).stdout.count(" sent to ") == 1
    gone = run("history", "remove", "--draft", "1", cwd=library)
    assert gone.returncode == 0
    assert run("history", "--drafts", "--json", cwd=library).stdout.count('"brief"') == 1


def test_sent_mistakes_are_one_message(library: Path) -> None:
    run("build", "brief.yaml", "-f", "md", cwd=library)
    unbuilt = run("sent", "other.yaml", cwd=library)
    assert unbuilt.returncode == 1 and "no build of this file is recorded" in unbuilt.stderr
    typo = run("sent", "brief.yaml", "--to", "secretery-x", cwd=library)
    assert typo.returncode == 1 and "did you mean 'secretary'" in typo.stderr
    bad_day = run("sent", "brief.yaml", "--on", "22/02/2023", cwd=library)
    assert bad_day.returncode == 2
    missing = run("history", "remove", "9", cwd=library)
    assert missing.returncode == 1 and "there is no sent letter #9" in missing.stderr
    assert "Traceback" not in unbuilt.stderr + typo.stderr + missing.stderr


def test_history_override_keeps_the_library_clean(library: Path, tmp_path: Path) -> None:
    import os
    elsewhere = tmp_path / "elsewhere.sqlite"
    env = {**os.environ, "LETTERSMITH_HISTORY": str(elsewhere)}
    done = subprocess.run(["lettersmith", "build", "brief.yaml", "-f", "md"], cwd=library,
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0 and elsewhere.exists()
    assert not (library / ".lettersmith").exists()


def test_unwritable_history_does_not_fail_the_build(library: Path) -> None:
    (library / ".lettersmith").write_text("a file where the folder should be")
    result = run("build", "brief.yaml", "-f", "md", cwd=library)
    assert result.returncode == 0
    assert "not recorded in the history" in result.stderr


def _open_at_once(path: str, barrier, results) -> None:  # a child process
    import os

    os.environ["LETTERSMITH_HISTORY"] = path
    from lettersmith import history
    from lettersmith.errors import LettersmithError

    barrier.wait()
    try:
        history.connect(Path(".")).close()
        results.put("ok")
    except LettersmithError as err:
        results.put(str(err))


def test_processes_opening_a_new_history_at_once_all_get_it(tmp_path: Path) -> None:
    """Merge workers open a new history file together; switching it to WAL could
    answer "locked" without waiting (seen in CI).  6 processes, 12 fresh files."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    outcomes = []
    for n in range(12):
        barrier, results = ctx.Barrier(6), ctx.Queue()
        procs = [ctx.Process(target=_open_at_once,
                             args=(str(tmp_path / f"h{n}.sqlite"), barrier, results))
                 for _ in range(6)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(30)
        outcomes += [results.get(timeout=5) for _ in procs]
    assert outcomes == ["ok"] * 72
