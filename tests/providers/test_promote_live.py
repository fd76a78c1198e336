"""Acceptance: ``prodgate promote --service payments --after-deploy`` on the example platform, run
as the Action runs it, with every provider pointed at its local stand-in.

- every stand-in proves its item → the live items pass;
- every stand-in disproves its item → each live item fails with its provider's finding, and no
  other item changes;
- a stand-in stopped → its item is unverified, the step fails closed and says which provider
  could not be reached.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import EXAMPLES, Scenario, StandIn, _need, event_payload, run_gate
from tests.github.test_action_pr import _files, _green
from tests.helpers import EXAMPLE
from tests.providers.conftest import (
    ALARM_HISTORY,
    GH_TOKEN,
    PD_TOKEN,
    AwsStandIn,
    DnsStandIn,
    HealthStandIn,
    LocalCA,
    PackagesStandIn,
    PagerDutyStandIn,
    boto,
    history_item,
    put_alarms,
)

NOW = "2026-11-29T12:00:00Z"
LIVE_ITEMS = {
    "deployment.dev-healthz": "HTTP",
    "deployment.dns": "DNS",
    "observability.alarms": "CloudWatch",
    "deployment.staging-soak": "CloudWatch",
    "promotion.prod-monitor": "CloudWatch",
    "deployment.secrets": "SSM",
    "observability.sentry": "SSM",
    "oncall.pagerduty-schedule": "PagerDuty",
    "sdk.package": "GitHub Packages",
}


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


def _deploy(did: int, env: str, sha: str, at: str) -> dict[str, Any]:
    return {"id": did, "sha": sha, "ref": "main", "task": "deploy", "environment": env, "created_at": at,
            "updated_at": at, "url": f"https://api.github.com/repos/o/r/deployments/{did}",
            "statuses": [{"id": did * 10, "state": "success", "created_at": at, "environment": env}]}


class Peers:
    def __init__(self, ca: LocalCA, dns: DnsStandIn, health: HealthStandIn, aws: AwsStandIn, pd: PagerDutyStandIn,
                 pkgs: PackagesStandIn) -> None:
        self.ca, self.dns, self.health, self.aws, self.pd, self.pkgs = ca, dns, health, aws, pd, pkgs

    def config(self) -> str:
        return f"""providers:
  timeout_seconds: 0.5
  retries: 1
  backoff_seconds: 0.02
  http:
    url: "{self.health.url}/{{service}}/{{stage}}/healthz"
    ca_bundle: {self.ca.ca_pem}
  dns:
    nameservers: [127.0.0.1]
    port: {self.dns.port}
  aws:
    region: us-east-1
    endpoint_url: {self.aws.url}
  pagerduty:
    api_url: {self.pd.url}
    email_domain: loop.health
  github_packages:
    api_url: {self.pkgs.url}
