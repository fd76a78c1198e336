"""artifacts.service-yaml: the published schema, schema errors at their lines, name and status."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from gate import catalog
from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of
from tests.helpers import ROOT

ID = "artifacts.service-yaml"


def test_published_schema_is_identical_in_package_and_docs() -> None:
    pkg = (ROOT / "gate" / "schemas" / "service.schema.json").read_text("utf-8")
    docs = (ROOT / "docs" / "schemas" / "service.schema.json").read_text("utf-8")
    assert pkg == docs
    schema = json.loads(pkg)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["name", "owner", "status", "brand_scope", "on_call", "contracts"]
    waiver_items = schema["properties"]["readiness"]["properties"]["waivers"]["items"]["properties"]["item"]["enum"]
    assert waiver_items == [i.id for i in catalog.ITEMS]


def test_schema_covers_every_key_of_the_conventions_example() -> None:
    import yaml

    schema = json.loads((ROOT / "gate" / "schemas" / "service.schema.json").read_text("utf-8"))
    example = yaml.safe_load(SERVICE_YAML)
    example["readiness"]["waivers"] = [{"item": "data.brand-id", "reason": "r", "approved_by": "carol",
                                        "expires": "2027-01-31", "targets": ["currencies"]}]
    example["data"] = {"append_only": ["audit_log"], "ledger": ["ledger"]}
    example["readiness"]["attestations"][0]["at"] = "2026-11-20"
    example["readiness"]["attestations"][1]["at"] = "2026-11-21"
    jsonschema.Draft202012Validator(schema).validate(example)
    top = set(schema["properties"])
    assert {"name", "description", "owner", "status", "tier", "brand_scope", "phi", "on_call", "dashboards",
            "contracts", "scopes", "rate_limits", "cron", "domain_primitives", "data", "readiness"} <= top


def test_valid_stable_service_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings


def test_beta_status_fails_at_status_line(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("status: stable", "status: beta")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "status is beta; prod needs stable" in f.message
    assert f.path == "services/payments/service.yaml"
    assert f.line == line_of(text, "status: beta")


def test_missing_key_is_reported_at_parent_line(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  primary: alice\n", "")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "on_call.primary" in f.message and "missing" in f.message and "GitHub login" in f.message
    assert f.line == line_of(text, "on_call:")


def test_missing_top_level_key_is_reported_at_document_top(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("owner: team-payments\n", "")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "`owner` is missing" in f.message
    assert f.line == 1


@pytest.mark.parametrize(
    ("old", "new", "needle", "expect"),
    [
        ("tier: 1", "tier: 7", "tier: 7", "`tier` is 7, out of range"),
        ("status: stable", "status: prod", "status: prod", "not one of experimental, beta, stable, deprecated"),
        ("brand_scope: [loop, loop-rx]", "brand_scope: loop", "brand_scope: loop", "`brand_scope` must be of type array"),
        ("  pagerduty_schedule: P1A2B3C", "  pagerduty_schedule: P1A2B3C\n  pager: x", "pager: x",
         "unknown key `on_call.pager`"),
        ("    route: POST /cron/reconcile", "    route: reconcile", "route: reconcile", "`cron[0].route` is 'reconcile'"),
        ("  read: 600/min", "  read: lots", "read: lots", "`rate_limits.read` is 'lots'"),
        ("    - item: oncall.notified", "    - item: oncall.whatever", "item: oncall.whatever",
         "`readiness.attestations[0].item` is 'oncall.whatever'"),
    ],
)
def test_schema_errors_at_the_offending_key(tmp_path: Path, old: str, new: str, needle: str, expect: str) -> None:
    text = SERVICE_YAML.replace(old, new)
    assert text != SERVICE_YAML
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    assert len(r.findings) == 1, r.findings
    assert expect in r.findings[0].message
    assert r.findings[0].line == line_of(text, needle)


def test_name_must_equal_folder(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("name: payments", "name: payment")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "must equal the folder name" in f.message and f.line == 1


def test_several_errors_give_one_finding_each_in_line_order(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("status: stable", "status: beta").replace("tier: 1", "tier: zero")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert [f.line for f in r.findings] == [line_of(text, "status:"), line_of(text, "tier:")]


def test_unparsable_yaml_is_a_finding_with_line(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("tier: 1", "tier: [1")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    assert r.findings[0].path == "services/payments/service.yaml"
    assert r.findings[0].line is not None
