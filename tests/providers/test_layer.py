"""The layer itself: configuration, the retry helper, how a live verdict combines with the
repository verdict in each mode, prefetch and memo, and the checks wired to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gate import config as cfg
from gate.config.providers import looks_secret
from gate.context import Ctx
from gate.model import Finding, Level, Status, passed, pending
from gate.providers import LiveVerdict, combine, start
from gate.providers.base import ProviderError, Settings, with_retry
from tests.helpers import EXAMPLE, make_run
from tests.providers.conftest import FAST, DnsStandIn, PagerDutyStandIn, service_live

# -- configuration -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "AKIAIOSFODNN7EXAMPLE", "y_NbAkKc66ryYTWUXYEu",
    "u+abcdefghijklmn", "xoxb-1234-5678", "https://user:hunter2@api.example.com",
])
def test_inline_secrets_are_refused_without_echoing_them(value: str) -> None:
    text = f"providers:\n  pagerduty:\n    token_env: \"{value}\"\n"
    with pytest.raises(cfg.ConfigError) as exc:
        cfg.parse(text, ".github/prod-readiness.yml")
    msg = str(exc.value)
    assert value not in msg
    assert msg.startswith(".github/prod-readiness.yml:3: providers.pagerduty.token_env: looks like an inline secret")


def test_a_credential_key_is_refused() -> None:
    with pytest.raises(cfg.ConfigError) as exc:
        cfg.parse("providers:\n  pagerduty:\n    token: abc\n", "c.yml")
    assert "c.yml:3: unknown key `providers.pagerduty.token` at line 3: did you mean `providers.pagerduty.token_env`?" in str(exc.value)


def test_a_lowercase_variable_name_is_refused_without_echo() -> None:
    with pytest.raises(cfg.ConfigError) as exc:
        cfg.parse("providers:\n  github_packages:\n    token_env: my_token\n", "c.yml")
    assert "c.yml:3: `providers.github_packages.token_env` at line 3: (value not shown) does not match" in str(exc.value)
    assert "my_token" not in str(exc.value)


def test_names_and_templates_are_not_secrets() -> None:
    for v in ("PAGERDUTY_TOKEN", "{service}-{stage}-error-rate", "/sst/{app}/{stage}/Secret/{name}/value",
              "https://api.pagerduty.com", "Alice Example", "alice@loop.health", "us-east-1", "loop-health"):
        assert not looks_secret(v), v


def test_every_provider_key_validates() -> None:
    text = """providers:
  timeout_seconds: 3
  retries: 1
  http: {url: "https://{service}.{stage}.platform.loop.health/healthz", stage: dev, ca_bundle: ci/ca.pem}
  dns: {names: "{service}.{stage}.platform.loop.health", stages: [dev, prod], nameservers: [1.1.1.1], port: 53}
  aws:
    region: us-east-1
    cloudwatch: {alarm_stages: [staging, prod], alarms: {dlq_depth: "{service}-{stage}-dlq"}, history_prefix: "{service}-{stage}-"}
    ssm: {app: platform, parameter: "/sst/{app}/{stage}/Secret/{name}/value", stages: [dev, staging, prod]}
  pagerduty: {token_env: PAGERDUTY_TOKEN, users: {alice: alice@loop.health}, email_domain: loop.health, min_escalation_levels: 2}
  github_packages: {org: loop-health, token_env: GITHUB_TOKEN, timeout_seconds: 10}
