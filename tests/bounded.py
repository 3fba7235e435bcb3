"""Running the real ``lettersmith`` command with bounded time and memory."""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

GOLDEN_LIB = Path(__file__).parent / "golden" / "lib"
MEMORY = 1536 * 1024 * 1024  # address space of the child: far above a normal build
SECONDS = 12  # wall-clock limit of one command (a normal build takes about 1 s)

GOOD_BRIEF = """\
to: secretary
date: 2023-02-21
subject: End 287(g)
body:
  - text: A report found abuse.[@aclu-report]
  - argument: public-safety
closing: Thank you.
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(*args: str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = SECONDS) -> subprocess.CompletedProcess[str]:
    """``lettersmith ARGS`` in ``cwd``; raises TimeoutExpired when it hangs."""
    exe = shutil.which("lettersmith", path=str(Path(sys.executable).parent)) or "lettersmith"
    full_env = dict(os.environ, LETTERSMITH_TEMPLATE_SECONDS="2", **(env or {}))
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_limits, env=full_env)


def make_lib(tmp_path: Path) -> Path:
    """A copy of the golden library with a good brief at ``brief.yaml``."""
    shutil.copytree(GOLDEN_LIB / "snippets", tmp_path / "snippets")
    (tmp_path / "brief.yaml").write_text(GOOD_BRIEF, encoding="utf-8")
    return tmp_path


def one_clear_error(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    """Exit 1, one ``error:`` message holding ``expected``, no traceback, no internal error."""
    message = result.stderr
    assert result.returncode == 1, (result.returncode, message)
    assert "Traceback" not in message and "internal error" not in message, message
    assert sum(line.startswith("error:") for line in message.splitlines()) == 1, message
    for text in expected:
        assert text in message, message
    return message
