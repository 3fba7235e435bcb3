"""A whole merge: read the rows, plan one file name per letter, build the letters
in ``jobs`` processes, then one LibreOffice run for the PDFs, the manifest
``merge.csv``, the optional zip and the merge's history record."""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import hashlib
import io
import multiprocessing
import os
import shutil
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..brief import read_brief
from ..build import library_for
from ..errors import LettersmithError
from ..output import open_temp, parse_formats, write_atomic
from . import letters
from .fields import BadRow, build_mapping, check_pattern, file_stem, keep, parse_where, \
    recipient, row_vars, unique
from .table import join, read_table

MANIFEST = "merge.csv"
MANIFEST_COLUMNS = ("row", "recipient", "email", "files", "notes", "warnings")


@dataclass
class Options:
    out_dir: Path = Path("out")
    formats: str = "docx"
    library: Path | None = None
    letterhead: Path | None = None
    review: bool = False
    force: bool = False
    maps: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    name: str = "{name}"
    joins: tuple[str, ...] = ()
    on: str | None = None
    jobs: int = 0  # 0: the number of cores
    zip: bool = False
    check: bool = False  # every row built in memory; nothing written or recorded


@dataclass
class Result:
    merge_id: str
    written: list[letters.Outcome] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one message per bad row
    warnings: list[str] = field(default_factory=list)
    manifest: Path | None = None
    archive: Path | None = None


def plan(brief_path: Path, recipients: str, opts: Options
         ) -> tuple[letters.Settings, list[letters.Task], list[str]]:
    """Everything decided before a letter is built: settings, tasks, bad rows."""
    kinds = tuple(parse_formats(opts.formats))
    brief = read_brief(brief_path)
    library = library_for(brief, opts.library)
    table = read_table(recipients, library)
    for spec in opts.joins:
        table = join(table, read_table(spec, library), opts.on)
    mapping = build_mapping(table, list(opts.maps))
    conditions = parse_where(list(opts.where), table)
    check_pattern(opts.name, table)
    rows = [row for row in table.rows if keep(row, conditions)]
    if not rows:
        raise LettersmithError("no row to write a letter for" + (" matches --where" if conditions
                                                                 else ""), file=recipients,
                               hint="check the --where values against the sheet")
    merge_id = _merge_id(brief_path, recipients)
    settings = letters.Settings(
        brief=brief_path, library=opts.library, formats=kinds, out_dir=opts.out_dir,
        letterhead=opts.letterhead, review=opts.review, force=opts.force, merge_id=merge_id,
        source=recipients, columns=tuple(table.columns), check=opts.check)
    tasks, bad, taken = [], [], set()
    for index, row in enumerate(rows):
        try:
            to = row.recipient_id or recipient(table, row, mapping)
            fields = to if isinstance(to, dict) else library.items[to].data
        except BadRow as err:
            bad.append(str(err))
            continue
        stem = unique(file_stem(opts.name, row, dict(fields), table), taken)
        tasks.append(letters.Task(index, row.where, stem, to, dict(row_vars(row))))
    return settings, tasks, bad


def _merge_id(brief: Path, recipients: str) -> str:
    now = dt.datetime.now()
    digest = hashlib.sha256(f"{brief.resolve()}\0{recipients}\0{now.isoformat()}\0{os.getpid()}"
                            .encode()).hexdigest()[:6]
    return f"{now:%Y%m%d-%H%M%S}-{digest}"


