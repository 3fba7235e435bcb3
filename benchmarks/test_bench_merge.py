"""Benchmarks for issue 9 (not tests; run them on purpose):

    python -m pytest benchmarks/test_bench_merge.py -p no:cacheprovider --benchmark-only \
        --benchmark-columns=min,median,max -s

Side by side with pandoc in the same run, whole processes:
- a merge of 1,000 letters (the shipped 287(g) example brief) per letter, against
  pandoc converting ONE such letter's Markdown to .docx;
- one letter, the whole ``build`` command, against ``pandoc --citeproc`` with a
  Chicago notes CSL (benchmarks/chicago-notes-minimal.csl) on the same letter;
- peak memory of a merge of 200 and of 1,000 letters;
- writing letters of 500 and 2,000 linked notes (time per note must stay flat).
Each prints its figures (``-s``); README's "Speed" lists the last run.
"""
from __future__ import annotations

import compileall
import csv
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CSL = Path(__file__).with_name("chicago-notes-minimal.csl")
MODELS = ["Jail Enforcement Model", "Task Force Model", "Warrant Service Officer"]
HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED",
          "SHERIFF", "TITLE", "ADDRESS", "CITY", "ZIP", "EMAIL"]
FIGURES: dict[str, float] = {}


def pandoc() -> str:
    pypandoc = pytest.importorskip("pypandoc")
    return pypandoc.get_pandoc_path()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped library and example (merges write history there).

    lettersmith's modules are compiled to bytecode first, as ``pip install`` does:
    with PYTHONDONTWRITEBYTECODE set (as on the development machine) an editable
    install would otherwise compile its sources again in every process."""
    compileall.compile_dir(REPO / "src" / "lettersmith", quiet=1)
    root = tmp_path_factory.mktemp("bench-merge")
    shutil.copytree(REPO / "snippets", root / "snippets")
    shutil.copytree(REPO / "examples" / "merge", root / "examples" / "merge")
    for n in (1, 200, 1000):
        with open(root / f"rows-{n}.csv", "w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(HEADER)
            for i in range(n):
                out.writerow(["TX", f"County {i} Sheriff's Office", "County", f"County {i}",
                              MODELS[i % 3], "2025-02-20", f"Sheriff Person {i}", "Sheriff",
                              f"{i} Main Street", "Springfield", "75001", f"s{i}@example.org"])
    return root


BRIEF = "examples/merge/sheriffs-287g.yaml"


def lettersmith(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "lettersmith", *args], cwd=cwd,
                          capture_output=True, check=True, env=ALONE)


def whole_cpu(cmd: list[str], cwd: Path, rounds: int, env: dict[str, str] | None = None
              ) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``rounds`` runs of a whole process; CPU is user +
    system time of the process and every process it started (a shared machine's load
    inflates wall time, much less CPU time)."""
    walls, cpus = [], []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env or ALONE)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]


def test_merge_1000_letters_per_letter_vs_pandoc(benchmark, work: Path) -> None:
    lettersmith("merge", BRIEF, "rows-1.csv", "-o", "one", "-f", "md,docx", cwd=work)
    md = next((work / "one").glob("*.md"))
    pandoc_one, pandoc_cpu = whole_cpu([pandoc(), str(md), "-o", str(work / "p.docx")], work, 7)
    cmd = [sys.executable, "-m", "lettersmith", "merge", BRIEF, "rows-1000.csv", "-o", "many"]
    result = {}
    benchmark.pedantic(lambda: result.update(t=whole_cpu(cmd, work, 1)), rounds=1, iterations=1)
    per_letter, per_letter_cpu = (t / 1000 for t in result["t"])
    assert len(list((work / "many").glob("*.docx"))) == 1000
    ratio, ratio_cpu = pandoc_one / per_letter, pandoc_cpu / per_letter_cpu
    benchmark.extra_info.update(pandoc_one_letter_s=pandoc_one, merge_per_letter_s=per_letter,
                                ratio=ratio, ratio_cpu=ratio_cpu)
    print(f"\nmerge of 1,000 letters: {per_letter * 1000:.1f} ms a letter (CPU "
          f"{per_letter_cpu * 1000:.1f} ms); pandoc, one such letter's Markdown to .docx: "
          f"{pandoc_one * 1000:.0f} ms (CPU {pandoc_cpu * 1000:.0f} ms); {ratio:.1f}x wall, "
          f"{ratio_cpu:.1f}x CPU")


