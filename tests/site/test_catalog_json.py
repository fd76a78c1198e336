"""catalog.json: its published schema (two identical copies) and what it says of each service."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from gate.catalog import PROD_MONITOR, SERVICE_ITEMS
from gate.site import catalog_json
from tests.helpers import ROOT
from tests.site import factory

GATE_SCHEMA = ROOT / "gate" / "schemas" / "catalog.schema.json"
DOCS_SCHEMA = ROOT / "docs" / "schemas" / "catalog.schema.json"


def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GATE_SCHEMA.read_text(encoding="utf-8"))
    return data


def validate(doc: object) -> None:
    jsonschema.Draft202012Validator(schema()).validate(doc)


def test_published_copy_is_identical() -> None:
    assert GATE_SCHEMA.read_bytes() == DOCS_SCHEMA.read_bytes()


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("report", [factory.mixed(), factory.hostile(), factory.report()])
def test_output_validates(report: Any) -> None:
    validate(json.loads(catalog_json.render(report)))


def test_every_service_with_owner_status_tier_readiness_counts_and_failing_items() -> None:
    doc = json.loads(catalog_json.render(factory.mixed()))
    assert doc["schema"] == "prodgate.catalog/v1"
    assert doc["generated_at"] == "2026-11-29T12:00:00Z"
    assert doc["summary"] == {"services": 4, "ready": 2, "not_ready": 2}
    by = {s["name"]: s for s in doc["services"]}
    assert list(by) == ["billing", "ledger", "payments", "search"]
    ledger = by["ledger"]
    assert ledger["path"] == "services/ledger"
    assert ledger["owner"] == "team-x"
    assert ledger["status"] == "stable"
    assert ledger["tier"] == 1
    assert ledger["ready"] is False
    assert ledger["failing"] == ["artifacts.runbook"]
    assert ledger["blocking"] == ["artifacts.runbook", "deployment.dns"]
    assert ledger["counts"]["fail"] == 1 and ledger["counts"]["unverified"] == 1
    assert sum(ledger["counts"].values()) == len(SERVICE_ITEMS)
    assert ledger["prod_monitor"] == {"status": "pending", "reason": "pending here"}
    assert ledger["badge"] == {"svg": "badges/ledger.svg", "json": "badges/ledger.json"}
    search = by["search"]
    assert search["ready"] is True and search["failing"] == [] and search["blocking"] == []
    assert search["tier"] is None and search["status"] == "beta"


def test_prod_monitor_never_blocks() -> None:
    doc = json.loads(catalog_json.render(factory.mixed()))
    for s in doc["services"]:
        assert PROD_MONITOR not in s["blocking"]


def test_schema_rejects_a_wrong_document() -> None:
    doc = json.loads(catalog_json.render(factory.mixed()))
    del doc["services"][0]["ready"]
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)
    doc = json.loads(catalog_json.render(factory.mixed()))
    doc["services"][0]["badge"]["svg"] = "https://example.invalid/x.svg"
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)
