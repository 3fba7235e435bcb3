"""Sign-on lists: resolve the brief's ``signatories``, drop duplicates, sort."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import LetterWarning, LettersmithError

if TYPE_CHECKING:
    from .brief import Brief
    from .library import Library


@dataclass
class Signer:
    name: str
    title: str = ""
    signature: str = ""  # e.g. "/s/"


@dataclass
class Signatories:
    signers: list[Signer]
    columns: int = 1
    per_row: int = 3
    title: str = ""
    blocks: bool = False  # signature blocks (name, title, /s/) rather than a name list
    warnings: list[LetterWarning] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.signers)


def name_key(name: str) -> str:
    """How two spellings of one signer compare: case, punctuation and a leading "The" ignored."""
    text = re.sub(r"^the\s+", "", name.strip().lower())
    return re.sub(r"[^\w]+", "", text)


def _signer(entry: Any) -> Signer:
    if isinstance(entry, dict):
        return Signer(str(entry.get("name", "")).strip(), str(entry.get("title") or "").strip(),
                      str(entry.get("signature") or "").strip())
    return Signer(str(entry).strip())


def resolve_signatories(brief: Brief, library: Library) -> Signatories | None:
    """The signers the brief asks for, de-duplicated (with a warning) and sorted if asked."""
    value = brief.get("signatories")
    if value is None:
        return None
    line = brief.line("signatories")
    options: dict[str, Any] = {}
    if isinstance(value, dict):
        options = dict(value)
        value = options.get("use") or options.get("signers")
    if isinstance(value, str):
        item = library.get("signatories", value, file=brief.path, line=line)
        merged = {k: v for k, v in item.data.items() if k in ("columns", "sort", "per-row", "title")}
        merged.update({k: v for k, v in options.items() if k != "use"})
        options = merged
        entries = item.data.get("signers") or []
        where = f"{library.display(item.file)}:{item.line}"
    else:
        entries = value
        where = f"{brief.path}:{line}"
    for key in ("columns", "per-row"):
        if key in options and options[key] is not None and \
                (isinstance(options[key], bool) or not isinstance(options[key], int)
                 or not 1 <= options[key] <= 12):
            raise LettersmithError(f"signatories {key} should be a whole number from 1 to 12, "
                                   f"not {options[key]!r}"[:200], file=brief.path, line=line)
    if not isinstance(entries, list):
        raise LettersmithError("signers should be a list of names", file=brief.path, line=line)
    signers = [_signer(e) for e in entries]
    for index, signer in enumerate(signers):
        if not signer.name:
            raise LettersmithError(f"signer {index + 1} has no name", file=brief.path, line=line)
    seen: dict[str, Signer] = {}
    kept: list[Signer] = []
    dupes: list[str] = []
    for signer in signers:
        key = name_key(signer.name)
        if key in seen:
            dupes.append(f"{signer.name!r} (same as {seen[key].name!r})")
            continue
        seen[key] = signer
        kept.append(signer)
    result = Signatories(kept, columns=int(options.get("columns") or 1),
                         per_row=int(options.get("per-row") or 3),
                         title=str(options.get("title") or ""),
                         blocks=any(s.title or s.signature for s in kept))
    if dupes:
        result.warnings.append(LetterWarning(
            f"dropped {len(dupes)} duplicate signer(s) from the list at {where}: " + ", ".join(dupes),
            file=brief.path, line=line))
    if options.get("sort"):
        kept.sort(key=lambda s: name_key(s.name))
    return result
