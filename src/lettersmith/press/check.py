"""What ``lettersmith check`` says about a brief's press release: what would stop
its build, spokespeople without a title, stale facts (as of the release's date),
and the usual warnings on the quotes, facts and sources it uses."""
from __future__ import annotations

import datetime as dt

from ..build import Letter
from ..checks import Report, item_warnings, stale_fact_warnings
from ..errors import LettersmithError
from .release import build_release


def check_release(letter: Letter, stale_after: dt.timedelta, report: Report) -> None:
    """Add the release's errors and warnings to ``report``."""
    try:
        release = build_release(letter)
    except LettersmithError as err:
        report.error(err)
        return
    if release is None:
        return
    library, brief = letter.library, letter.brief
    for spoken in release.spoken:
        if spoken.title:
            continue
        if spoken.items:
            item = spoken.items[0]
            report.warn(f"quote {item.id!r} is in the press release, but its speaker "
                        f"{spoken.speaker!r} has no title: the release would say only "
                        f"\"said {spoken.speaker}\" (add title: and organization:)",
                        library.display(item.file), item.line)
        else:
            report.warn(f"the press release quotes {spoken.speaker!r} without a title "
                        "(add title: and organization: to the body item)", brief.path,
                        spoken.line)
    used = {kind: list(dict.fromkeys(ids)) for kind, ids in release.draft.used.items()}
    for kind in ("source", "quote", "fact"):
        for item_id in used.get(kind, []):
            item_warnings(library.items[item_id], library, report)
    stale_fact_warnings(used.get("fact", []), release.press.date, stale_after, library, [],
                        report, brief.path.read_text(encoding="utf-8"), brief.path)
