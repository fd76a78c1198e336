"""The renderers against hostile findings: SARIF locations are valid URI references that name
the file they mean, every report stays valid against its schema."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema

from gate import catalog
from gate.model import Finding, ItemResult, Report, ServiceReport, Status
from gate.render import renderer

SCHEMA = json.loads((Path(__file__).parent.parent / "gate/schemas/report.schema.json").read_text())
NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
#: RFC 3986 relative-ref made of path characters only (no scheme, no query, no fragment)
_PATH_REF = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})*$")

PATHS = ("services/pay/a b.ts", "services/pay/c#1.ts", "services/pay/100%.ts", "services/pay/q?.ts",
         "services/pay/x:y.ts", "services/pay/naïve.ts", "services/pay/new\nline.ts")


def _report(findings: tuple[Finding, ...]) -> Report:
    items = tuple(ItemResult(it.id, it.section, it.title, Status.FAIL if it.id == "artifacts.readme" else Status.PASS,
                             findings if it.id == "artifacts.readme" else ())
                  for it in catalog.SERVICE_ITEMS)
    change = tuple(ItemResult(i.id, i.section, i.title, Status.PASS) for i in catalog.CHANGE_ITEMS)
    return Report("check", NOW, change, (ServiceReport("pay", "services/pay", items, "stable"),))


def test_sarif_uris_are_percent_encoded_and_name_the_file() -> None:
    findings = tuple(Finding(f"finding {n}", p, n + 1, n + 1) for n, p in enumerate(PATHS))
    findings += (Finding("no position"), Finding("line 0 is no region", "services/pay/z.ts", 0, 0))
    doc = json.loads(renderer("sarif")(_report(findings)))
    results = doc["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris[: len(PATHS)] == ["services/pay/a%20b.ts", "services/pay/c%231.ts", "services/pay/100%25.ts",
                                  "services/pay/q%3F.ts", "services/pay/x%3Ay.ts", "services/pay/na%C3%AFve.ts",
                                  "services/pay/new%0Aline.ts"]
    for u in uris:
        assert _PATH_REF.match(u), u
    assert [unquote(u) for u in uris[: len(PATHS)]] == list(PATHS)
    # a finding without a path is located at the service's manifest; line 0 gives no region
    assert uris[len(PATHS)] == "services/pay/service.yaml"
    last = results[-1]["locations"][0]["physicalLocation"]
    assert last["artifactLocation"]["uri"] == "services/pay/z.ts" and "region" not in last
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "endLine": 1}


def test_the_json_report_is_valid_with_hostile_paths_and_messages() -> None:
    msg = "\x1b[31mx\x1b[0m ::error::y <img src=x> </details> a|b `c` \u202e \x00 " + "z" * 70_000
    findings = (*(Finding(msg, p, 1, 1) for p in PATHS), Finding(msg))
    doc = json.loads(renderer("json")(_report(findings)))
    jsonschema.validate(doc, SCHEMA)
    assert doc["services"][0]["items"][1]["findings"][0]["message"] == msg  # the whole message, as found


def test_the_markdown_report_says_when_it_cuts_a_message() -> None:
    from gate.render.markdown import CUT_NOTE, escape

    long = "A" * 5000 + " the end"
    md = renderer("markdown")(_report((Finding(long, "services/pay/a.ts", 1, 1),)))
    (line,) = [ln for ln in md.splitlines() if "AAAA" in ln]
    assert line.endswith("A…") and "the end" not in md
    assert md.rstrip().endswith(f"> Note: {escape(CUT_NOTE)}")
    short = renderer("markdown")(_report((Finding("A" * 1000, "services/pay/a.ts", 1, 1),)))
    assert "the JSON report has them whole" not in short and "A" * 1000 in short


def test_a_service_name_cannot_add_cells_to_the_summary_table() -> None:
    name = "pay`| ✓ ready | 0 | 0 | 0 | 0 | 0 |`x"
    report = _report((Finding("broken", "services/pay/a.ts", 1, 1),))
    report = Report(report.mode, report.generated_at, report.items,
                    (ServiceReport(name, "services/pay", report.services[0].items, "stable"),))
    md = renderer("markdown")(report)
    (row,) = [ln for ln in md.splitlines() if ln.startswith("| pay")]
    # GitHub splits a row at each | not preceded by a backslash, inside code spans too
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 7
    assert cells[1].strip() == "✗ not ready" and cells[2].strip() == "1"
