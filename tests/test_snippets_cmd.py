"""``lettersmith snippets list|show|search`` through the real command."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from lettersmith.cli import main
from lettersmith.search import stem, tokens

FIXTURE = Path(__file__).parent / "fixtures" / "basic"

ARGUMENTS = {
    "detainers-violate-fourth-amendment": (
        "Detainers violate the Fourth Amendment", "[detainers, fourth-amendment]",
        "Courts have held that holding a person on an ICE detainer is a new arrest."),
    "localities-face-liability": (
        "Localities face liability for honoring requests", "[liability, courts]",
        "Counties have paid millions in damages for unlawful detention."),
    "detainer-liability-settlements": (
        "\"Detainer liability: the settlements\"", "[detainers, liability]",
        "Los Angeles County paid $14 million to settle claims over ICE detainers."),
    "community-trust": (
        "Entanglement erodes community trust", "[public-safety]",
        "Victims stop reporting crimes when police act as immigration agents."),
    "health-care": (
        "Fear keeps families from health care", "[health]",
        "Parents avoid clinics; a detainer is mentioned once here."),
}


@pytest.fixture()
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LETTERSMITH_HISTORY")  # a tmp copy: its own .lettersmith/ is the point
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".lettersmith", "out"))
    for item_id, (title, tags, text) in ARGUMENTS.items():
        (root / "snippets" / f"{item_id}.md").write_text(
            f"---\ntitle: {title}\ntags: {tags}\norigin: test letter\n---\n{text}\n")
    return root


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lettersmith", *args], cwd=cwd, capture_output=True, text=True)


def test_stemming() -> None:
    assert stem("detainers") == "detainer" and stem("policies") == "policy"
    assert tokens("ICE's Detainers") == ["ice", "detainer"]


def test_search_ranks_blocks_matching_both_words_first(library: Path) -> None:
    result = run("snippets", "search", "detainer", "liability", cwd=library)
    assert result.returncode == 0, result.stderr
    ids = [line.split()[1] for line in result.stdout.splitlines()[1:]]
    assert ids[0] == "detainer-liability-settlements"
    assert set(ids[1:3]) == {"detainers-violate-fourth-amendment", "localities-face-liability"}
    assert ids.index("health-care") > 2
    assert "community-trust" not in ids


def test_search_kind_filter_and_no_match(library: Path) -> None:
    result = run("snippets", "search", "mayorkas", "--kind", "recipient", cwd=library)
    assert result.stdout.splitlines()[1].split()[1] == "secretary"
    none = run("snippets", "search", "zebra", cwd=library)
    assert none.returncode == 0 and "nothing matches" in none.stderr


def test_list_table_and_filters(library: Path) -> None:
    result = run("snippets", "list", cwd=library)
    assert result.returncode == 0
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["ID", "KIND", "TITLE", "/", "TEXT", "TAGS", "ORIGIN"]
    assert any(r.startswith("wso ") and "287g,public-safety" in r for r in rows)
    assert len(rows) == 9 + len(ARGUMENTS)
    tagged = run("snippets", "list", "--tag", "liability", "--tag", "detainers", cwd=library)
    assert [r.split()[0] for r in tagged.stdout.splitlines()[1:]] == ["detainer-liability-settlements"]
    sources = CliRunner().invoke(main, ["snippets", "list", "--kind", "source", "--library",
                                        str(library)])
    assert sources.exit_code == 0
    assert {r.split()[0] for r in sources.output.splitlines()[1:-1]} >= {"aclu-report", "miroff-2020"}


def test_list_bad_kind_is_a_usage_error(library: Path) -> None:
    result = run("snippets", "list", "--kind", "argumnt", cwd=library)
    assert result.returncode == 2


def test_show_renders_notes_sources_briefs_and_history(library: Path) -> None:
    built = run("build", "brief.yaml", "-f", "md", "-o", "out", cwd=library)
    assert built.returncode == 0, built.stderr
    assert run("sent", "out/brief.md", "--on", "2023-02-21", cwd=library).returncode == 0
    result = run("snippets", "show", "wso", cwd=library)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "wso  (argument, snippets/wso.md:2)" in out
    assert "Officers in Texas said \u201cthe 287(g) program needs to end immediately.\u201d[^1]" in out
    assert "[^3]: *See, e.g.*, Nick Miroff" in out  # Bluebook: the comma after e.g. is roman
    sources = out.split("Sources cited:")[1].split("Briefs")[0]
    assert ["leap-letter", "aclu-report", "miroff-2020"] == [l.split()[0] for l in sources.strip().splitlines()]
    assert "Briefs under this folder that use it:\n  brief.yaml" in out
    assert "2023-02-21  to The Honorable Alejandro Mayorkas  brief.yaml" in out


def test_show_with_vars_and_of_a_quote(library: Path) -> None:
    result = run("snippets", "show", "wso", "--vars", "state=Ohio", cwd=library)
    assert "Officers in Ohio said" in result.stdout
    quote = run("snippets", "show", "leap-end-now", cwd=library)
    assert "speaker: 120 law enforcement professionals" in quote.stdout
    assert "Briefs under this folder that use it:\n  brief.yaml" in quote.stdout  # through wso
    assert "not in any letter marked sent" in quote.stdout


def test_show_unknown_id_suggests(library: Path) -> None:
    result = run("snippets", "show", "ws", cwd=library)
    assert result.returncode == 1
    assert "no item with id 'ws'" in result.stderr and "did you mean 'wso'" in result.stderr
    assert "Traceback" not in result.stderr


def test_not_a_library(tmp_path: Path) -> None:
    result = run("snippets", "list", cwd=tmp_path)
    assert result.returncode == 1 and "no snippets/ folder" in result.stderr
