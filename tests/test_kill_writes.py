"""Issue 14, writes: a build killed (SIGKILL) at any write step leaves the output
set all old or all new once the next lettersmith run has recovered it, and
nothing of lettersmith's own behind.  A ``sitecustomize`` on the child's
PYTHONPATH counts every ``os.write``, ``os.replace`` and ``os.link`` and kills
the process at the Nth."""
from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

from bounded import make_lib, run
from lettersmith import output

SITE = '''
import os, signal
_at = int(os.environ["LS_KILL_AT"])
_seen = [0]
def _wrap(func):
    def step(*args, **kwargs):
        _seen[0] += 1
        if _seen[0] == _at:
            os.kill(os.getpid(), signal.SIGKILL)
        return func(*args, **kwargs)
    return step
os.write, os.replace, os.link = _wrap(os.write), _wrap(os.replace), _wrap(os.link)
'''
FORMATS = "md,txt,docx"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def killed_at(lib: Path, n: int, *extra: str) -> bool:
    """Build with a kill at step ``n``; True when the kill happened."""
    site = lib / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITE)
    result = run("build", "brief.yaml", "-f", FORMATS, *extra, cwd=lib,
                 env={"PYTHONPATH": str(site), "LS_KILL_AT": str(n)})
    if result.returncode == -signal.SIGKILL:
        return True
    assert result.returncode == 0, result.stderr
    return False


def test_kill_at_every_write_step(tmp_path: Path) -> None:
    lib = make_lib(tmp_path)
    brief = lib / "brief.yaml"
    assert run("build", "brief.yaml", "-f", FORMATS, cwd=lib).returncode == 0
    old = snapshot(lib / "out")
    brief.write_text(brief.read_text().replace("Thank you.", "Thank you, again."))
    assert run("build", "brief.yaml", "-f", FORMATS, "-o", "new", cwd=lib).returncode == 0
    new = snapshot(lib / "new")
    assert old.keys() == new.keys() and old != new
    saved = tmp_path / "saved"
    shutil.copytree(lib / "out", saved)
    steps = 0
    for n in range(1, 60):
        shutil.rmtree(lib / "out")
        shutil.copytree(saved, lib / "out")
        if not killed_at(lib, n):
            break
        steps = n
        output._RECOVERED.clear()  # a new process, as the next lettersmith run is
        output.recover(lib / "out")  # what that run does first
        state = snapshot(lib / "out")
        assert state in (old, new), f"kill at write step {n}: a mix of old and new"
        if n % 4 != 1:  # recover() is what the next build runs first; check that now and then
            continue
        assert run("build", "brief.yaml", "-f", FORMATS, cwd=lib).returncode == 0
        assert snapshot(lib / "out") == new, f"kill at step {n}: the next build left files behind"
    print(f"killed at each of {steps} write steps")
    assert steps >= 5  # every file, the journal and each rename were each a kill point


def test_kill_during_force_backup(tmp_path: Path) -> None:
    lib = make_lib(tmp_path)
    assert run("build", "brief.yaml", "-f", "md", cwd=lib).returncode == 0
    edited = (lib / "out" / "brief.md").read_text() + "\nA reviewer's note.\n"
    (lib / "out" / "brief.md").write_text(edited)
    for n in (1, 2, 3):
        assert killed_at(lib, n, "--force")
        backup = lib / "out" / "brief.edited-1.md"
        assert not backup.exists() or backup.read_text() == edited
        assert (lib / "out" / "brief.md").read_text() in (edited,) or backup.exists()
    result = run("build", "brief.yaml", "-f", "md", "--force", cwd=lib)
    assert result.returncode == 0, result.stderr
    backups = sorted(p.name for p in (lib / "out").glob("brief.edited-*.md"))
    assert all((lib / "out" / name).read_text() == edited for name in backups)
    assert not [p for p in (lib / "out").iterdir() if p.name.endswith((".tmp", "journal.json"))]


@pytest.mark.parametrize("name", [".brief.md.ls999999-0123abcd.tmp", ".brief.md.k2j3h4g5.tmp"])
def test_stale_temporaries_are_removed(tmp_path: Path, name: str) -> None:
    lib = make_lib(tmp_path)
    (lib / "out").mkdir()
    (lib / "out" / name).write_text("left by a killed build")
    (lib / "out" / ".notes.txt.tmp").write_text("not lettersmith's")
    assert run("build", "brief.yaml", "-f", "md", cwd=lib).returncode == 0
    left = sorted(p.name for p in (lib / "out").iterdir())
    assert left == [".brief.lettersmith.json", ".notes.txt.tmp", "brief.md"]
