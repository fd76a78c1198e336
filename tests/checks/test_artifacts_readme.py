"""artifacts.readme: a run-locally section with a fenced code block."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.model import Status
from tests.checks.core_fixture import evaluate

ID = "artifacts.readme"


def test_run_locally_with_code_block_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS
    assert "Run locally" in r.reason


def test_local_development_heading_of_any_level_counts(tmp_path: Path) -> None:
    text = "# Payments\n\nIntro.\n\n### Local Development\n\n```\nmake dev\n```\n"
    assert evaluate(tmp_path, ID, readme=text).status == Status.PASS


def test_section_without_code_block_fails_at_its_heading(tmp_path: Path) -> None:
    text = "# Payments\n\n## Running locally\n\nRun the dev server.\n\n## Other\n\n```\nx\n```\n"
    r = evaluate(tmp_path, ID, readme=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "has no code block" in f.message and f.line == 3


def test_no_run_locally_section_fails_at_title(tmp_path: Path) -> None:
    text = "\n\n# Payments\n\nIt takes payments.\n"
    r = evaluate(tmp_path, ID, readme=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "no run-locally instructions" in f.message and f.line == 3


def test_missing_readme_fails(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, readme=None)
    assert r.status == Status.FAIL
    assert r.findings[0].message.startswith("README.md is missing")
    assert r.findings[0].path == "services/payments/README.md"


@pytest.mark.parametrize("block", ["> ```sh\n> pnpm dev\n> ```\n", "- Start it:\n\n  ```sh\n  pnpm dev\n  ```\n"])
def test_a_fenced_block_in_a_quote_or_a_list_item_counts(tmp_path: Path, block: str) -> None:
    text = f"# Payments\n\n## Run locally\n\n{block}"
    r = evaluate(tmp_path, ID, readme=text)
    assert r.status == Status.PASS, r.findings


def test_indented_code_is_not_a_fenced_block(tmp_path: Path) -> None:
    text = "# Payments\n\n## Run locally\n\n    pnpm dev\n"
    r = evaluate(tmp_path, ID, readme=text)
    assert r.status == Status.FAIL and r.findings[0].line == 3


def test_run_locally_inside_a_hidden_element_does_not_count(tmp_path: Path) -> None:
    text = "# Payments\n\nIntro.\n\n<div hidden>\n\n## Run locally\n\n```sh\npnpm dev\n```\n\n</div>\n"
    r = evaluate(tmp_path, ID, readme=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("README.md has no run-locally section that shows: its heading 'Run locally' "
                                "(line 7) does not show on the rendered page")
    assert f.line == 7
