"""The resident server (lettersmith.server): a command it runs behaves exactly as the
same command run in its own process (output, messages, exit status, files and their
modes, history), sees the caller's folder and environment, and sees every change to
the library, templates, letterhead and lettersmith's own code.

Each test module run starts its own server in its own runtime folder and stops it.
"""
from __future__ import annotations

import json
import os
import pty
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import given, settings, strategies as st

from lettersmith.server.daemon import read_all
from lettersmith.server.protocol import Request

REPO = Path(__file__).resolve().parents[1]
BRIEF = "examples/briefs/2023-02-21-seven-groups-end-287g.yaml"
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the server needs fork")


def lettersmith(*args: str, cwd: Path, env: dict[str, str], stdin: bytes = b"",
                ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "lettersmith", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a caller whose server lives in a folder of this module's."""
    folder = tmp_path_factory.mktemp("srv")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERSMITH_")}
    env.update(XDG_RUNTIME_DIR=str(folder), LETTERSMITH_SERVER="1", LETTERSMITH_SERVER_IDLE="120",
               XDG_CACHE_HOME=str(folder / "cache"))
    started = lettersmith("server", "start", cwd=folder, env=env)
    assert started.returncode == 0, started.stderr
    yield env
    _stop(env, folder)


@pytest.fixture
def own(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A caller's environment with a runtime folder of this test's and no server yet;
    whatever server the test leaves is stopped."""
    folder = tmp_path / "rt"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERSMITH_")}
    env.update(XDG_RUNTIME_DIR=str(folder), LETTERSMITH_SERVER_IDLE="60",
               LETTERSMITH_HISTORY=str(tmp_path / "h.sqlite"))
    yield env
    _stop(env, folder)


def _stop(env: dict[str, str], folder: Path) -> None:
    lettersmith("server", "stop", cwd=folder, env=env)
    for state in folder.glob("lettersmith/server-*.json"):
        try:  # never leave a server behind, whatever the test did
            pid = json.loads(state.read_text())["pid"]
            if b"lettersmith.server" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, KeyError):
            pass


def status(env: dict[str, str]) -> dict | None:  # type: ignore[type-arg]
    found = lettersmith("server", "status", "--json", cwd=Path("/"), env=env)
    data = json.loads(found.stdout)
    return data if data.get("pid") else None


def served(env: dict[str, str]) -> int:
    found = status(env)
    return found["served"] if found else -1


def fresh_work(tmp_path: Path, name: str = "work") -> Path:
    work = tmp_path / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    shutil.copytree(REPO / "snippets", work / "snippets")
    shutil.copytree(REPO / "examples", work / "examples")
    return work


def outcome(work: Path, runs: list[subprocess.CompletedProcess[bytes]]) -> dict[str, object]:
    """Everything a user sees: each run's status and text, and every file with its mode."""
    files = {}
    for path in sorted(work.rglob("*")):
        if path.is_file() and "history" not in path.name and path.suffix != ".pyc":
            files[str(path.relative_to(work))] = (path.read_bytes(), path.stat().st_mode)
    return {"runs": [(r.returncode, r.stdout, _no_merge_id(r.stderr)) for r in runs],
            "files": files}


def _no_merge_id(text: bytes) -> bytes:
    """A merge's id is its time and a random part: the one thing two runs differ in."""
    return re.sub(rb"merge \d{8}-\d{6}-[0-9a-f]+", b"merge ID", text)


MERGE = ["examples/merge/sheriffs-287g.yaml", "examples/merge/287g-agencies-EXAMPLE.xlsx",
         "--join", "examples/merge/287g-agencies-EXAMPLE.xlsx#Contacts", "--name", "{state}-{county}"]
COMMANDS = [
    ["build", BRIEF, "-o", "out", "-f", "docx,md,html,txt"],
    ["build", BRIEF, "-o", "out"],  # again: the same files, nothing to back up
    ["build", "examples/briefs/2023-06-15-coalition-doj-profiling.yaml",
     "examples/briefs/no-such-brief.yaml", "-o", "out"],  # one good, one missing: exit 1
    ["build", BRIEF, "--letterhead", "nope"],  # closest shipped letterhead named
    ["build", "--no-such-option"],  # a wrong command line: exit 2
    ["check", BRIEF],
    ["snippets", "list"],
    ["snippets", "show", "no-such-id"],
    ["history"],
    ["merge", *MERGE, "-o", "merged", "--jobs", "2"],
    ["--version"],
    ["--help"],
    [],
]


def test_a_command_through_the_server_is_the_command_run_alone(
        runtime: dict[str, str], tmp_path: Path) -> None:
    seen = {}
    for mode in ("alone", "server"):
        work = fresh_work(tmp_path)
        env = dict(runtime, LETTERSMITH_HISTORY=str(work / "history.sqlite"),
                   LETTERSMITH_SERVER="0" if mode == "alone" else "1")
        before = served(runtime)
        runs = [lettersmith(*args, cwd=work, env=env) for args in COMMANDS]
        assert served(runtime) - before == (0 if mode == "alone" else len(COMMANDS))
        result = outcome(work, runs)
        result["history"] = sorted(  # a merge's two jobs record in either order
            tuple(row) for row in sqlite3.connect(work / "history.sqlite").execute(
                "select brief, recipient, outputs, merge_id = '' from builds"))
        seen[mode] = result
    alone, server = seen["alone"], seen["server"]
    for args, a, s in zip(COMMANDS, alone["runs"], server["runs"]):  # type: ignore[arg-type]
        assert a == s, f"lettersmith {' '.join(args)}"
    assert [run[0] for run in alone["runs"]] == [0, 0, 1, 1, 2, 0, 0, 1, 0, 0, 0, 0, 2]  # type: ignore[index]
    assert alone["files"] == server["files"]
    assert alone["history"] == server["history"] and len(alone["history"]) > 2  # type: ignore[arg-type]


def test_the_callers_folder_environment_and_umask(runtime: dict[str, str], tmp_path: Path) -> None:
    work = fresh_work(tmp_path)
    history = tmp_path / "elsewhere" / "h.sqlite"
    env = dict(runtime, LETTERSMITH_HISTORY=str(history))
    before = served(runtime)
    proc = subprocess.run(
        ["sh", "-c", f"umask 077 && exec {sys.executable} -m lettersmith build "
                     f"../{BRIEF} -o here"], cwd=work / "examples", env=env,
        capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert served(runtime) == before + 1
    built = work / "examples" / "here" / (Path(BRIEF).stem + ".docx")
    assert proc.stdout.decode().strip() == "here/" + built.name
    assert built.stat().st_mode & 0o777 == 0o600  # the caller's umask
    assert history.exists()  # the caller's LETTERSMITH_HISTORY, not the server's


def test_changes_to_the_library_and_templates_are_seen(runtime: dict[str, str],
                                                        tmp_path: Path) -> None:
    work = fresh_work(tmp_path)
    env = dict(runtime, LETTERSMITH_HISTORY=str(tmp_path / "h.sqlite"))
    brief = work / "brief.yaml"
    shutil.copy(work / BRIEF, brief)
    assert "library: ../.." in brief.read_text()
    brief.write_text(brief.read_text().replace("library: ../..", "library: ."))

    def letter() -> str:
        run = lettersmith("build", "brief.yaml", "-f", "md", "-o", "o", cwd=work, env=env)
        assert run.returncode == 0, run.stderr
        return (work / "o" / "brief.md").read_text()

    first = letter()
    letter()  # the server has now loaded this library ahead
    argument = work / "snippets" / "arguments" / "287g" / "trump-expanded-287g-five-fold.md"
    body = argument.read_text()
    assert "almost entirely intact" in first and "ZANZIBARIAN" not in first
    argument.write_text(body.replace("almost entirely intact", "ZANZIBARIAN"))
    assert "ZANZIBARIAN" in letter()
    (work / "templates").mkdir(exist_ok=True)
    shipped = REPO / "templates" / "letter.md.j2"
    (work / "templates" / "letter.md.j2").write_text(
        shipped.read_text().replace("{{", "QUOKKA {{", 1))
    assert "QUOKKA" in letter()
    argument.write_text(body)  # both back as they were: the first letter again
    (work / "templates" / "letter.md.j2").unlink()
    assert letter() == first


def test_an_edited_letterhead_is_seen(runtime: dict[str, str], tmp_path: Path) -> None:
    work = fresh_work(tmp_path)
    env = dict(runtime, LETTERSMITH_HISTORY=str(tmp_path / "h.sqlite"))
    head = work / "head.docx"
    shipped = REPO / "src" / "lettersmith" / "letterheads" / "example-org.docx"
    shutil.copy(shipped, head)
    args = ("build", BRIEF, "--letterhead", "head.docx", "-o", "o")
    assert lettersmith(*args, cwd=work, env=env).returncode == 0
    one = (work / "o" / (Path(BRIEF).stem + ".docx")).read_bytes()
    shutil.copy(REPO / "src" / "lettersmith" / "letterheads" / "default.docx", head)
    run = lettersmith(*args, "--force", cwd=work, env=env)
    assert run.returncode == 0, run.stderr
    two = (work / "o" / (Path(BRIEF).stem + ".docx")).read_bytes()
    alone = lettersmith(*args, "-o", "p", cwd=work, env=dict(env, LETTERSMITH_SERVER="0"))
    assert alone.returncode == 0
    assert two != one and two == (work / "p" / (Path(BRIEF).stem + ".docx")).read_bytes()


def test_standard_input_and_a_terminal_are_the_callers(runtime: dict[str, str],
                                                       tmp_path: Path) -> None:
    """The worker writes to the caller's own terminal: click sees a terminal (colour
    and the progress bar follow), and the text arrives there, not through a copy."""
    work = fresh_work(tmp_path)
    env = dict(runtime, LETTERSMITH_HISTORY=str(tmp_path / "h.sqlite"), COLUMNS="100")
    before = served(runtime)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(work)
        os.execve(sys.executable, [sys.executable, "-m", "lettersmith", "merge", *MERGE,
                                   "-o", "m", "--jobs", "1"], env)
    seen = read_all(fd, 1 << 20)  # a terminal ends with an error once its last writer ends
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert served(runtime) == before + 1
    assert b"\r" in seen and b"6/6" in seen  # click's progress bar: only on a terminal
    piped = lettersmith("merge", *MERGE, "-o", "m2", cwd=work, env=env)
    assert piped.returncode == 0 and b"6/6" not in piped.stderr  # quiet in a pipe


def test_off_means_no_server_is_used_or_started(own: dict[str, str], tmp_path: Path) -> None:
    folder = Path(own["XDG_RUNTIME_DIR"])
    work = fresh_work(tmp_path)
    env = dict(own, LETTERSMITH_SERVER="0")
    assert lettersmith("build", BRIEF, "-o", "o", cwd=work, env=env).returncode == 0
    time.sleep(1.0)
    assert not list(folder.rglob("server-*.sock"))
    said = lettersmith("server", "start", cwd=work, env=env)
    assert said.returncode == 1 and b"turned off" in said.stderr and b"Traceback" not in said.stderr


def test_started_by_a_command_then_stops_when_idle(own: dict[str, str], tmp_path: Path) -> None:
    """No server: the command runs alone and starts one; the next command uses it;
    with nothing to do for LETTERSMITH_SERVER_IDLE seconds it stops."""
    work = fresh_work(tmp_path)
    env = dict(own, LETTERSMITH_SERVER_IDLE="3")
    assert lettersmith("build", BRIEF, "-o", "o", cwd=work, env=env).returncode == 0
    found = _wait_for(lambda: status(env))
    assert found is not None and found["served"] == 0
    assert lettersmith("build", BRIEF, "-o", "o", cwd=work, env=env).returncode == 0
    assert served(env) == 1
    assert _wait_for(lambda: status(env) is None, seconds=15)
    assert _wait_for(lambda: not running(found["pid"]), seconds=5)


def test_new_code_on_disk_retires_the_server(own: dict[str, str], tmp_path: Path) -> None:
    """A lettersmith module changed on disk (an upgrade): the server refuses, the command
    runs alone with the new code, and the old server stops."""
    copy = tmp_path / "src"
    shutil.copytree(REPO / "src", copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    work = fresh_work(tmp_path)
    env = dict(own, PYTHONPATH=str(copy))
    first = _wait_for(lambda: lettersmith("server", "start", cwd=work, env=env).returncode == 0
                      and status(env))
    assert first is not None
    assert lettersmith("build", BRIEF, "-o", "o", cwd=work, env=env).returncode == 0
    assert served(env) == 1
    help_text = copy / "lettersmith" / "commands" / "snippets.py"
    said = "List, show and search the library's items."
    assert said in help_text.read_text()
    help_text.write_text(help_text.read_text().replace(said, "CHANGED. " + said))
    run = lettersmith("snippets", "--help", cwd=work, env=env)
    assert run.returncode == 0 and b"CHANGED." in run.stdout
    second = _wait_for(lambda: (status(env) or {}).get("pid") not in (None, first["pid"])
                       and status(env), seconds=20)
    assert second and second["pid"] != first["pid"]
    assert _wait_for(lambda: not running(first["pid"]), seconds=10)  # the old one stopped
    assert b"CHANGED." in lettersmith("snippets", "--help", cwd=work, env=env).stdout
    assert served(env) == 1
    lettersmith("server", "stop", cwd=work, env=env)  # this installation's server (own's
    # clean-up asks the other one)


def test_ctrl_c_reaches_the_command(runtime: dict[str, str], tmp_path: Path) -> None:
    """Ctrl-C at the caller stops the command in the worker, which ends as click ends
    an interrupted command, without a traceback."""
    work = fresh_work(tmp_path)
    (work / "templates").mkdir()
    (work / "templates" / "slow.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n")
    brief = work / "slow.yaml"
    brief.write_text((work / BRIEF).read_text().replace("template: letter", "template: slow"))
    env = dict(runtime, LETTERSMITH_HISTORY=str(tmp_path / "h.sqlite"),
               LETTERSMITH_TEMPLATE_SECONDS="60")
    proc = subprocess.Popen([sys.executable, "-m", "lettersmith", "build", "slow.yaml"],
                            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and b"Traceback" not in err, err


def running(pid: int) -> bool:
    """The process exists and has not ended (an ended one no parent waited for, a
    zombie, still answers a signal)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _wait_for(check, seconds: float = 20.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    return None


def test_an_unsafe_runtime_folder_means_no_server(tmp_path: Path) -> None:
    """A socket folder others could enter (group or world access) is never used."""
    open_dir = tmp_path / "open"
    (open_dir / "lettersmith").mkdir(parents=True)
    (open_dir / "lettersmith").chmod(0o777)
    (open_dir / f"lettersmith-{os.getuid()}").mkdir()
    (open_dir / f"lettersmith-{os.getuid()}").chmod(0o755)
    work = fresh_work(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTERSMITH_")}
    env.update(XDG_RUNTIME_DIR=str(open_dir), TMPDIR=str(open_dir),
               LETTERSMITH_HISTORY=str(tmp_path / "h.sqlite"))
    run = lettersmith("build", BRIEF, "-o", "o", cwd=work, env=env)
    assert run.returncode == 0, run.stderr
    said = lettersmith("server", "start", cwd=work, env=env)
    assert said.returncode == 1 and b"no private folder" in said.stderr
    time.sleep(0.5)
    assert not list(open_dir.rglob("server-*"))


TEXT = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=200, deadline=None)
@given(prog=TEXT, umask=st.integers(0, 0o777), encodings=st.lists(TEXT, min_size=6, max_size=6),
       argv=st.lists(TEXT, max_size=6), env=st.lists(TEXT.map(lambda t: "K=" + t), max_size=6))
def test_a_request_reads_back_as_sent(prog: str, umask: int, encodings: list[str],
                                      argv: list[str], env: list[str]) -> None:
    sent = Request("run", prog, umask, tuple(encodings), tuple(argv), tuple(env))
    data = sent.encode()
    assert Request.decode(data[4:]) == sent


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.lists(st.binary(max_size=12), max_size=16).map(
                     lambda parts: b"\0".join([b"lettersmith-server-1", b"run", *parts]))))
def test_any_bytes_are_a_request_or_refused(data: bytes) -> None:
    """What the server reads from its socket: a request, or ValueError (then it closes
    the connection); nothing else escapes."""
    try:
        request = Request.decode(data)
    except ValueError:
        return
    assert request.kind in ("run", "stop", "status")
