"""Writing what ingest made as draft library files, never overwriting anything."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..output import create_new, first_free
from .make import Made, slugify

HEADER = ("# Drafted by 'lettersmith ingest' from {name}.\n"
          "# Review every item before a letter uses it: 'lettersmith check --library'.\n")


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flat_dict(value: Any) -> bool:
    return isinstance(value, dict) and "id" not in value and (
        set(value) == {"date-parts"} or len(value) <= 2 and all(
            isinstance(v, (str, int)) for v in value.values()))


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, (int, float, str)) and len(str(v)) < 40 for v in value) \
        or all(isinstance(v, list) for v in value) \
        or (len(value) < 4 and all(_flat_dict(v) for v in value))
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=_flat_dict(value))


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(dict, _dict)
ORDER = ("id", "name", "type", "genre", "author", "recipient", "title", "title-short", "container-title",
         "publisher", "authority", "volume", "page", "number", "issued", "URL", "text", "speaker",
         "speaker-kind", "source", "date", "address", "salutation", "signers")


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    keys = sorted(item, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))
    return {k: item[k] for k in keys}


def dump(data: Any) -> str:
    if isinstance(data, dict):
        data = {k: [_ordered(i) if isinstance(i, dict) else i for i in v] if isinstance(v, list)
                else v for k, v in data.items()}
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def fresh_folder(into: Path, stem: str) -> Path:
    """``into/<stem>``, or ``-2``, ``-3`` ... when that is taken."""
    base = into / slugify(stem, 12)
    if not os.path.lexists(base):
        return base
    return first_free(lambda n: base.with_name(f"{base.name}-{n}"), 2)


def _create(path: Path, text: str) -> Path:
    """Write a new file; refuse (FileExistsError) rather than overwrite."""
    return create_new(path, text.encode("utf-8"))


def write_made(made: Made, into: Path) -> list[Path]:
    """The draft files for one ingested letter, in a new folder under ``into``."""
    folder = fresh_folder(into, made.path.stem)
    header = HEADER.format(name=made.path.name)
    written: list[Path] = []
    for name, key, items in (("sources.yaml", "sources", made.sources),
                             ("quotes.yaml", "quotes", made.quotes)):
        if items:
            written.append(_create(folder / name, header + dump({key: items})))
    people = {k: v for k, v in (("recipients", made.recipients),
                                ("signatories", made.signatories)) if v}
    if people:
        written.append(_create(folder / "people.yaml", header + dump(people)))
    for argument in made.arguments:
        meta = {k: v for k, v in argument.items() if k != "body" and (v or k == "id")}
        meta = dict(meta)
        text = "---\n" + dump(meta) + "---\n" + argument["body"].strip() + "\n"
        written.append(_create(folder / "arguments" / f"{argument['id']}.md", text))
    return written


def draft_brief(made: Made, library_root: Path, brief_dir: Path) -> str:
    """A brief that rebuilds the ingested letter from the drafted items."""
    parsed = made.parsed
    congress = any(isinstance(s, dict) and "Congress" in str(s.get("title", ""))
                   for lst in made.signatories for s in lst["signers"])
    data: dict[str, Any] = {}
    rel = os.path.relpath(library_root.resolve(), brief_dir.resolve())
    if rel != ".":
        data["library"] = Path(rel).as_posix()
    data["template"] = "congressional-letter" if congress else "letter"
    if parsed.date:
        data["date"] = parsed.date
    if made.recipient_id:
        data["to"] = made.recipient_id
    for key in ("via", "subject"):
        if getattr(parsed, key):
            data[key] = getattr(parsed, key)
    data["body"] = [value if isinstance(value, dict) else {kind: value}
                    for kind, value in made.body]
    for key in ("closing", "signoff", "contact"):
        if getattr(parsed, key):
            data[key] = getattr(parsed, key)
    if made.signatories:
        data["signatories"] = made.signatories[0]["id"]
    if parsed.cc:
        data["cc"] = parsed.cc
    if made.raw.numbering != "arabic":
        data["notes"] = {"placement": "endnotes", "numbering": made.raw.numbering}
    head = (f"# Drafted by 'lettersmith ingest' from {made.path.name}: it rebuilds that letter\n"
            "# from the drafted library items. Check it with 'lettersmith check'.\n")
    return head + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_brief(made: Made, library_root: Path, brief_dir: Path) -> Path:
    """Write the draft brief as ``brief_dir/<stem>.yaml`` (``-2`` ... when taken)."""
    base = brief_dir / slugify(made.path.stem, 12)
    path, n = base.with_suffix(".yaml"), 2
    while path.exists():
        path, n = base.with_name(f"{base.name}-{n}.yaml"), n + 1
    return _create(path, draft_brief(made, library_root, brief_dir))
