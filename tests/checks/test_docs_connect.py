"""docs.connect: partner-facing scopes named in docs/connect/*.md; none → skip."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of

ID = "docs.connect"


def test_partner_scope_documented_passes(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID).status == Status.PASS


def test_undocumented_partner_scope_at_its_name(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, connect="# Connect\n\nScopes: `payments:read-all`.\n")
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "partner-facing scope payments:read is not named" in f.message
    assert f.line == line_of(SERVICE_YAML, "- name: payments:read")


def test_no_partner_scope_is_skipped(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("    partner: true\n", "")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.SKIP and "partner" in r.reason


def test_scope_named_only_in_an_html_comment_is_not_documented(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, connect="# Connect\n\n<!-- document payments:read here -->\n")
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("partner-facing scope payments:read is not named in any docs/connect/*.md: document it in "
                         "the Connect docs")
    assert f.line == line_of(SERVICE_YAML, "- name: payments:read")
