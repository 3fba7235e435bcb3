"""One preview session: the brief it serves, its token, the latest build (or the
error beside the last good letter), and the watcher that rebuilds on every save."""
from __future__ import annotations

import os
import secrets
import threading
import time
from pathlib import Path
from typing import Any

import watchfiles

from ..brief import read_brief
from ..errors import LettersmithError
from ..library import Library, forget_libraries, load_library

WATCHED_SUFFIXES = (".md", ".yaml", ".yml", ".j2")


class Session:
    """The state every page of one ``preview`` shares; thread-safe."""

    def __init__(self, brief: Path, library_dir: Path | None = None) -> None:
        self.brief = brief  # as given, so messages name it as ``build`` would
        self.brief_abs = str(brief.resolve())
        self.library_dir = library_dir
        self.token = secrets.token_urlsafe(24)
        self.library: Library | None = None
        self.state: dict[str, Any] = {"version": 0, "error": "", "html": "", "notes": {},
                                      "warnings": [], "body": [], "title": ""}
        self._changed = threading.Condition()
        self._build_lock = threading.Lock()
        self.stop = threading.Event()
        self._replan = threading.Event()  # set when the library folder changes

    # ------------------------------------------------------------------ builds

    def rebuild(self, library_changed: bool = True) -> dict[str, Any]:
        """Build the letter again; on a mistake keep the last good letter with the message.

        The library is read again only when one of its files may have changed.
        """
        from .letter import build_live, letter_state
        with self._build_lock:
            started = time.perf_counter()
            update: dict[str, Any]
            if library_changed:
                forget_libraries()
            try:
                letter = build_live(self.brief, self.library_dir)
                update = letter_state(letter, self.brief, self.library_dir)
                if self.library is None or self.library.root != letter.library.root:
                    self._replan.set()
                self.library = letter.library
            except LettersmithError as err:
                update = {"error": str(err)}
            except OSError as err:
                update = {"error": f"{err.filename or self.brief}: {err.strerror or err}"}
            except Exception as err:  # noqa: BLE001 - a bug must not stop the server
                update = {"error": "internal error, please report it: "
                                   f"{type(err).__name__}: {err}"}
            update["ms"] = round((time.perf_counter() - started) * 1000)
            with self._changed:
                self.state = {**self.state, **update, "version": self.state["version"] + 1}
                self._changed.notify_all()
                return self.state

    def wait_newer(self, version: int, timeout: float) -> dict[str, Any] | None:
        """The state once it is newer than ``version``, or None after ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: self.state["version"] > version or self.stop.is_set(),
                                   timeout)
            return self.state if self.state["version"] > version else None

    def current_library(self) -> Library:
        """The library of the last good build (read again when its files change), else
        the one ``build`` would use: ``--library``, the brief's ``library:``, the current folder."""
        if self.library is None:
            self.library = load_library(self._library_root())
        return self.library

    def _library_root(self) -> Path:
        if self.library is not None:
            return self.library.root
        if self.library_dir:
            return self.library_dir
        try:
            return read_brief(self.brief).library_root or Path.cwd()
        except LettersmithError:  # the page shows why; watch the current folder meanwhile
            return Path.cwd()

    # ---------------------------------------------------------------- watching

    def watched(self) -> list[tuple[list[Path], bool]]:
        """(folders, recursive): the brief's folder alone, the library's snippets and templates."""
        root = self._library_root()
        library = [p for p in (root / "snippets", root / "templates") if p.is_dir()]
        return [([self.brief.resolve().parent], False)] + ([(library, True)] if library else [])

    def relevant(self, change: watchfiles.Change, path: str) -> bool:
        return os.path.abspath(path) == self.brief_abs or path.endswith(WATCHED_SUFFIXES)

    def start_watching(self) -> None:
        """Watch in the background, until ``close``; rebuild on every relevant change."""
        threading.Thread(target=self._watch_all, daemon=True, name="lettersmith-watch").start()

    def _watch_all(self) -> None:
        """One watcher per set of folders; all start again when the library moves."""
        while not self.stop.is_set():
            self._replan.clear()
            threads = [threading.Thread(target=self._watch, args=plan, daemon=True)
                       for plan in self.watched()]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    def _watch(self, folders: list[Path], recursive: bool) -> None:
        halt = _Either(self.stop, self._replan)
        for changes in watchfiles.watch(*folders, watch_filter=self.relevant, recursive=recursive,
                                         step=30, debounce=400, stop_event=halt,
                                         raise_interrupt=False):
            self.rebuild(any(os.path.abspath(path) != self.brief_abs for _, path in changes))

    def close(self) -> None:
        self.stop.set()
        self._replan.set()
        with self._changed:
            self._changed.notify_all()


class _Either:
    """Set when either event is: what watchfiles checks to stop watching."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)
