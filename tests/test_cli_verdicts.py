"""Verdicts that say what the exit code means: no service is exit 2, a ✓ that is not proven says
so, one headline vocabulary across text, Markdown, the check run title and the catalog."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gate.cli import main
from gate.github import publish as pub
from gate.model import Report, Status
from gate.site import badge, page
from gate.site.catalog_json import to_json
from gate.verdict import report_headline, service_headline
from tests.helpers import EXAMPLE, write_tree
from tests.site import factory

NOW = "2026-11-29T12:00:00Z"
PAYMENTS = EXAMPLE / "services" / "payments"
UNPROVEN_LINE = "✓ payments: ready as far as this run can see — 6 items need GitHub/live evidence (`prodgate promote` judges them)"


@pytest.fixture(autouse=True)
def _no_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "INPUT_MODE"):
        monkeypatch.delenv(var, raising=False)


def test_check_with_no_service_is_exit_2_naming_the_services_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {"sst.config.ts": ""})
    assert main(["check", str(tmp_path)]) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    assert f"no service found under {tmp_path / 'services'} (paths.services is 'services')" in cap.err
    assert cap.err.count("\n") == 1


def test_a_services_root_that_names_nothing_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {
        "sst.config.ts": "",
        ".github/prod-readiness.yml": "paths:\n  services: apps\n",
        "services/foo/service.yaml": "name: foo\n",
    })
    assert main(["check", str(tmp_path)]) == 2
    assert f"no service found under {tmp_path / 'apps'} (paths.services is 'apps')" in capsys.readouterr().err


def test_catalog_with_no_service_is_exit_2_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path / "repo", {"sst.config.ts": ""})
    out = tmp_path / "site"
    assert main(["catalog", str(tmp_path / "repo"), "--out", str(out)]) == 2
    assert "no service found under" in capsys.readouterr().err
    assert not out.exists()


def test_check_of_a_service_with_only_unverified_items_says_ready_as_far_as_this_run_can_see(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report_file = tmp_path / "r.json"
    assert main(["check", str(PAYMENTS), "--now", NOW]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == UNPROVEN_LINE
    assert lines[-1].startswith("✓ ready as far as this run can see — ")
    assert "not ready" not in out and "NOT READY" not in out
    # the report's ready stays strict
    assert main(["check", str(PAYMENTS), "--now", NOW, "--format", "json", "--output", str(report_file)]) == 0
    doc = json.loads(report_file.read_text(encoding="utf-8"))
    assert doc["ready"] is False and doc["services"][0]["ready"] is False


def test_strict_check_says_not_ready_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PAYMENTS), "--now", NOW, "--strict"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("✗ payments: not ready — ")
    assert "unverified" in out.splitlines()[0]


def test_markdown_headline_is_the_same_vocabulary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PAYMENTS), "--now", NOW, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## prodgate: ✓ ready as far as this run can see\n")
    assert "### payments: ✓ ready as far as this run can see" in out
    assert "| payments | ✓ ready as far as this run can see |" in out


def _unproven_report(mode: str = "check") -> Report:
    s = factory.service("payments", "team-y", ready=True)
    items = tuple(
        it if it.id != "deployment.dns" else type(it)(it.id, it.section, it.title, Status.UNVERIFIED, (), "not checked live: no DNS provider")
        for it in s.items
    )
    svc = type(s)(s.name, s.path, items, s.status, s.owner, s.tier)
    return Report(mode, factory.NOW, (), (svc,))


def test_headline_blocks_only_what_the_exit_code_counts() -> None:
    r = _unproven_report()
    assert str(report_headline(r)) == "✓ ready as far as this run can see — 1 item needs GitHub/live evidence (`prodgate promote` judges them)"
    assert str(service_headline(r.services[0], "promote")) == "✗ not ready — 1 unverified"
    failing = Report("check", factory.NOW, (), (factory.service("ledger", "team-x", ready=False),))
    assert str(report_headline(failing)) == "✗ not ready — 1 fail"
    assert str(report_headline(Report("check", factory.NOW, (), (factory.service("b", "t", ready=True),)))) == "✓ ready"


def test_check_run_title_uses_the_headline() -> None:
    assert pub.title(_unproven_report("pr"), "success").startswith("✓ ready as far as this run can see — 1 service: ")
    failing = Report("pr", factory.NOW, (), (factory.service("ledger", "team-x", ready=False),))
    assert pub.title(failing, "failure").startswith("✗ not ready — 1 service: 1 fail")


def test_catalog_distinguishes_fails_from_not_proven_here() -> None:
    r = Report("catalog", factory.NOW, (), (*_unproven_report().services, factory.service("ledger", "team-x", ready=False)))
    files = badge.render(r)
    grey = ET.fromstring(files["badges/payments.svg"])
    assert [t.text for t in grey.iter("{http://www.w3.org/2000/svg}text")] == ["prod-ready", "?"]
    assert grey.get("aria-label") == "prod-ready: ? not proven here"
    assert json.loads(files["badges/payments.json"])["color"] == "656d76"
    assert json.loads(files["badges/ledger.json"])["message"] == "✗"
    doc = to_json(r)
    by = {s["name"]: s for s in doc["services"]}
    assert by["payments"]["verdict"] == "not-proven" and by["ledger"]["verdict"] == "not-ready"
    assert by["payments"]["needs"] == [{"how": by["payments"]["needs"][0]["how"], "items": ["deployment.dns"]}]
    assert "a live provider: configure `providers`" in by["payments"]["needs"][0]["how"]
    html = page.render(r)
    card = html.split('id="svc-payments"')[1].split("</section>")[0]
    assert "Nothing fails; not proven here: 1 item needs evidence this run could not read." in card
    assert "deployment.dns — needs a live provider" in card
    ledger = html.split('id="svc-ledger"')[1].split("</section>")[0]
    assert "Not ready: 1 item fails (artifacts.runbook)." in ledger


def test_catalog_of_the_example_offline_shows_why_each_service_is_not_proven(tmp_path: Path) -> None:
    out = tmp_path / "cat"
    assert main(["catalog", str(EXAMPLE), "--out", str(out), "--now", NOW, "--offline"]) == 0
    doc = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    payments = next(s for s in doc["services"] if s["name"] == "payments")
    assert payments["verdict"] == "not-proven"
    assert any("GITHUB_TOKEN" in g["how"] and "conventions.conformance" in g["items"] for g in payments["needs"])
    assert json.loads((out / "badges" / "payments.json").read_text(encoding="utf-8"))["message"] == "?"


def test_promote_after_deploy_headline_counts_prod_monitor_as_its_exit_code_does() -> None:
    from dataclasses import replace

    from gate.render import markdown, text
    from gate.verdict import blocks_promote

    s = factory.service("payments", "team-y", ready=True)
    items = tuple(
        it if it.id != "promotion.prod-monitor" else replace(it, status=Status.FAIL, reason="alarm in ALARM")
        for it in s.items
    )
    svc = replace(s, items=items)
    before = Report("promote", factory.NOW, (), (svc,), strict=True)
    assert not blocks_promote(before) and not report_headline(before).blocks
    after = replace(before, after_deploy=True)
    assert blocks_promote(after, after_deploy=True)
    assert str(report_headline(after)) == "✗ not ready — 1 fail"
    assert str(service_headline(svc, "promote", True, after_deploy=True)) == "✗ not ready — 1 fail"
    assert "✓" not in text.render(after).splitlines()[-1]
    assert "### payments: ✗ not ready" in markdown.render(after)