def _csl_json(work: Path) -> Path:
    """The library's sources as CSL JSON, pandoc's bibliography."""
    from lettersmith.library import Library

    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    library = Library(work)
    path = work / "sources.json"
    path.write_text(json.dumps([plain(dict(i.data)) for i in library.of_kind("source")]))
    return path


def test_one_letter_whole_command_vs_pandoc_citeproc(benchmark, work: Path) -> None:
    """The same letter: lettersmith from the brief, pandoc --citeproc from its draft."""
    from lettersmith.merge.letters import build_row
    from lettersmith.brief import read_brief
    from lettersmith.build import library_for

    brief = read_brief(work / BRIEF)
    library = library_for(brief, None)
    row = {"STATE": "TX", "COUNTY": "County 0", "county": "County 0",
           "LAW ENFORCEMENT AGENCY": "County 0 Sheriff's Office", "SIGNED": "2025-02-20",
           "signed": "2025-02-20", "SUPPORT TYPE": MODELS[0], "support_type": MODELS[0]}
    to = {"name": "Sheriff Person 0", "title": "Sheriff", "address": ["0 Main Street"]}
    letter = build_row(brief, library, to, row)
    draft = work / "draft.md"
    draft.write_text(letter.draft.markdown)
    one = work / "one-letter.yaml"
    one.write_text((work / BRIEF).read_text().replace("library: ../..", f"library: {work}")
                   + f"to: {json.dumps(to)}\n"
                   + "vars: " + json.dumps({"addressee": "the Secretary of Homeland Security",
                                            "government": "a county", "row": row}) + "\n")
    lines = [ln for ln in one.read_text().splitlines() if not ln.startswith("vars:") or "row" in ln]
    one.write_text("\n".join(ln for ln in lines if not ln.startswith(("  addressee", "  government")))
                   + "\n")
    cite = [pandoc(), str(draft), "--citeproc", "--bibliography", str(_csl_json(work)),
            "--csl", str(CSL), "-o", str(work / "citeproc.docx")]
    cmd = [sys.executable, "-m", "lettersmith", "build", str(one), "-o", str(work / "b")]
    alone_env = dict(ALONE, LETTERSMITH_HISTORY=str(work / "h.sqlite"))
    subprocess.run(cmd, cwd=work, check=True, capture_output=True, env=alone_env)  # disk caches
    servers = {}  # one server for each row, so each one's CPU is that row's alone
    for name in ("server", "edited"):
        env = dict(alone_env, LETTERSMITH_SERVER="1", XDG_RUNTIME_DIR=str(work / f"rt-{name}"),
                   LETTERSMITH_SERVER_IDLE="600")
        (work / f"rt-{name}").mkdir(exist_ok=True)
        pid = _start_server(work, env)
        subprocess.run(cmd, cwd=work, check=True, capture_output=True, env=env)  # its first
        time.sleep(0.5)
        servers[name] = (env, pid, _server_cpu(pid))
    rows: dict[str, list[tuple[float, float]]] = {"pandoc": [], "alone": [], "server": [],
                                                  "edited": []}
    text = one.read_text()
    assert "\nsubject: " in text

    def one_round() -> None:  # interleaved: the machine's load hits all alike
        rows["pandoc"].append(whole_cpu(cite, work, 1))
        rows["alone"].append(whole_cpu(cmd, work, 1, env=alone_env))
        rows["server"].append(whole_cpu(cmd, work, 1, env=servers["server"][0]))
        # a text never seen before, not even by an earlier run's disk caches
        one.write_text(text.replace("\nsubject: ", f"\nsubject: ({time.time_ns()}) ", 1))
        rows["edited"].append(whole_cpu(cmd, work, 1, env=servers["edited"][0]))
        one.write_text(text)

    try:
        benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
        time.sleep(1.0)  # what a server does after answering (loading ahead) is counted too
        server_cpu = {name: (_server_cpu(pid) - cpu0) / ROUNDS
                      for name, (_, pid, cpu0) in servers.items()}
    finally:
        for env, _, _ in servers.values():
            subprocess.run([sys.executable, "-m", "lettersmith", "server", "stop"], cwd=work,
                           env=env, capture_output=True)
    med = {name: [sorted(t[i] for t in times)[len(times) // 2] for i in (0, 1)]
           for name, times in rows.items()}
    for name, cpu in server_cpu.items():
        med[name][1] += cpu
    benchmark.extra_info.update({f"{k}_wall_s": v[0] for k, v in med.items()})
    benchmark.extra_info.update({f"{k}_cpu_s": v[1] for k, v in med.items()})
    pw, pc = med["pandoc"]
    print(f"\none letter, whole command, median of {ROUNDS} interleaved rounds (CPU: user + "
          "system of the command and its children; with a server, plus the server's own CPU "
          "over the run divided by the commands it ran):")
    print(f"  pandoc --citeproc (Chicago notes CSL): {pw * 1000:.0f} ms wall, {pc * 1000:.0f} ms CPU")
    for name, label in (("alone", "lettersmith build, alone (LETTERSMITH_SERVER=0)"),
                        ("server", "lettersmith build, server running"),
                        ("edited", "lettersmith build, server running, brief edited each time")):
        w, c = med[name]
        extra = f" (of which server {server_cpu[name] * 1000:.0f} ms)" if name in server_cpu else ""
        print(f"  {label}: {w * 1000:.0f} ms wall, {c * 1000:.0f} ms CPU{extra}; "
              f"{w / pw:.2f}x pandoc wall, {c / pc:.2f}x CPU")


ROUNDS = 15
ALONE = {k: v for k, v in os.environ.items() if not k.startswith("LETTERSMITH_")}
ALONE["LETTERSMITH_SERVER"] = "0"


def _server_cpu(pid: int) -> float:
    """User + system time of the server and the workers it has reaped (in clock ticks
    of 10 ms: summed over a whole run, not per command)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _start_server(work: Path, env: dict[str, str]) -> int:
    subprocess.run([sys.executable, "-m", "lettersmith", "server", "start"], cwd=work, env=env,
                   check=True, capture_output=True)
    status = subprocess.run([sys.executable, "-m", "lettersmith", "server", "status", "--json"],
                            cwd=work, env=env, check=True, capture_output=True)
    return int(json.loads(status.stdout)["pid"])


def _peak_rss_kb(cmd: list[str], cwd: Path) -> int:
    """The largest resident set of the command or any of its worker processes."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], cwd=cwd, check=True,
                         capture_output=True, text=True, env=ALONE)
    return int(out.stdout.strip())


def test_memory_flat_in_the_number_of_letters(benchmark, work: Path) -> None:
    base = [sys.executable, "-m", "lettersmith", "merge", BRIEF]
    rss = {}
    for n in (200, 1000):
        rss[n] = _peak_rss_kb(base + [f"rows-{n}.csv", "-o", f"mem-{n}", "--jobs", "2"], work)
    benchmark.pedantic(lambda: None, rounds=1)
    benchmark.extra_info.update(rss_200_kb=rss[200], rss_1000_kb=rss[1000])
    print(f"\npeak RSS: 200 letters {rss[200] / 1024:.0f} MB, 1,000 letters "
          f"{rss[1000] / 1024:.0f} MB")
    assert rss[1000] < rss[200] * 1.25


def test_linear_to_2000_notes(benchmark, tmp_path: Path) -> None:
    """Letters of 500 and 2,000 notes, each citing its own linked source: the time per
    note stays flat (the hyperlink lookup was quadratic)."""
    from lettersmith.build import build_letter
    from lettersmith.output import render

    per_note = {}
    for n in (500, 2000):
        root = tmp_path / f"n{n}"
        (root / "snippets").mkdir(parents=True)
        (root / "snippets" / "sources.yaml").write_text("sources:\n" + "".join(
            f"  - {{id: s{i}, type: webpage, title: Page {i}, URL: 'https://example.org/{i}'}}\n"
            for i in range(n)))
        body = "\n".join(f"  - text: Point {i}.[@s{i}]" for i in range(n))
        brief = root / "brief.yaml"
        brief.write_text(f"library: .\ndate: 2024-01-01\nto: {{name: X}}\nbody:\n{body}\n")
        letter = build_letter(brief)
        start = time.perf_counter()
        data = render(letter.doc, "docx")
        per_note[n] = (time.perf_counter() - start) / n
        assert data.count(b"PK") > 0
    benchmark.pedantic(lambda: None, rounds=1)
    growth = per_note[2000] / per_note[500]
    benchmark.extra_info.update(ms_per_note_500=per_note[500] * 1000,
                                ms_per_note_2000=per_note[2000] * 1000)
    print(f"\n.docx writer: {per_note[500] * 1000:.2f} ms a note at 500 notes, "
          f"{per_note[2000] * 1000:.2f} ms at 2,000 ({growth:.2f}x)")
    assert growth < 1.5
