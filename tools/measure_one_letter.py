"""One letter, whole command: lettersmith before and after a change, and
``pandoc --citeproc``, interleaved in the same run (a shared machine's load
changes from minute to minute, so the three are timed turn by turn).

    python tools/measure_one_letter.py WORK [--before REV] [--rounds N]

WORK is a folder the issue-9 benchmark left (``python -m pytest
benchmarks/test_bench_merge.py -k one_letter --benchmark-only -p no:cacheprovider
--basetemp=/tmp/bench``; WORK is then /tmp/bench/bench-merge0): it holds
``one-letter.yaml``, its ``draft.md`` and ``sources.json``.  ``--before`` is a git
revision of this repository, unpacked into a temporary folder and run through
PYTHONPATH.  Both versions are compiled to bytecode first (as ``pip install``
does).  Prints the median wall and CPU time (user + system of the process and
its children) of each; ``--no-cache`` also turns lettersmith's disk caches off
(a letter never built before); ``--edited`` changes the brief's subject before
every lettersmith run (the brief's YAML and the letter's Markdown are new each
time, as when a user edits and rebuilds; the library is unchanged).
"""
from __future__ import annotations

import argparse
import compileall
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def unpack(rev: str, into: Path) -> Path:
    archive = into / "before.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), rev, "src"],
                   check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--before", help="a git revision to compare with")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--edited", action="store_true")
    args = parser.parse_args()
    import pypandoc

    work = args.work.resolve()
    env = dict(os.environ, LETTERSMITH_SERVER="0")  # each command alone (the server's
    # figures, its own CPU counted, come from benchmarks/test_bench_merge.py -k one_letter)
    if args.no_cache:
        env["LETTERSMITH_NO_CACHE"] = "1"
    build = [sys.executable, "-m", "lettersmith", "build", "one-letter.yaml", "-o", "measured"]
    csl = REPO / "benchmarks" / "chicago-notes-minimal.csl"
    runs: dict[str, tuple[list[str], dict[str, str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        compileall.compile_dir(REPO / "src" / "lettersmith", quiet=1)
        if args.before:
            src = unpack(args.before, Path(tmp))
            compileall.compile_dir(src / "lettersmith", quiet=1)
            # the old sources find their templates and letterheads beside them
            for folder in ("templates",):
                if (REPO / folder).exists() and not (src.parent / folder).exists():
                    os.symlink(REPO / folder, src.parent / folder)
            runs[f"lettersmith {args.before}"] = (build, {**env, "PYTHONPATH": str(src)})
        runs["lettersmith (this tree)"] = (build, env)
        runs["pandoc --citeproc"] = ([pypandoc.get_pandoc_path(), "draft.md", "--citeproc",
                                      "--bibliography", "sources.json", "--csl", str(csl),
                                      "-o", "measured-citeproc.docx"], env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for cmd, run_env in runs.values():  # warm the disk caches and the file cache
            timed(cmd, work, run_env)
        brief = work / "one-letter.yaml"
        original = brief.read_text()
        try:
            for round_ in range(args.rounds):
                for name, (cmd, run_env) in runs.items():
                    if args.edited and name.startswith("lettersmith"):
                        brief.write_text(original.replace("\nsubject: ", "\nsubject: "
                                                          f"({name[-4:]} {round_}) ", 1))
                    times[name].append(timed(cmd, work, run_env))
        finally:
            brief.write_text(original)
    pandoc = sorted(c for _, c in times["pandoc --citeproc"])[args.rounds // 2]
    for name, values in times.items():
        wall = sorted(w for w, _ in values)[args.rounds // 2]
        cpu = sorted(c for _, c in values)[args.rounds // 2]
        print(f"{name:32s} wall {wall * 1000:6.0f} ms   CPU {cpu * 1000:6.0f} ms   "
              f"CPU / pandoc {cpu / pandoc:.2f}x")


if __name__ == "__main__":
    main()