"""
    c = cfg.parse(text, "c.yml")
    assert c.providers.aws is not None and c.providers.aws.region == "us-east-1"
    with pytest.raises(cfg.ConfigError, match=r"unknown key `providers\.dns\.resolver` at line 2"):
        cfg.parse("providers:\n  dns: {resolver: 1.1.1.1}\n", "c.yml")


# -- retry ---------------------------------------------------------------------------------------
def test_retry_is_bounded_with_exponential_jittered_waits() -> None:
    waits: list[float] = []
    calls = []
    s = Settings(timeout=0.1, attempts=4, backoff=1.0, cap=3.0, budget=100, sleep=waits.append, rand=lambda: 1.0)

    def boom() -> int:
        calls.append(1)
        raise ProviderError("X answered 503", retryable=True, status=503)

    with pytest.raises(ProviderError) as exc:
        with_retry(boom, s)
    assert len(calls) == 4 and waits == [1.0, 2.0, 3.0]
    assert str(exc.value) == "X answered 503 (after 4 attempts)"
    waits.clear()
    s2 = Settings(timeout=0.1, attempts=4, backoff=1.0, cap=3.0, budget=100, sleep=waits.append, rand=lambda: 0.0)
    with pytest.raises(ProviderError):
        with_retry(boom, s2)
    assert waits == [0.5, 1.0, 1.5]  # jitter: between half and all of the step


def test_retry_stops_at_the_budget_and_never_retries_refusals() -> None:
    s = Settings(timeout=1, attempts=10, backoff=1.0, cap=8, budget=2.5, sleep=lambda _: None, rand=lambda: 1.0)
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        raise ProviderError("X: timeout after 1 s", retryable=True)

    with pytest.raises(ProviderError, match=r"gave up after 2 attempts: time budget 2\.5 s"):
        with_retry(slow, s)

    def refused() -> int:
        calls.append(2)
        raise ProviderError("X answered 403")

    calls.clear()
    with pytest.raises(ProviderError, match=r"^X answered 403$"):
        with_retry(refused, s)
    assert calls == [2]


# -- the combination rule --------------------------------------------------------------------------
PROVEN = LiveVerdict(True, "seen", (), "DNS")
DISPROVEN = LiveVerdict(False, "missing", (Finding("prod: x does not exist", "services/p/infra.ts", 21, 21),), "DNS")
NO_ANSWER = LiveVerdict(None, "DNS timeout after 2 s", (), "DNS")
NOT_ASKED = LiveVerdict(None, "no DNS provider configured", (), "DNS", asked=False)


def ctx_in(mode: str, strict: bool = False) -> Ctx:
    run = make_run(EXAMPLE, mode=mode)
    run.strict = strict
    return Ctx(run, run.all_services[0])


@pytest.mark.parametrize(("mode", "strict", "lv", "status"), [
    ("check", False, PROVEN, Status.PASS),
    ("check", False, DISPROVEN, Status.FAIL),
    ("check", False, NO_ANSWER, Status.PASS),
    ("check", False, NOT_ASKED, Status.PASS),
    ("check", True, NO_ANSWER, Status.UNVERIFIED),
    ("check", True, NOT_ASKED, Status.UNVERIFIED),
    ("pr", False, DISPROVEN, Status.PASS),
    ("pr", True, NO_ANSWER, Status.PASS),
    ("pr", True, NOT_ASKED, Status.PASS),
    ("promote", False, PROVEN, Status.PASS),
    ("promote", False, DISPROVEN, Status.FAIL),
    ("promote", False, NO_ANSWER, Status.UNVERIFIED),
    ("promote", False, NOT_ASKED, Status.UNVERIFIED),
])
def test_combine(mode: str, strict: bool, lv: LiveVerdict, status: Status) -> None:
    r = combine(ctx_in(mode, strict), passed("repo ok; not checked live"), lv, "repo ok")
    assert r.status == status
    if lv is DISPROVEN and mode != "pr":
        assert r.findings == DISPROVEN.findings
    if lv is DISPROVEN and mode == "pr":
        assert [f.level for f in r.findings] == [Level.WARNING] and "judged by promote" in r.reason
    if lv is NOT_ASKED:
        assert r.reason == "repo ok; not checked live"
    if lv is NO_ANSWER:
        assert "DNS timeout after 2 s" in r.reason and "(DNS)" in r.reason


def test_a_repository_verdict_that_is_not_pass_stands() -> None:
    for mode in ("check", "pr", "promote"):
        r = pending("soaking")
        assert combine(ctx_in(mode), r, PROVEN) is r


# -- prefetch, memo, only the judged services ----------------------------------------------------
def test_prefetch_queries_once_only_the_judged_services(dns_server: DnsStandIn, pagerduty: PagerDutyStandIn) -> None:
    from gate.engine import evaluate

    text = FAST + (f"  dns: {{nameservers: [127.0.0.1], port: {dns_server.port}}}\n"
                   f"  pagerduty: {{api_url: {pagerduty.url}, email_domain: loop.health}}\n")
    run = make_run(EXAMPLE, config_text=text)
    payments = [s for s in run.all_services if s.name == "payments"]
    lv = start(run, payments)
    assert lv.queries == 4  # 3 DNS names + 1 schedule, submitted before any check runs
    report = evaluate(run, payments, frozenset({"deployment.dns", "oncall.pagerduty-schedule"}))
    svc = report.services[0]
    assert svc.item("deployment.dns").status == Status.PASS
    assert "live (DNS)" in svc.item("deployment.dns").reason
    assert svc.item("oncall.pagerduty-schedule").status == Status.PASS
    assert len(dns_server.queries) == 3 and lv.queries == 4  # the checks read the memo
    assert {q[0].split(".")[0] for q in dns_server.queries} == {"payments"}
    assert sum(1 for r in pagerduty.requests if r[1].startswith("/schedules/")) == 1


def test_check_cli_calls_the_providers_and_offline_does_not(dns_server: DnsStandIn, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import shutil

    from gate.cli import main

    ws = tmp_path / "p"
    shutil.copytree(EXAMPLE, ws)
    (ws / ".github").mkdir()
    (ws / ".github" / "prod-readiness.yml").write_text(
        FAST + f"  dns: {{nameservers: [127.0.0.1], port: {dns_server.port}}}\n", encoding="utf-8")
    del dns_server.records["payments.dev.platform.loop.health"]
    out = tmp_path / "r.json"
    main(["check", str(ws / "services" / "payments"), "--format", "json", "--output", str(out),
          "--only", "deployment.dns", "--now", "2026-11-29T12:00:00Z"])
    item = json.loads(out.read_text())["services"][0]["items"]
    dns = next(i for i in item if i["id"] == "deployment.dns")
    assert dns["status"] == "fail"
    assert dns["findings"][0]["message"].startswith("dev: payments.dev.platform.loop.health does not exist in DNS")
    asked = len(dns_server.queries)
    main(["check", str(ws / "services" / "payments"), "--offline", "--format", "json", "--output", str(out),
          "--only", "deployment.dns", "--now", "2026-11-29T12:00:00Z"])
    dns = next(i for i in json.loads(out.read_text())["services"][0]["items"] if i["id"] == "deployment.dns")
    assert dns["status"] == "pass" and len(dns_server.queries) == asked
    capsys.readouterr()


def test_staging_soak_reads_history_from_the_deployment_time() -> None:
    from gate.providers import live

    run = make_run(EXAMPLE, mode="promote")
    v = live(Ctx(run, run.all_services[0])).alarm_history("staging", dt.datetime(2026, 11, 28, tzinfo=dt.UTC))
    assert v.proven is None and not v.asked and "no AWS provider configured" in v.message


def test_credentials_never_go_over_plain_http_to_another_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGERDUTY_TOKEN", "u+abcdefghijklmnop")
    v = service_live(FAST + "  pagerduty: {api_url: http://pagerduty.example.com}\n").pagerduty()
    assert v.proven is None and v.message == ("PagerDuty: http URL refused for pagerduty.example.com: use https "
                                              "(plain http only for a stand-in on loopback)")


def test_on_a_pull_request_a_disproof_is_a_warning(dns_server: DnsStandIn) -> None:
    from gate.engine import evaluate_service

    del dns_server.records["payments.prod.platform.loop.health"]
    run = make_run(EXAMPLE, mode="pr", config_text=FAST + f"  dns: {{nameservers: [127.0.0.1], port: {dns_server.port}}}\n")
    svc = next(s for s in run.all_services if s.name == "payments")
    it = evaluate_service(run, svc, frozenset({"deployment.dns"})).item("deployment.dns")
    assert it.status == Status.PASS
    assert [f.level for f in it.findings] == [Level.WARNING]
    assert it.findings[0].message.startswith("prod: payments.prod.platform.loop.health does not exist in DNS")
    assert "judged by promote" in it.reason


def test_alarm_rules() -> None:
    from gate.providers.aws import Alarm
    from gate.providers.live import alarm_problem

    def a(thr: float | None, stat: str = "p99", cmp: str = "GreaterThanThreshold") -> Alarm:
        return Alarm("x", thr, cmp, stat, "m", "OK", None)

    assert alarm_problem("latency_p99", a(1.0)) is None
    assert alarm_problem("latency_p99", a(1.0, "Average")) == "uses the statistic Average (must be p99)"
    assert alarm_problem("error_rate", a(5, "")) == "has threshold 5 (error rate must alarm at ≤ 1%)"
    assert alarm_problem("dlq_depth", a(0, "Maximum", "LessThanThreshold")) == (
        "compares with LessThanThreshold (must be GreaterThanThreshold)")
    assert alarm_problem("dlq_depth", a(None, "Maximum")) == "has no threshold"


def test_independent_providers_run_concurrently(pagerduty: PagerDutyStandIn, packages: object) -> None:
    import time

    from tests.providers.conftest import PackagesStandIn

    assert isinstance(packages, PackagesStandIn)
    text = ("providers:\n  timeout_seconds: 3\n  retries: 0\n"
            f"  pagerduty: {{api_url: {pagerduty.url}, email_domain: loop.health}}\n"
            f"  github_packages: {{api_url: {packages.url}}}\n")
    pagerduty.fail(200, times=1, stall=1.0)  # the schedule request stalls, then is answered 200 with no body
    packages.fail(200, times=1, stall=1.0)
    run = make_run(EXAMPLE, config_text=text)
    svc = [s for s in run.all_services if s.name == "payments"]
    t0 = time.monotonic()
    lv = start(run, svc)
    from gate.providers import live

    live(Ctx(run, svc[0])).pagerduty()
    live(Ctx(run, svc[0])).package()
    took = time.monotonic() - t0
    assert lv.queries == 2 and took < 1.8, took  # both stalls overlapped (one after the other: ≥ 2 s)


def test_retry_after_is_honoured_within_the_budget() -> None:
    waits: list[float] = []
    s = Settings(timeout=0.1, attempts=3, backoff=0.01, cap=0.04, budget=100, sleep=waits.append, rand=lambda: 0.0)
    answers = [ProviderError("X answered 429", retryable=True, status=429, retry_after=2.0)]

    def call() -> str:
        if answers:
            raise answers.pop()
        return "ok"

    assert with_retry(call, s) == "ok" and waits == [2.0]
    answers.append(ProviderError("X answered 429", retryable=True, status=429, retry_after=500.0))
    with pytest.raises(ProviderError, match=r"gave up after 1 attempts"):
        with_retry(call, s)
