"""``lettersmith schema`` and ``lettersmith new`` through the real command."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from lettersmith import brief as b
from lettersmith import library as lib

jsonschema = pytest.importorskip("jsonschema")
REPO = Path(__file__).parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "basic"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lettersmith", *args], cwd=cwd, capture_output=True, text=True)


def plain(value: Any) -> Any:
    """YAML as an editor's language server sees it (dates are strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("schemas")
    result = run("schema", "-o", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out / "brief.schema.json"), str(out / "library.schema.json")]
    found = {p.name.split(".")[0]: json.loads(p.read_text()) for p in out.glob("*.json")}
    for schema in found.values():
        jsonschema.Draft7Validator.check_schema(schema)
    return found


def errors(schema: dict[str, Any], data: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(plain(data))]


def test_committed_schemas_are_current(schemas: dict[str, dict[str, Any]]) -> None:
    for name, schema in schemas.items():
        committed = REPO / "schemas" / f"{name}.schema.json"
        assert json.loads(committed.read_text()) == schema, "run 'lettersmith schema' in the repo"


def test_schema_is_derived_from_the_readers(schemas: dict[str, dict[str, Any]]) -> None:
    brief = schemas["brief"]
    assert set(brief["properties"]) == set(b.TOP_KEYS)
    assert brief["properties"]["notes"]["properties"]["numbering"]["enum"] == list(
        b.CHOICES[("notes", "numbering")])
    quote = schemas["library"]["definitions"]["quote"]
    assert set(quote["properties"]) == lib.FIELDS["quote"]


def test_example_briefs_and_fixture_validate(schemas: dict[str, dict[str, Any]]) -> None:
    briefs = [*REPO.glob("examples/briefs/*.yaml"), FIXTURE / "brief.yaml"]
    for path in briefs:
        assert errors(schemas["brief"], yaml.safe_load(path.read_text())) == [], path
    for path in [*REPO.glob("snippets/**/*.yaml"), *FIXTURE.glob("snippets/*.yaml")]:
        assert errors(schemas["library"], yaml.safe_load(path.read_text())) == [], path


def test_examples_point_at_the_schema() -> None:
    for path in REPO.glob("examples/briefs/*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/brief.schema.json", path


def test_schema_flags_typos(schemas: dict[str, dict[str, Any]]) -> None:
    brief = yaml.safe_load((FIXTURE / "brief.yaml").read_text())
    brief["subjet"] = "x"
    brief["notes"] = {"placement": "sidenotes"}
    brief["body"].append({"argument": "a", "text": "two kinds"})
    found = " | ".join(errors(schemas["brief"], brief))
    assert "'subjet' was unexpected" in found
    assert "'sidenotes' is not one of" in found
    assert "{'argument': 'a', 'text': 'two kinds'} is not valid" in found
    library = yaml.safe_load((FIXTURE / "snippets" / "sources.yaml").read_text())
    library["quotes"][0]["speakr"] = "x"
    library["sources"][0]["type"] = "reprot"
    library["facts"][0]["id"] = "Bad_Id"
    found = " | ".join(errors(schemas["library"], library))
    assert "'speakr' was unexpected" in found and "'reprot' is not one of" in found
    assert "'Bad_Id' does not match" in found


def test_schema_rewrites_only_on_change(tmp_path: Path) -> None:
    assert run("schema", cwd=tmp_path).returncode == 0
    again = run("schema", cwd=tmp_path)
    assert again.stdout.count("(unchanged)") == 2


# ------------------------------------------------------------------ new


def test_new_from_existing(tmp_path: Path) -> None:
    lib_dir = tmp_path / "lib"
    shutil.copytree(FIXTURE, lib_dir, ignore=shutil.ignore_patterns(".lettersmith", "out"))
    old = lib_dir / "briefs" / "old.yaml"
    old.parent.mkdir()
    (lib_dir / "schemas").mkdir()
    (lib_dir / "schemas" / "brief.schema.json").write_text("{}")
    old.write_text("# yaml-language-server: $schema=../schemas/brief.schema.json\n"
                   "library: ..   # the library\n"
                   + (FIXTURE / "brief.yaml").read_text().replace("library: .\n", "")
                   .replace("date: 2023-02-21",
                                                                  "date: 2023-02-21  # sent"))
    result = run("new", "letters/2026/new.yaml", "--from", str(old), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "letters" / "2026" / "new.yaml").read_text()
    assert f"date: {dt.date.today().isoformat()}  # sent" in text
    assert "library: ../../lib   # the library" in text
    assert "$schema=../../lib/schemas/brief.schema.json" in text
    assert text.replace(dt.date.today().isoformat(), "2023-02-21").splitlines()[3:] == \
        old.read_text().splitlines()[3:]
    check = run("check", "letters/2026/new.yaml", cwd=tmp_path)
    assert check.returncode == 0, check.stderr


def test_new_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("keep me\n")
    result = run("new", "b.yaml", "--from", str(FIXTURE / "brief.yaml"), cwd=tmp_path)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert (tmp_path / "b.yaml").read_text() == "keep me\n"


def test_new_skeleton_and_bad_input(tmp_path: Path) -> None:
    fresh = run("new", "fresh.yaml", cwd=tmp_path)
    assert fresh.returncode == 0 and "names no $schema" in fresh.stderr
    text = (tmp_path / "fresh.yaml").read_text()
    assert "date: " + dt.date.today().isoformat() in text and "$schema" not in text
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "brief.schema.json").write_text("{}")
    (tmp_path / "sub").mkdir()
    assert run("new", "sub/b.yaml", cwd=tmp_path).returncode == 0
    assert "$schema=../schemas/brief.schema.json\n" in (tmp_path / "sub" / "b.yaml").read_text()
    copied = run("new", "sub/deeper/c.yaml", "--from", "fresh.yaml", cwd=tmp_path)
    assert copied.returncode == 0
    moved = (tmp_path / "sub" / "b.yaml").read_text().replace("$schema=../", "$schema=gone/../")
    (tmp_path / "gone.yaml").write_text(moved)  # names a schema that does not exist
    assert run("new", "d.yaml", "--from", "gone.yaml", cwd=tmp_path).returncode == 0
    assert "$schema=schemas/brief.schema.json\n" in (tmp_path / "d.yaml").read_text()
    missing = run("new", "x.yaml", "--from", "nope.yaml", cwd=tmp_path)
    assert missing.returncode == 1 and "no such brief" in missing.stderr
    assert run("new", cwd=tmp_path).returncode == 2
