"""Turning a built letter into files, safely: all new or all old.

Every format is rendered in memory first.  Then every file is written to a
temporary name beside its target (``.NAME.ls<pid>-<random>.tmp``), a journal
listing the moves is committed (``.STEM.lettersmith-journal.json``, itself
written by rename), the temporaries are renamed into place and the journal is
removed.  A failure before the commit removes the temporaries (the old set
stays); a kill after it is completed by the next write into that folder
(:func:`recover`), which also removes temporaries whose process is gone.

A file a reviewer has edited since lettersmith wrote it is never overwritten:
the build stops, or with ``force`` keeps the edited file as a numbered backup
(copied to a temporary name first).  A .docx carries its own content hash
(custom property ``lettersmith-hash``); the other formats are recorded in a
small manifest beside them, ``.STEM.lettersmith.json``.  New files follow the
umask; a rebuilt file keeps the mode it had.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Callable

from . import model as m
from .errors import LettersmithError, suggest

FORMATS = ("docx", "md", "html", "txt", "pdf")


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()]
    for fmt in formats:
        if fmt not in FORMATS:
            import click  # a wrong command line: exit status 2
            raise click.BadParameter(f"unknown format {fmt!r}; "
                                     + (suggest(fmt, FORMATS) or "formats: " + ", ".join(FORMATS)),
                                     param_hint="'-f' / '--format'")
    return list(dict.fromkeys(formats)) or ["docx"]


def render(doc: m.Document, fmt: str, *, letterhead: Path | None = None,
           review: bool = False) -> bytes:
    """The letter in one format, as bytes (writers are imported only when used)."""
    if fmt == "md":
        from .writers.md import write_markdown
        return write_markdown(doc).encode("utf-8")
    if fmt == "txt":
        from .writers.txt import write_text
        return write_text(doc).encode("utf-8")
    if fmt == "html":
        from .writers.html import write_html
        return write_html(doc).encode("utf-8")
    from .writers.docx import render_docx
    docx = render_docx(doc, letterhead=letterhead, review=review)
    if fmt == "docx":
        return docx
    from .pdf import docx_to_pdf
    return docx_to_pdf(docx)


def first_free(name: Callable[[int], Path], start: int = 1) -> Path:
    """The first of ``name(start)``, ``name(start + 1)`` ... that names nothing yet."""
    n = start
    while os.path.lexists(name(n)):
        n += 1
    return name(n)


def backup_name(path: Path) -> Path:
    """The first free ``name.edited-N.ext`` beside ``path``."""
    return first_free(lambda n: path.with_name(f"{path.stem}.edited-{n}{path.suffix}"))


# ------------------------------------------------------------------ manifests


def manifest_path(path: Path) -> Path:
    """Where the hashes of ``path``'s letter (every format but .docx) are kept."""
    return path.with_name(f".{path.stem}.lettersmith.json")


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def was_edited(path: Path) -> bool:
    """True when ``path`` exists and is not exactly what lettersmith last wrote there."""
    if not os.path.lexists(path):
        return False
    if path.suffix == ".docx":
        from .writers.docx import docx_was_edited
        return docx_was_edited(path)
    recorded = _read_manifest(path).get(path.name)
    if recorded is None or not path.is_file():
        return True
    try:
        return _digest(path.read_bytes()) != recorded
    except OSError:
        return True


def check_target(path: Path, force: bool) -> Path | None:
    """Refuse to overwrite a reviewer's edits; with ``force`` say where the backup goes."""
    if path.is_dir():
        raise LettersmithError("the output path is a folder", file=path,
                               hint="move the folder away, or build into another folder with -o")
    if not was_edited(path):
        return None
    if not force:
        raise LettersmithError(
            "this file has been changed since lettersmith wrote it (a reviewer's edits?); "
            "it was not overwritten", file=path,
            hint="move it aside, build into another folder with -o, or use --force "
                 "to keep it as a numbered backup and write the new draft")
    return backup_name(path)


# ------------------------------------------------------------------ writing

_TEMP = re.compile(r"^\.(?P<name>.+)\.ls(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")
_LEGACY_TEMP = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")  # before this scheme
_JOURNAL = ".lettersmith-journal.json"


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.ls{os.getpid()}-{secrets.token_hex(4)}.tmp")


# The temporary's data (and the size and blocks needed to read it back) reach the disk
# before it is renamed into place; fdatasync skips timestamps fsync also writes: a
# third of the system time per file, the same guarantee for the rename (macOS and
# Windows have fsync only).
_SYNC = getattr(os, "fdatasync", os.fsync)


def _write_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _cannot_write(path: Path, err: OSError) -> LettersmithError:
    return LettersmithError(
        f"cannot write this file: {err.strerror or err}", file=path,
        hint="check that the folder exists and is writable, or build into another with -o")


