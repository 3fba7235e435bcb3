"""``lettersmith schema``: write the JSON Schemas editors use to check briefs and library files."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli import user_errors


def schema_text(name: str) -> str:
    from ..schemas import SCHEMAS
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


@click.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("schemas"), show_default=True, help="Folder to write into.")
@user_errors
def schema(out_dir: Path) -> None:
    """Write brief.schema.json and library.schema.json into OUTPUT.

    Point an editor at them with a first line such as
    '# yaml-language-server: $schema=../schemas/brief.schema.json'.
    """
    from ..output import write_atomic
    from ..schemas import SCHEMAS

    for name in SCHEMAS:
        path = out_dir / name
        text = schema_text(name)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            click.echo(f"{path} (unchanged)")
            continue
        write_atomic(path, text.encode("utf-8"))
        click.echo(str(path))
