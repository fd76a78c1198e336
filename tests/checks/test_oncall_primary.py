"""oncall.primary."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of

ID = "oncall.primary"


def test_primary_set_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS and "alice" in r.reason


def test_missing_primary_at_on_call_line(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  primary: alice\n", "")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "no primary on-call" in f.message and f.line == line_of(text, "on_call:")


def test_empty_primary_at_its_line(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  primary: alice", '  primary: ""')
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL and r.findings[0].line == line_of(text, "primary:")


def test_placeholder_primary_is_not_assigned(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  primary: alice", "  primary: TBD")
    r = evaluate(tmp_path, "oncall.primary", service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("on_call.primary 'TBD' is a placeholder, not a person: set it to the GitHub login of the "
                         "primary on-call")
    assert f.line == line_of(text, "primary: TBD")


def test_primary_that_is_not_a_login_fails(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  primary: alice", "  primary: alice smith")
    r = evaluate(tmp_path, "oncall.primary", service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("on_call.primary 'alice smith' is not a GitHub login")
    assert f.line == line_of(text, "primary: alice smith")
