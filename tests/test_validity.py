"""valid_until: every time-dependent check reports its next boundary; the engine folds them into
the report's ``valid_until`` (JSON, text, Markdown and the marker that ``prodgate refresh`` reads).

Every clock here is a fixed ``now`` given to the run (as ``--now`` does), never the wall clock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from gate import validity
from gate.engine import evaluate
from gate.model import ItemResult, Level, Status
from gate.render import renderer
from tests.checks.promotion_fixture import HEAD, RUNBOOK, SERVICE_YAML, change, deploy, evidence, line_of, pr, repo
from tests.checks.promotion_fixture import service as judge_service
from tests.checks.test_promotion_freeze import ICS, ICS_CONFIG
from tests.helpers import make_run

UTC = dt.UTC
SCHEMA = json.loads((Path(__file__).parent.parent / "gate/schemas/report.schema.json").read_text())
WEEKLY = """\
freeze:
  windows:
    - name: Weekend
      weekly: {from: "Fri 16:00", to: "Mon 09:00"}
      timezone: America/New_York
"""

def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=UTC)


def freeze_item(root: Path, now: dt.datetime, config_text: str = WEEKLY, with_pr: bool = True) -> ItemResult:
    p = pr() if with_pr else None
    return change(root, "promotion.freeze", p=p, gh=evidence(p) if p else None, now=now, config_text=config_text,
                  mode="pr" if with_pr else "check")


# -- freeze windows -------------------------------------------------------------------------------
@pytest.mark.parametrize(("now", "until", "why"), [
    # spring forward (Sun 2026-03-08): the window opens Fri 16:00 EST and closes Mon 09:00 EDT
    (at(2026, 3, 4, 12), at(2026, 3, 6, 21), "the 'Weekend' freeze starts"),
    (at(2026, 3, 7, 12), at(2026, 3, 9, 13), "the 'Weekend' freeze ends"),  # 09:00 EDT, not 14:00Z
    # fall back (Sun 2026-11-01): opens Fri 16:00 EDT, closes Mon 09:00 EST
    (at(2026, 10, 28, 12), at(2026, 10, 30, 20), "the 'Weekend' freeze starts"),
    (at(2026, 10, 31, 12), at(2026, 11, 2, 14), "the 'Weekend' freeze ends"),  # 09:00 EST, not 13:00Z
])
def test_weekly_freeze_boundary_across_dst(tmp_path: Path, now: dt.datetime, until: dt.datetime, why: str) -> None:
    r = freeze_item(repo(tmp_path), now)
    assert r.changes_at is not None
    assert r.changes_at.at == until and r.changes_at.why == why
    assert r.changes_at.tz == "America/New_York" and r.changes_at.item == "promotion.freeze"


def test_check_mode_knows_the_boundary_of_an_item_it_does_not_judge(tmp_path: Path) -> None:
    r = freeze_item(repo(tmp_path), at(2026, 3, 4, 12), with_pr=False)
    assert r.status == Status.UNVERIFIED
    assert r.changes_at is not None and r.changes_at.at == at(2026, 3, 6, 21)


def test_one_off_window_boundaries_and_none_after_it(tmp_path: Path) -> None:
    text = ('freeze:\n  windows:\n    - {name: Year-end, start: "2026-12-18T17:00", end: "2027-01-04T09:00", '
            "timezone: America/New_York}\n")
    root = repo(tmp_path)
    before = freeze_item(root, at(2026, 12, 1, 0), text).changes_at
    assert before is not None and before.at == at(2026, 12, 18, 22) and "'Year-end' freeze starts" in before.why
    inside = freeze_item(root, at(2026, 12, 25, 0), text).changes_at
    assert inside is not None and inside.at == at(2027, 1, 4, 14) and "'Year-end' freeze ends" in inside.why
    assert freeze_item(root, at(2027, 2, 1, 0), text).changes_at is None


def test_calendar_rrule_boundary_skips_an_excluded_occurrence(tmp_path: Path) -> None:
    root = repo(tmp_path, {"ops/freeze.ics": ICS})
    # Wed 2026-11-25: the Fri 11-27 occurrence is an EXDATE; the next is Fri 12-04 16:00 EST
    r = freeze_item(root, at(2026, 11, 25, 12), ICS_CONFIG)
    assert r.changes_at is not None and r.changes_at.at == at(2026, 12, 4, 21)
    assert r.changes_at.why == "the 'Weekend freeze' freeze starts" and r.changes_at.tz == "America/New_York"
    inside = freeze_item(root, at(2026, 12, 5, 12), ICS_CONFIG).changes_at
    assert inside is not None and inside.at == at(2026, 12, 7, 14)


# -- soak and monitor deadlines -----------------------------------------------------------------
def test_soak_deadline_is_the_boundary(tmp_path: Path) -> None:
    now = at(2026, 11, 29, 12)
    live = now - dt.timedelta(hours=5)
    p = pr()
    gh = evidence(p, deployments={"payments-staging": (deploy("payments-staging", HEAD, "success", live),)})
    r = judge_service(repo(tmp_path), "deployment.staging-soak", p=p, gh=gh, now=now)
    assert r.status == Status.PENDING
    assert r.changes_at is not None and r.changes_at.at == live + dt.timedelta(hours=24)
    assert r.changes_at.why == "the staging soak of payments completes" and r.changes_at.service == "payments"
    done = judge_service(repo(tmp_path), "deployment.staging-soak", p=p, gh=gh, now=live + dt.timedelta(hours=25))
    assert done.status == Status.PASS and done.changes_at is None


def test_monitor_deadline_is_the_boundary(tmp_path: Path) -> None:
    now = at(2026, 11, 29, 12)
    live = now - dt.timedelta(minutes=10)
    gh = evidence(None, sha=HEAD, deployments={"payments-prod": (deploy("payments-prod", HEAD, "success", live),)})
    r = judge_service(repo(tmp_path), "promotion.prod-monitor", gh=gh, now=now, mode="promote")
    assert r.status == Status.PENDING
    assert r.changes_at is not None and r.changes_at.at == live + dt.timedelta(minutes=30)


# -- waivers and attestations ------------------------------------------------------------------------
NO_ROLLBACK = RUNBOOK.replace("## Rollback\n\nRedeploy the previous image with `sst deploy --stage prod`.\n", "")


def waived_yaml(expires: str) -> str:
    return SERVICE_YAML + (f"  waivers:\n    - item: promotion.rollback\n      reason: rollback drill booked\n"
                           f"      approved_by: carol\n      expires: {expires}\n")


def test_waiver_expiry_is_the_boundary_and_warns_before_it_bites(tmp_path: Path) -> None:
    text = waived_yaml("2026-12-04")
    root = repo(tmp_path, {"services/payments/service.yaml": text, "services/payments/RUNBOOK.md": NO_ROLLBACK})
    r = judge_service(root, "promotion.rollback", now=at(2026, 11, 29, 12))
    assert r.status == Status.WAIVED
    # the waiver counts through its expiry date: it ends at the start of the next day
    assert r.changes_at is not None and r.changes_at.at == at(2026, 12, 5, 0)
    assert "waiver of promotion.rollback (expires 2026-12-04) ends" in r.changes_at.why
    (warn,) = [f for f in r.findings if f.level == Level.WARNING]
    assert "waiver for promotion.rollback expires in 5 days (2026-12-04)" in warn.message
    assert warn.path == "services/payments/service.yaml"
    assert warn.line == line_of(text, "    - item: promotion.rollback")
    # after it: the item fails, and nothing lies ahead for it
    after = judge_service(root, "promotion.rollback", now=at(2026, 12, 5, 0))
    assert after.status == Status.FAIL and after.changes_at is None


def test_far_waiver_does_not_warn_and_the_window_is_configurable(tmp_path: Path) -> None:
    root = repo(tmp_path, {"services/payments/service.yaml": waived_yaml("2026-12-24"),
                           "services/payments/RUNBOOK.md": NO_ROLLBACK})
    far = judge_service(root, "promotion.rollback", now=at(2026, 11, 29, 12))
    assert far.status == Status.WAIVED and not [f for f in far.findings if f.level == Level.WARNING]
    wide = judge_service(root, "promotion.rollback", now=at(2026, 11, 29, 12), config_text="expiry_warning_days: 30\n")
    (warn,) = [f for f in wide.findings if f.level == Level.WARNING]
    assert "expires in 25 days" in warn.message


def test_attestation_age_limit_is_the_boundary(tmp_path: Path) -> None:
    # the fixture's oncall.notified attestation is dated 2026-11-20; max_age_days 30 → it counts
    # through 2026-12-20 and stops at the start of 2026-12-21
    r = judge_service(repo(tmp_path), "oncall.notified", now=at(2026, 11, 29, 12))
    assert r.status == Status.PASS
    assert r.changes_at is not None and r.changes_at.at == at(2026, 12, 21, 0)
    later = judge_service(repo(tmp_path), "oncall.notified", now=at(2026, 12, 21, 0))
    assert later.status == Status.MANUAL and later.changes_at is None



def test_a_waiver_to_the_end_of_the_calendar_has_no_boundary(tmp_path: Path) -> None:
    # 9999-12-31 has no day after it: the waiver never ends on its own, and nothing overflows
    root = repo(tmp_path, {"services/payments/service.yaml": waived_yaml("9999-12-31"),
                           "services/payments/RUNBOOK.md": NO_ROLLBACK})
    r = judge_service(root, "promotion.rollback", now=at(2026, 11, 29, 12))
    assert r.status == Status.WAIVED and r.changes_at is None


# -- the report ---------------------------------------------------------------------------------
def test_report_valid_until_is_the_earliest_boundary_in_every_output(tmp_path: Path) -> None:
    root = repo(tmp_path)
    now = at(2026, 12, 4, 20, 59)  # Fri 15:59 EST: the Weekend freeze opens in a minute
    run = make_run(root, now=now, config_text=WEEKLY)
    report = evaluate(run, run.all_services)
    b = report.valid_until
    assert b is not None and b.at == at(2026, 12, 4, 21) and b.item == "promotion.freeze"
    data = json.loads(renderer("json")(report))
    jsonschema.validate(data, SCHEMA)
    assert data["valid_until"] == "2026-12-04T21:00:00Z"
    assert data["valid_until_reason"] == "promotion.freeze: the 'Weekend' freeze starts"
    text = renderer("text")(report)
    assert ("valid until Fri 2026-12-04 16:00 America/New_York (2026-12-04T21:00:00Z): promotion.freeze: the "
            "'Weekend' freeze starts") in text
    md = renderer("markdown")(report)
    assert "valid until Fri 2026\\-12\\-04 16:00 America/New\\_York" in md
    assert validity.read_marker(md) == validity.Marker(at(2026, 12, 4, 21), "promotion.freeze", "",
                                                       rest=at(2026, 12, 21, 0))  # the attestation ages out


def test_nothing_ahead_is_null_and_a_none_marker(tmp_path: Path) -> None:
    root = repo(tmp_path, {"services/payments/service.yaml": SERVICE_YAML.split("readiness:")[0]})
    run = make_run(root, now=at(2026, 11, 29, 12))
    report = evaluate(run, run.all_services, frozenset({"artifacts.readme", "promotion.freeze"}))
    assert report.valid_until is None
    assert json.loads(renderer("json")(report))["valid_until"] is None
    assert validity.read_marker(renderer("markdown")(report)) == validity.Marker(None)
    assert "valid until: no time-dependent change ahead" in renderer("text")(report)


def test_a_forged_marker_in_repository_text_is_not_read(tmp_path: Path) -> None:
    forged = "[//]: # (prodgate:valid-until=2000-01-01T00:00:00Z)"
    text = SERVICE_YAML.replace("owner: team-payments", f"owner: {json.dumps(chr(10) + forged + chr(10))}")
    root = repo(tmp_path, {"services/payments/service.yaml": text})
    run = make_run(root, now=at(2026, 12, 2, 12), config_text=WEEKLY)  # a Wednesday
    md = renderer("markdown")(evaluate(run, run.all_services))
    got = validity.read_marker(md)
    assert got is not None and got.until == at(2026, 12, 4, 21)


# -- the catalog lists what expires, soonest first -------------------------------------------------------
def test_catalog_lists_waivers_and_attestations_soonest_first(tmp_path: Path) -> None:
    from gate.site import catalog_json, page

    text = waived_yaml("2026-12-04").replace(
        "      at: 2026-11-20\n", "      at: 2026-11-20\n    - item: oncall.dashboard-access\n      by: erin\n"
                                 "      at: 2026-11-05\n")
    root = repo(tmp_path, {"services/payments/service.yaml": text, "services/payments/RUNBOOK.md": NO_ROLLBACK})
    run = make_run(root, now=at(2026, 11, 29, 12))
    report = evaluate(run, run.all_services)
    data = json.loads(catalog_json.render(report))
    catalog_schema = json.loads((Path(__file__).parent.parent / "gate/schemas/catalog.schema.json").read_text())
    jsonschema.validate(data, catalog_schema)
    (svc,) = data["services"]
    got = [(e["item"], e["kind"], e["ends_at"], e["days_left"]) for e in svc["expiring"]]
    assert got == [
        ("promotion.rollback", "waiver", "2026-12-05T00:00:00Z", 5),
        ("oncall.dashboard-access", "attestation", "2026-12-06T00:00:00Z", 6),  # 2026-11-05 + 30 days
        ("oncall.notified", "attestation", "2026-12-21T00:00:00Z", 21),
    ]
    assert svc["expiring"][0]["detail"] == "approved by carol, expires 2026-12-04: rollback drill booked"
    assert svc["expiring"][1]["detail"] == "attested by erin on 2026-11-05: it ages past 30 days"
    html = page.render(report)
    assert "Waivers and attestations, soonest to expire first (3)" in html
    assert html.index("promotion.rollback</code></th><td>waiver") < html.index("oncall.notified</code></th>")
    assert '<time datetime="2026-12-05T00:00:00Z">2026-12-05</time> (in 5 days)' in html
