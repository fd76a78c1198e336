"""Snapshot of what a newcomer reads first: the text and Markdown reports of the example
repository (``prodgate check examples/platform``), compared with golden files that a person
reviewed by eye, so that noise does not creep back.

When a change alters the example's output on purpose (a new check, a reworded finding, another
helper's branch at merge), regenerate the golden files, read the diff, and commit them:

    PRODGATE_UPDATE_GOLDEN=1 PYTHONPATH=$PWD python -m pytest -q -p no:cacheprovider tests/test_cli_snapshot.py

The run is fixed in time (``--now``) and offline, so the output depends on the repository only.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gate.cli import main
from tests.helpers import EXAMPLE

GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = "2026-11-29T12:00:00Z"
UPDATE = os.environ.get("PRODGATE_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "INPUT_MODE", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize(("fmt", "golden"), [("text", "example-check.txt"), ("markdown", "example-check.md")])
def test_example_report_matches_its_golden_file(fmt: str, golden: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(EXAMPLE), "--now", NOW, "--offline", "--format", fmt])
    out = capsys.readouterr().out
    assert code == 1  # examples/platform: labs and orders are not ready (EXPECTED.md)
    path = GOLDEN / golden
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert out == expected, (f"{golden} changed: review the difference, then regenerate with "
                             "PRODGATE_UPDATE_GOLDEN=1 (see this module's docstring)")


def test_golden_text_report_stays_readable() -> None:
    """What the golden file must keep, whatever the example's findings become."""
    text = (GOLDEN / "example-check.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[-1].startswith("✗ not ready — ")
    assert "✓ payments: ready as far as this run can see — " in text
    assert not any("unverified (" in line for line in lines)
    assert "\x1b[" not in text
    md = (GOLDEN / "example-check.md").read_text(encoding="utf-8")
    assert md.startswith("## prodgate: ✗ not ready\n")
    assert "\u200b" not in md and "\\`" not in md and "](docs/checks/" not in md
