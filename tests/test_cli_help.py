"""Links and help: one base URL for item docs in every output, sub-command help with exit codes
and environment variables, a bare ``prodgate`` with one error line, ``prodgate explain ID``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from gate.cli import build_parser, main
from gate.config import DOCS_URL
from gate.modes.explain import DOCS_DIR
from tests.helpers import EXAMPLE, ROOT, write_tree

NOW = "2026-11-29T12:00:00Z"
LABS = EXAMPLE / "services" / "labs"


def _sub_help(name: str) -> str:
    p = subprocess.run([sys.executable, "-m", "gate", name, "--help"], capture_output=True, text=True, check=True,
                       env={**os.environ, "COLUMNS": "100"})
    return p.stdout


@pytest.mark.parametrize("name", ["check", "pr", "promote", "catalog", "explain"])
def test_every_sub_command_help_has_a_description_exit_codes_and_environment(name: str) -> None:
    text = _sub_help(name)
    _, rest = text.split("\n\n", 1)
    assert rest.split("\n\n", 1)[0].strip(), "a description after the usage"
    assert "exit codes:\n  0  " in text and "\n  2  " in text
    assert "environment variables read:" in text


def test_promote_help_offers_no_strict_and_no_path() -> None:
    text = _sub_help("promote")
    assert "--strict" not in text and not re.search(r"(?<![_A-Z])PATH\b", text)
    assert "unverified: always strict" in text and "GITHUB_TOKEN" in text


def test_promote_still_accepts_the_actions_strict_flag() -> None:
    args = build_parser().parse_args(["promote", "--service", "x", "--strict"])
    assert args.strict is True
    assert build_parser().parse_args(["promote", "--service", "x"]).strict is True


def test_catalog_help_describes_path_and_out_dir_says_what_it_writes() -> None:
    text = _sub_help("catalog")
    assert re.search(r"PATH\s+the repository, its services folder or service folders", text)
    assert "report.txt, report.json, report.md, report.sarif" in " ".join(_sub_help("check").split())


def test_bare_prodgate_prints_one_error_line_then_the_usage() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    p = subprocess.run([sys.executable, "-m", "gate"], capture_output=True, text=True, env=env)
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.splitlines()
    assert lines[0] == "prodgate: no command given: choose check, pr, promote, catalog or explain"
    assert lines[1].startswith("usage: prodgate")


def test_explain_prints_what_evidence_fix_and_waive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "sdk.generated"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# sdk.generated\n\n> pnpm sdk:gen produces clean output\n")
    for heading in ("## What it checks", "## Evidence", "## How to fix", "## How to waive"):
        assert heading in out
    assert out.rstrip().endswith(f"Online: {DOCS_URL}/checks/sdk.generated.md")


def test_explain_unknown_id_is_exit_2_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "sdk.generatd"]) == 2
    assert capsys.readouterr().err == "prodgate: explain: unknown item id 'sdk.generatd': did you mean sdk.generated?\n"
    assert main(["explain", "--list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 63


def test_explain_pages_are_packaged() -> None:
    """gate/checkdocs links to docs/checks, and the wheel ships its pages as package data."""
    assert DOCS_DIR == ROOT / "gate" / "checkdocs"
    assert (ROOT / "gate" / "checkdocs").is_symlink()
    assert sorted(p.name for p in DOCS_DIR.glob("*.md")) == sorted(p.name for p in (ROOT / "docs" / "checks").glob("*.md"))
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["tool"]["setuptools"]["package-data"]["gate.checkdocs"] == ["*.md"]


def _links(text: str) -> set[str]:
    return set(re.findall(r"https://[^\s)\"]+/checks/[a-z]+\.[a-z0-9-]+\.md", text))


def test_markdown_and_sarif_link_the_same_published_docs(tmp_path: Path) -> None:
    md, sarif = tmp_path / "r.md", tmp_path / "r.sarif"
    main(["check", str(LABS), "--now", NOW, "--format", "markdown,sarif", "--output", str(md), "--output", str(sarif)])
    md_links = _links(md.read_text(encoding="utf-8"))
    doc = json.loads(sarif.read_text(encoding="utf-8"))
    sarif_links = {r["helpUri"] for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert md_links and md_links <= sarif_links
    for link in sarif_links:
        assert link.startswith(f"{DOCS_URL}/checks/")
        assert (ROOT / "docs" / link.removeprefix(DOCS_URL + "/")).is_file(), link  # the page exists
    assert "](docs/checks/" not in md.read_text(encoding="utf-8")


def test_docs_url_configures_every_output(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", {
        "sst.config.ts": "",
        ".github/prod-readiness.yml": "docs_url: https://docs.example.com/prodgate/\n",
        "services/foo/service.yaml": "name: foo\n",
    })
    out = tmp_path / "out"
    main(["check", str(repo), "--now", NOW, "--format", "markdown,sarif", "--out-dir", str(out)])
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "[docs](https://docs.example.com/prodgate/checks/artifacts.readme.md)" in md
    rules = json.loads((out / "report.sarif").read_text(encoding="utf-8"))["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"] == "https://docs.example.com/prodgate/checks/artifacts.service-yaml.md"
    assert main(["catalog", str(repo), "--now", NOW, "--out", str(tmp_path / "cat")]) == 0
    cat = json.loads((tmp_path / "cat" / "catalog.json").read_text(encoding="utf-8"))
    assert any("https://docs.example.com/prodgate/github-action.md" in g["how"] for g in cat["services"][0]["needs"])