def open_temp(path: Path) -> tuple[int, Path]:
    """A new temporary file beside ``path`` (open for writing) with the mode ``path``
    should get: the mode it has when it exists, else what the umask allows."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(os.stat(path).st_mode) if path.is_file() else None
        tmp = _temp_name(path)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    except OSError as err:
        raise _cannot_write(path, err) from None
    if mode is not None:
        try:
            os.fchmod(fd, mode)
        except OSError:
            pass  # not the owner: the umask's mode stands
    return fd, tmp


def _write_temp(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path`` (see :func:`open_temp`)."""
    fd, tmp = open_temp(path)
    try:
        _write_fd(fd, data)
        _SYNC(fd)
    except BaseException as err:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _cannot_write(path, err) from None
        raise
    os.close(fd)
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then move it into place."""
    _commit({path: data}, journal=None)


def create_new(path: Path, data: bytes) -> Path:
    """Write a new file whole or not at all, with the mode the umask allows; refuse
    (FileExistsError) to replace a file, even one that appeared meanwhile."""
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_RECOVERED: set[str] = set()


def recover(folder: Path, names: set[str] | None = None) -> None:
    """Finish moves a killed write committed to; remove lettersmith's own stale temporaries.

    Temporaries are removed when the process that made them is gone (or, in the
    older naming without a process id, when they belong to a file in ``names``).
    """
    key = os.path.abspath(folder)
    if key in _RECOVERED or not folder.is_dir():
        return  # once per folder and process: a merge writes thousands of letters there
    _RECOVERED.add(key)
    for journal in sorted(folder.glob(".*" + _JOURNAL)):
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            if _pid_alive(int(record.get("pid", 0))) and record.get("pid") != os.getpid():
                continue  # another build is moving its files right now
            for tmp, target in record["moves"]:
                if os.path.lexists(tmp):
                    os.replace(tmp, target)
        except (OSError, ValueError, KeyError, TypeError):
            pass
        journal.unlink(missing_ok=True)
    for entry in folder.iterdir():
        match = _TEMP.match(entry.name)
        if match and not _pid_alive(int(match.group("pid"))):
            entry.unlink(missing_ok=True)
            continue
        legacy = _LEGACY_TEMP.match(entry.name)
        if legacy and names and legacy.group("name") in names and not _TEMP.match(entry.name):
            entry.unlink(missing_ok=True)


def _commit(files: dict[Path, bytes], journal: Path | None) -> None:
    """Write every file to a temporary, commit the journal, move them all into place."""
    temps: dict[Path, Path] = {}
    committed = False
    try:
        for path, data in files.items():
            temps[path] = _write_temp(path, data)
        if journal is not None and len(temps) > 1:
            moves = [[os.path.abspath(tmp), os.path.abspath(path)] for path, tmp in temps.items()]
            journal_tmp = _write_temp(journal, json.dumps({"pid": os.getpid(),
                                                           "moves": moves}).encode())
            temps[journal] = journal_tmp
            os.replace(journal_tmp, journal)  # the commit point
            committed = True
        for path, tmp in temps.items():
            if path != journal:
                try:
                    os.replace(tmp, path)
                except OSError as err:
                    raise _cannot_write(path, err) from None
        if journal is not None:
            journal.unlink(missing_ok=True)
    except BaseException:
        if not committed:
            for tmp in temps.values():
                tmp.unlink(missing_ok=True)
        raise


def keep_backup(path: Path, name: Callable[[Path], Path] = backup_name) -> Path:
    """Copy ``path`` to a new numbered backup (``name`` picks it): through a temporary,
    never half-written, never over a backup made meanwhile."""
    data = path.read_bytes()
    tmp = _write_temp(path, data)
    try:
        while True:
            backup = name(path)
            try:
                os.link(tmp, backup)
                break
            except FileExistsError:
                continue
            except OSError:
                os.replace(tmp, backup)
                break
    finally:
        tmp.unlink(missing_ok=True)
    return backup


def write_all(files: dict[Path, bytes], force: bool) -> list[str]:
    """Write every file or none; returns notes about backups made."""
    for folder in {path.parent for path in files}:
        recover(folder, {p.name for p in files if p.parent == folder})
    backups = {path: check_target(path, force) for path in files}
    said = []
    for path in files:
        if backups[path] is not None:
            said.append(f"kept the edited {path} as {keep_backup(path)}")
    out = dict(files)
    manifests: dict[Path, dict[str, str]] = {}
    for path, data in files.items():
        if path.suffix != ".docx":
            manifest = manifests.setdefault(manifest_path(path), _read_manifest(path))
            manifest[path.name] = _digest(data)
    for where, hashes in manifests.items():
        out[where] = json.dumps({"written-by": "lettersmith", "files": hashes},
                                indent=1, sort_keys=True).encode() + b"\n"
    first = next(iter(files))
    _commit(out, journal=first.with_name(f".{first.stem}{_JOURNAL}"))
    return said