def batches(tasks: list[letters.Task], jobs: int) -> list[list[letters.Task]]:
    """Batches small enough to spread the work, large enough to amortize a transaction."""
    size = max(1, min(50, -(-len(tasks) // (jobs * 4))))
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def run_batches(settings: letters.Settings, tasks: list[letters.Task], jobs: int,
                progress: Callable[[int], None]) -> Iterator[letters.Outcome]:
    """Outcomes as batches finish: in this process for one job, else in a process pool."""
    letters.init(settings)  # warm here: forked workers inherit the brief and library
    if jobs <= 1 or len(tasks) < 2:
        for batch in batches(tasks, 1):
            done = letters.run_batch(batch)
            progress(len(done))
            yield from done
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # What the workers inherit (modules, brief, library) is left out of the garbage
    # collector's passes: a pass no longer writes to every inherited object, which
    # copied the pages holding them into each worker (2-3% of a merge's CPU).
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                 initializer=letters.init, initargs=(settings,)) as pool:
            futures = [pool.submit(letters.run_batch, batch) for batch in batches(tasks, jobs)]
            for future in as_completed(futures):
                done = future.result()
                progress(len(done))
                yield from done
    finally:
        gc.unfreeze()


def merge(brief_path: Path, recipients: str, opts: Options, *, show_progress: bool) -> Result:
    """Write one letter per row; bad rows are reported and skipped."""
    settings, tasks, bad = plan(brief_path, recipients, opts)
    jobs = opts.jobs or os.cpu_count() or 1
    result = Result(settings.merge_id, failed=list(bad))
    if opts.check:
        with _progress(len(tasks), show_progress) as advance:
            _collect(result, run_batches(settings, tasks, jobs, advance))
        return result
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lettersmith-pdf-", dir=opts.out_dir)) \
        if "pdf" in settings.formats else None
    settings = letters.Settings(**{**settings.__dict__, "staging": staging})
    try:
        with _progress(len(tasks), show_progress) as advance:
            _collect(result, run_batches(settings, tasks, jobs, advance))
        if staging is not None and result.written:
            _pdfs(staging, opts.out_dir, result)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    result.manifest = opts.out_dir / MANIFEST
    write_atomic(result.manifest, manifest(result.written))
    if opts.zip:
        result.archive = opts.out_dir / f"{brief_path.stem}-merge.zip"
        archive(opts.out_dir, result.written, result.manifest, result.archive)
    _record_merge(settings, len(result.written))
    return result


def _collect(result: Result, outcomes: Iterator[letters.Outcome]) -> None:
    """Outcomes in row order: letters written, or one message per bad row."""
    for outcome in sorted(outcomes, key=lambda o: o.index):
        if outcome.error:
            result.failed.append(outcome.error)
        else:
            result.written.append(outcome)
        result.warnings.extend(outcome.warnings)


def _pdfs(staging: Path, out_dir: Path, result: Result) -> None:
    from ..pdf import convert_files

    sources = sorted(staging.glob("*.docx"))
    convert_files(sources, staging, time_limit=120 + 5 * len(sources))
    for source in sources:
        os.replace(source.with_suffix(".pdf"), out_dir / f"{source.stem}.pdf")


@contextlib.contextmanager
def _progress(total: int, show: bool) -> Iterator[Callable[[int], None]]:
    """click's progress bar on a terminal; nothing otherwise."""
    if not show:
        yield lambda n: None
        return
    import click
    with click.progressbar(length=total, label="letters", file=click.get_text_stream("stderr"),
                           show_pos=True) as bar:
        yield bar.update


def manifest(written: list[letters.Outcome]) -> bytes:
    """``merge.csv``: row, recipient, email, files, notes, warnings (one line per letter)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    for o in written:
        writer.writerow([o.where.split()[-1], o.recipient, o.email, ";".join(o.files), o.notes,
                         " | ".join(w.replace("\n", " ") for w in o.warnings)])
    return out.getvalue().encode("utf-8")


def archive(out_dir: Path, written: list[letters.Outcome], manifest_path: Path,
            target: Path) -> None:
    """Every letter and the manifest in one zip, streamed to a temporary file and
    moved into place (fixed timestamps: same input, same bytes)."""
    fd, tmp = open_temp(target)  # beside it, with the mode the umask allows
    try:
        with os.fdopen(fd, "wb") as handle, \
                zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in [name for o in written for name in o.files] + [manifest_path.name]:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with zout.open(info, "w") as entry, open(out_dir / name, "rb") as source:
                    shutil.copyfileobj(source, entry)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _record_merge(settings: letters.Settings, count: int) -> None:
    from .. import history

    state = letters._STATE
    if state is None:
        return
    try:
        history.record_merge(state.library.root, settings.merge_id, settings.brief,
                             settings.source, count)
    except (OSError, history.sqlite3.Error):
        pass  # each letter's record says it already; the merge row is a convenience
