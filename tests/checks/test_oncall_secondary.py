"""oncall.secondary: set, and not the primary (which fails secondary only)."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of
from tests.helpers import item

ID = "oncall.secondary"


def test_secondary_set_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS and "bob" in r.reason


def test_missing_secondary(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  secondary: bob\n", "")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    assert "no secondary on-call" in r.findings[0].message and r.findings[0].line == line_of(text, "on_call:")


def test_secondary_equal_to_primary_fails_secondary_only(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  secondary: bob", "  secondary: Alice")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "is also the primary" in f.message and f.line == line_of(text, "secondary: Alice")
    assert item(tmp_path, "payments", "oncall.primary").status == Status.PASS
    assert item(tmp_path, "payments", "artifacts.service-yaml").status == Status.PASS


def test_secondary_written_with_an_at_sign_is_still_the_primary(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  secondary: bob", '  secondary: "@Alice"')
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("secondary on-call @Alice is also the primary")
    assert f.line == line_of(text, "secondary:")


def test_placeholder_secondary_names_nobody(tmp_path: Path) -> None:
    for value in ("TBD", "none", "n/a", "'@someone'"):
        text = SERVICE_YAML.replace("  secondary: bob", f"  secondary: {value}")
        r = evaluate(tmp_path, ID, service_yaml=text)
        assert r.status == Status.FAIL, value
        (f,) = r.findings
        assert f.message.startswith("on_call.secondary '") and "set it to the GitHub login of a second person" \
            in f.message, f.message
        assert f.line == line_of(text, "secondary:")


def test_secondary_with_an_at_sign_passes(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  secondary: bob", '  secondary: "@bob"')
    assert evaluate(tmp_path, ID, service_yaml=text).status == Status.PASS