"""


@pytest.fixture
def peers(test_ca: LocalCA, dns_server: DnsStandIn, health: HealthStandIn, aws: AwsStandIn,
          pagerduty: PagerDutyStandIn, packages: PackagesStandIn) -> Peers:
    return Peers(test_ca, dns_server, health, aws, pagerduty, packages)


@pytest.fixture
def workspace(tmp_path: Path, peers: Peers) -> tuple[Path, str]:
    ws = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, ws)
    (ws / ".github").mkdir(exist_ok=True)
    (ws / ".github" / "prod-readiness.yml").write_text(peers.config(), encoding="utf-8")
    _git(ws, "init", "-q", "-b", "main")
    _git(ws, "add", "-A")
    _git(ws, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "platform")
    return ws, _git(ws, "rev-parse", "HEAD")


@pytest.fixture
def github(workspace: tuple[Path, str], gh_openapi: Any) -> Iterator[StandIn]:
    _, head = workspace
    s = Scenario(number=5, head_sha=head, base_sha=head, commit_pulls={head: [5]})
    _green(s)  # approved, CI green
    s.check_runs.append({"id": 13, "name": "smoke (staging)", "head_sha": head, "status": "completed",
                         "conclusion": "success"})
    s.files = _files(["services/payments/src/routes/refunds.ts", ".changeset/brave-otters-refund.md"])
    s.deployments = {
        "payments-dev": [_deploy(31, "payments-dev", head, "2026-11-28T09:00:00Z")],
        "payments-staging": [_deploy(32, "payments-staging", head, "2026-11-28T06:00:00Z")],
        "payments-prod": [_deploy(33, "payments-prod", head, "2026-11-29T11:00:00Z")],
    }
    standin = StandIn(gh_openapi, s)
    yield standin
    standin.close()
    assert not standin.problems, standin.problems


def promote(workspace: tuple[Path, str], github: StandIn) -> tuple[Any, dict[str, dict[str, Any]]]:
    _need(EXAMPLES)
    examples = {e["name"]: e["examples"] for e in json.loads(EXAMPLES.read_text(encoding="utf-8"))}
    ws, head = workspace
    run = run_gate(ws, github, event_payload(examples, "workflow_dispatch"), event_name="workflow_dispatch",
                   argv=["promote", "--service", "payments", "--after-deploy", "--now", NOW],
                   extra_env={"GITHUB_SHA": head, "PAGERDUTY_TOKEN": PD_TOKEN, "GITHUB_TOKEN": GH_TOKEN})
    assert run.report is not None, run.stderr
    items = {i["id"]: i for s in run.report["services"] for i in s["items"]}
    return run, items


def test_every_stand_in_proves_its_item(workspace: tuple[Path, str], github: StandIn, peers: Peers) -> None:
    run, items = promote(workspace, github)
    for item_id, provider in LIVE_ITEMS.items():
        it = items[item_id]
        assert it["status"] == "pass", (item_id, it)
        assert f"live ({provider})" in it["reason"], (item_id, it["reason"])
    # and with the GitHub evidence green too, the whole promotion passes
    assert run.code == 0, run.stderr
    assert "payments is ready for prod (after deploy); 0 blocking item(s)" in run.stdout
    assert "Traceback" not in run.stderr
    assert PD_TOKEN not in run.stdout + run.stderr and GH_TOKEN not in run.stdout + run.stderr


def test_every_stand_in_disproves_its_item(workspace: tuple[Path, str], github: StandIn, peers: Peers) -> None:
    _, before = promote(workspace, github)
    peers.health.status = 500
    del peers.dns.records["payments.staging.platform.loop.health"]
    put_alarms(peers.aws.moto_url, "payments", "prod", dlq=5)
    staging_live = dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.UTC)
    ALARM_HISTORY.append(history_item("payments-staging-latency-p99", staging_live + dt.timedelta(hours=3), "OK", "ALARM"))
    ALARM_HISTORY.append(history_item("payments-prod-error-rate", dt.datetime(2026, 11, 29, 11, 20, tzinfo=dt.UTC),
                                      "OK", "ALARM"))
    boto("ssm", peers.aws.moto_url).delete_parameter(Name="/sst/platform/dev/Secret/PaymentsSentryDsn/value")
    peers.pd.set_schedule("P1A2B3C", ["PUSER01", "PUSER02"], levels=1)
    peers.pkgs.versions[("platform", "sdk-payments")] = ["1.7.2"]
    run, items = promote(workspace, github)
    assert run.code == 1
    expected = {
        "deployment.dev-healthz": "answered 500 (after 2 attempts) (must be 200)",
        "deployment.dns": "staging: payments.staging.platform.loop.health does not exist in DNS (NXDOMAIN",
        "observability.alarms": "prod: CloudWatch alarm payments-prod-dlq-depth has threshold 5 (DLQ depth must alarm above 0)",
        "deployment.staging-soak": "staging: CloudWatch alarm payments-staging-latency-p99 entered ALARM at 2026-11-28T09:00Z",
        "promotion.prod-monitor": "prod: CloudWatch alarm payments-prod-error-rate entered ALARM at 2026-11-29T11:20Z",
        "deployment.secrets": "secret PaymentsSentryDsn is not set in dev (no SSM parameter /sst/platform/dev/Secret/",
        "observability.sentry": "secret PaymentsSentryDsn is not set in dev",
        "oncall.pagerduty-schedule": "have at most 1 level(s)",
        "sdk.package": "@platform/sdk-payments@1.8.0 is not published in GitHub Packages (published: 1.7.2)",
    }
    for item_id, text in expected.items():
        it = items[item_id]
        assert it["status"] == "fail", (item_id, it)
        assert any(text in f["message"] for f in it["findings"]), (item_id, it["findings"])
    changed = {k for k in items if items[k]["status"] != before[k]["status"]}
    assert changed == set(expected)
    assert "blocks promotion: payments: oncall.pagerduty-schedule is fail" in run.stderr


def test_an_alarm_firing_when_prod_went_live_fails_the_monitor(workspace: tuple[Path, str], github: StandIn,
                                                               peers: Peers) -> None:
    # in ALARM from before the prod deployment went live (11:00) until 11:10, inside the monitor
    # window: the promotion was not monitored clean (it passed: no transition INTO ALARM in the window)
    ALARM_HISTORY.append(history_item("payments-prod-error-rate", dt.datetime(2026, 11, 29, 10, 50, tzinfo=dt.UTC),
                                      "OK", "ALARM"))
    ALARM_HISTORY.append(history_item("payments-prod-error-rate", dt.datetime(2026, 11, 29, 11, 10, tzinfo=dt.UTC),
                                      "ALARM", "OK"))
    _, items = promote(workspace, github)
    it = items["promotion.prod-monitor"]
    assert it["status"] == "fail", it
    assert [f["message"] for f in it["findings"]] == [
        "prod: CloudWatch alarm payments-prod-error-rate was in ALARM when the deployment went live at "
        "2026-11-29T11:00Z and stayed in ALARM until 2026-11-29T11:10Z"]
    assert it["findings"][0].get("line") is None
    assert items["deployment.staging-soak"]["status"] == "pass"


STOPPED = {
    "health": ({"deployment.dev-healthz"}, "HTTP", "could not be reached (connection refused)"),
    "dns": ({"deployment.dns"}, "DNS", "DNS timeout after 0.5 s"),
    "aws": ({"observability.alarms", "deployment.staging-soak", "promotion.prod-monitor", "deployment.secrets",
             "observability.sentry"}, "CloudWatch", "could not be reached (no connection to the endpoint)"),
    "pd": ({"oncall.pagerduty-schedule"}, "PagerDuty", "PagerDuty could not be reached (connection refused)"),
    "pkgs": ({"sdk.package"}, "GitHub Packages", "GitHub Packages could not be reached (connection refused)"),
}


@pytest.mark.parametrize("which", sorted(STOPPED))
def test_a_stopped_stand_in_fails_closed_naming_the_provider(workspace: tuple[Path, str], github: StandIn,
                                                              peers: Peers, which: str) -> None:
    ids, provider, why = STOPPED[which]
    getattr(peers, which).stop()
    run, items = promote(workspace, github)
    assert run.code == 1 and "is NOT ready for prod" in run.stdout and "Traceback" not in run.stderr
    not_ok = {k for k, v in items.items() if v["status"] not in ("pass", "skip")}
    assert not_ok == ids  # exactly the stopped provider's items
    for item_id in ids:
        assert items[item_id]["status"] == "unverified"
        assert f"blocks promotion: payments: {item_id} is unverified" in run.stderr
    assert why in run.stderr
    assert run.report is not None
    assert any(n.startswith(f"Live provider {provider} gave no answer: ") and why in n for n in run.report["notes"])


def test_every_stand_in_stopped_each_item_unverified(workspace: tuple[Path, str], github: StandIn,
                                                      peers: Peers) -> None:
    peers.health.stop()
    peers.dns.stop()
    peers.aws.stop()
    peers.pkgs.stop()
    peers.pd.stop()
    run, items = promote(workspace, github)
    assert run.code == 1 and "Traceback" not in run.stderr
    for item_id, provider in LIVE_ITEMS.items():
        it = items[item_id]
        assert it["status"] == "unverified", (item_id, it)
        assert f"live half unverified ({provider})" in it["reason"], (item_id, it["reason"])


def test_offline_asks_no_provider(workspace: tuple[Path, str], github: StandIn, peers: Peers) -> None:
    ws, head = workspace
    _need(EXAMPLES)
    examples = {e["name"]: e["examples"] for e in json.loads(EXAMPLES.read_text(encoding="utf-8"))}
    run = run_gate(ws, github, event_payload(examples, "workflow_dispatch"), event_name="workflow_dispatch",
                   argv=["promote", "--service", "payments", "--after-deploy", "--offline", "--now", NOW],
                   extra_env={"GITHUB_SHA": head, "PAGERDUTY_TOKEN": PD_TOKEN, "GITHUB_TOKEN": GH_TOKEN})
    assert run.report is not None and run.code == 1
    items = {i["id"]: i for s in run.report["services"] for i in s["items"]}
    assert all(items[i]["status"] == "unverified" for i in LIVE_ITEMS)
    assert not peers.health.requests and not peers.dns.queries and not peers.aws.requests
    assert not peers.pd.requests and not peers.pkgs.requests
