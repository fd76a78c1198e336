"""oncall.escalation: RUNBOOK.md Escalation section with two or more list items."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import RUNBOOK, evaluate, line_of

ID = "oncall.escalation"


def test_two_levels_pass(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS and "2 escalation levels" in r.reason


def test_one_level_fails_at_heading(tmp_path: Path) -> None:
    text = RUNBOOK.replace("1. alice (primary)\n2. team-payments lead\n", "Page alice; nested:\n- alice\n  - bob\n")
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "lists 1 escalation level(s)" in f.message and f.line == line_of(text, "## Escalation")


def test_no_escalation_section_at_title(tmp_path: Path) -> None:
    text = RUNBOOK.replace("## Escalation\n1. alice (primary)\n2. team-payments lead\n", "")
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    assert "no 'Escalation' section" in r.findings[0].message and r.findings[0].line == 1


def test_missing_runbook(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID, runbook=None).status == Status.FAIL


def test_escalation_inside_a_hidden_element_fails_at_its_heading(tmp_path: Path) -> None:
    text = RUNBOOK.replace("## Escalation\n1. alice (primary)\n2. team-payments lead\n",
                           "<div aria-hidden=\"true\">\n\n## Escalation\n1. alice (primary)\n2. team-payments lead\n\n</div>\n")
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("RUNBOOK.md has no 'Escalation' section that shows: its heading 'Escalation'")
    assert f.line == line_of(text, "## Escalation")
