"""The catalog of the example platform repository (examples/platform), by the documented command."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from gate.catalog import PROD_MONITOR
from gate.cli import main
from tests.helpers import EXAMPLE, ROOT

NOW = "2026-11-29T12:00:00Z"
SVG = "{http://www.w3.org/2000/svg}"

pytestmark = pytest.mark.skipif(
    not (EXAMPLE / "services" / "payments" / "service.yaml").is_file(),
    reason="examples/platform (with services/payments) is not in the repository yet",
)


def test_example_catalog_is_complete_and_payments_badge_matches_its_report(tmp_path: Path) -> None:
    out = tmp_path / "catalog"
    assert main(["catalog", str(EXAMPLE), "--out", str(out), "--now", NOW]) == 0
    doc = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "gate" / "schemas" / "catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    folders = sorted(p.parent.name for p in (EXAMPLE / "services").glob("*/service.yaml"))
    assert [s["name"] for s in doc["services"]] == folders
    for s in doc["services"]:
        assert (out / s["badge"]["svg"]).is_file() and (out / s["badge"]["json"]).is_file()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('class="svc ') == len(folders)

    # payments: the badge says what `prodgate check` says of it
    report_file = tmp_path / "payments.json"
    code = main(["check", str(EXAMPLE / "services" / "payments"), "--now", NOW, "--format", "json",
                 "--output", str(report_file)])
    assert code in (0, 1)
    report = json.loads(report_file.read_text(encoding="utf-8"))
    (payments,) = report["services"]
    entry = next(s for s in doc["services"] if s["name"] == "payments")
    assert entry["ready"] is payments["ready"]
    # ✓ proven, ✗ something fails (or waits for a person), ? nothing fails but not proven here
    c = payments["counts"]
    mark = "✓" if payments["ready"] else "✗" if c["fail"] or c["manual"] else "?"
    assert entry["verdict"] == {"✓": "ready", "✗": "not-ready", "?": "not-proven"}[mark]
    root = ET.parse(out / "badges" / "payments.svg").getroot()
    assert [t.text for t in root.iter(f"{SVG}text")] == ["prod-ready", mark]
    endpoint = json.loads((out / "badges" / "payments.json").read_text(encoding="utf-8"))
    assert endpoint["message"] == mark
    # the same verdict item by item (promotion.prod-monitor aside: the catalog judges it, check does not)
    failing = [i["id"] for i in payments["items"] if i["status"] == "fail" and i["id"] != PROD_MONITOR]
    assert [i for i in entry["failing"] if i != PROD_MONITOR] == failing
    assert ('data-ready="true"' if payments["ready"] else 'data-ready="false"') in html.split('id="svc-payments"')[1][:200]
