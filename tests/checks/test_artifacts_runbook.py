"""artifacts.runbook: the six sections, non-empty, escalation with two levels."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import RUNBOOK, evaluate, line_of

ID = "artifacts.runbook"


def test_complete_runbook_passes(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID).status == Status.PASS


def test_missing_section_at_title_heading(tmp_path: Path) -> None:
    text = RUNBOOK.replace("## Recent incidents\nNone.\n\n", "")
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "RUNBOOK.md has no 'Recent incidents' section" in f.message
    assert f.path == "services/payments/RUNBOOK.md" and f.line == 1


def test_empty_section_at_its_heading(tmp_path: Path) -> None:
    text = RUNBOOK.replace("## Remediation\nRestart the service.\n", "## Remediation\n")
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "'Remediation' is empty" in f.message and f.line == line_of(text, "## Remediation")


def test_none_is_not_empty_and_headings_match_case_insensitively(tmp_path: Path) -> None:
    text = RUNBOOK.replace("## Recent incidents", "### RECENT INCIDENTS (90 days)")
    assert evaluate(tmp_path, ID, runbook=text).status == Status.PASS


def test_rollback_is_required(tmp_path: Path) -> None:
    text = RUNBOOK.split("## Rollback")[0]
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    assert "'Rollback'" in r.findings[0].message


def test_single_escalation_level_fails_at_heading(tmp_path: Path) -> None:
    text = RUNBOOK.replace("2. team-payments lead\n", "")
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "at least two" in f.message and f.line == line_of(text, "## Escalation")


def test_several_defects_one_finding_each(tmp_path: Path) -> None:
    text = "# Runbook\n\n## Alarms\n\n## Dashboards\n- x\n"
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    assert len(r.findings) == 5  # empty Alarms + 4 missing sections
    assert [f.line for f in r.findings] == [1, 1, 1, 1, 3]


def test_missing_runbook(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, runbook=None)
    assert r.status == Status.FAIL and "RUNBOOK.md is missing" in r.findings[0].message


def test_level_one_sections_are_not_taken_for_a_title(tmp_path: Path) -> None:
    text = RUNBOOK.replace("# Payments runbook\n\n", "").replace("## ", "# ")
    assert evaluate(tmp_path, ID, runbook=text).status == Status.PASS


def test_section_inside_a_hidden_element_does_not_count(tmp_path: Path) -> None:
    # the heading and its text are inside <div hidden>: the rendered runbook shows no such section
    text = RUNBOOK.replace("## Recent incidents\nNone.\n", "<div hidden>\n\n## Recent incidents\nNone.\n\n</div>\n")
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("RUNBOOK.md has no 'Recent incidents' section that shows: its heading "
                                "'Recent incidents'")
    assert "does not show on the rendered page" in f.message
    assert f.line == line_of(text, "## Recent incidents")


def test_section_after_an_unclosed_display_none_element_does_not_count(tmp_path: Path) -> None:
    text = RUNBOOK.replace("## Rollback", '<div style="display: none">\n\n## Rollback')
    r = evaluate(tmp_path, ID, runbook=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "no 'Rollback' section that shows" in f.message and f.line == line_of(text, "## Rollback")


def test_section_in_a_details_element_counts(tmp_path: Path) -> None:
    # <details> folds its content away behind a click: it is shown, not hidden
    text = RUNBOOK.replace("## Recent incidents\nNone.\n", "<details>\n\n## Recent incidents\nNone.\n\n</details>\n")
    assert evaluate(tmp_path, ID, runbook=text).status == Status.PASS
