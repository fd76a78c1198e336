"""AWS provider: CloudWatch alarms and history, SSM secrets, against moto's server mode (behind a
fault-injecting proxy on loopback)."""

from __future__ import annotations

import datetime as dt

from tests.providers.conftest import ALARM_HISTORY, FAST, AwsStandIn, boto, history_item, put_alarms, service_live

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
LIVE_SINCE = NOW - dt.timedelta(hours=30)


def cfg(aws: AwsStandIn) -> str:
    return FAST + f"  aws:\n    region: us-east-1\n    endpoint_url: {aws.url}\n"


# -- CloudWatch: observability.alarms -----------------------------------------------------------
def test_alarms_exist_with_the_thresholds(aws: AwsStandIn) -> None:
    v = service_live(cfg(aws)).alarms()
    assert v.proven is True and v.provider == "CloudWatch"
    assert v.message == "9 CloudWatch alarms exist with the thresholds (dev, staging, prod)"


def test_a_loose_threshold_disproves_it_at_the_alarms_call(aws: AwsStandIn) -> None:
    put_alarms(aws.moto_url, "payments", "prod", latency_s=2)
    v = service_live(cfg(aws)).alarms()
    assert v.proven is False
    assert [f.message for f in v.findings] == [
        "prod: CloudWatch alarm payments-prod-latency-p99 has threshold 2 s (p99 latency must alarm at ≤ 1 s)"]
    assert (v.findings[0].path, v.findings[0].line) == ("services/payments/infra.ts", 27)


def test_a_missing_alarm_disproves_it(aws: AwsStandIn) -> None:
    boto("cloudwatch", aws.moto_url).delete_alarms(AlarmNames=["payments-staging-dlq-depth"])
    v = service_live(cfg(aws)).alarms()
    assert v.proven is False
    assert v.findings[0].message == ("staging: CloudWatch alarm payments-staging-dlq-depth does not exist in us-east-1: "
                                     "deploy the alarms(...) of infra.ts to staging")


def test_cloudwatch_timeout_is_no_verdict(aws: AwsStandIn) -> None:
    aws.fail(200, times=3, stall=0.8)
    v = service_live(cfg(aws)).alarms()
    assert v.proven is None and v.message == "CloudWatch: timeout after 0.5 s (after 3 attempts)"


def test_cloudwatch_5xx_then_success(aws: AwsStandIn) -> None:
    aws.fail(503, times=2)
    v = service_live(cfg(aws)).alarms()
    assert v.proven is True
    assert len(aws.requests) == 3


def test_cloudwatch_403_is_no_verdict(aws: AwsStandIn) -> None:
    aws.fail(403, times=1)
    v = service_live(cfg(aws)).alarms()
    assert v.proven is None and v.message.startswith("CloudWatch answered 403")
    assert len(aws.requests) == 1  # a refusal is not retried


def test_no_credentials_is_no_verdict(aws: AwsStandIn, monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        mp.delenv(k, raising=False)
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    mp.setenv("AWS_CONFIG_FILE", "/nonexistent")
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
    try:
        v = service_live(cfg(aws)).alarms()
    finally:
        mp.undo()
    assert v.proven is None and "no AWS credentials" in v.message


# -- CloudWatch history: staging-soak / prod-monitor ---------------------------------------------
def test_no_alarm_since_the_deployment_proves_it(aws: AwsStandIn) -> None:
    ALARM_HISTORY.append(history_item("payments-staging-error-rate", LIVE_SINCE - dt.timedelta(hours=2), "OK", "ALARM"))
    v = service_live(cfg(aws)).alarm_history("staging", LIVE_SINCE)
    assert v.proven is True
    assert v.message == "none of 3 CloudWatch alarm(s) payments-staging-* was in ALARM since 2026-11-28T06:00Z"


def test_an_alarm_since_the_deployment_disproves_it(aws: AwsStandIn) -> None:
    at = LIVE_SINCE + dt.timedelta(hours=5)
    ALARM_HISTORY.append(history_item("payments-staging-error-rate", at, "OK", "ALARM"))
    ALARM_HISTORY.append(history_item("payments-staging-error-rate", at + dt.timedelta(minutes=10), "ALARM", "OK"))
    ALARM_HISTORY.append(history_item("payments-prod-error-rate", at, "OK", "ALARM"))  # another stage
    v = service_live(cfg(aws)).alarm_history("staging", LIVE_SINCE)
    assert v.proven is False
    assert [f.message for f in v.findings] == [
        "staging: CloudWatch alarm payments-staging-error-rate entered ALARM at 2026-11-28T11:00Z, after the "
        "deployment went live at 2026-11-28T06:00Z"]


def test_an_alarm_in_alarm_when_the_deployment_went_live_disproves_it(aws: AwsStandIn) -> None:
    # entered ALARM before the deployment went live, left it 3 hours into the soak: it fired during
    # the window (it passed: only transitions into ALARM were read)
    ALARM_HISTORY.append(history_item("payments-staging-latency-p99", LIVE_SINCE - dt.timedelta(hours=1), "OK",
                                      "ALARM"))
    ALARM_HISTORY.append(history_item("payments-staging-latency-p99", LIVE_SINCE + dt.timedelta(hours=3), "ALARM",
                                      "OK"))
    v = service_live(cfg(aws)).alarm_history("staging", LIVE_SINCE)
    assert v.proven is False
    assert [f.message for f in v.findings] == [
        "staging: CloudWatch alarm payments-staging-latency-p99 was in ALARM when the deployment went live at "
        "2026-11-28T06:00Z and stayed in ALARM until 2026-11-28T09:00Z"]


def test_an_old_state_told_only_by_the_summary_counts(aws: AwsStandIn) -> None:
    item = history_item("payments-staging-dlq-depth", LIVE_SINCE + dt.timedelta(hours=1), "ALARM", "OK")
    item["HistoryData"] = "{}"
    ALARM_HISTORY.append(item)
    v = service_live(cfg(aws)).alarm_history("staging", LIVE_SINCE)
    assert v.proven is False and "payments-staging-dlq-depth was in ALARM when" in v.findings[0].message


def _flapping(name: str, n: int) -> None:
    """``n`` OK <-> INSUFFICIENT_DATA transitions of ``name`` in the soak, newest first from NOW."""
    for k in range(n):
        at = NOW - dt.timedelta(minutes=k + 1)
        ALARM_HISTORY.append(history_item(name, at, "OK" if k % 2 else "INSUFFICIENT_DATA",
                                          "INSUFFICIENT_DATA" if k % 2 else "OK"))


def test_history_pages_are_all_read(aws: AwsStandIn) -> None:
    _flapping("payments-staging-error-rate", 150)
    ALARM_HISTORY.append(history_item("payments-staging-error-rate", LIVE_SINCE + dt.timedelta(minutes=1), "OK",
                                      "ALARM"))  # the oldest: on the second page
    v = service_live(cfg(aws)).alarm_history("staging", LIVE_SINCE)
    assert v.proven is False
    assert "payments-staging-error-rate entered ALARM at 2026-11-28T06:01Z" in v.findings[0].message


def test_history_longer_than_the_pages_read_is_no_verdict(aws: AwsStandIn, monkeypatch: object) -> None:
    # an unread page may hold the ALARM: it passed on the pages read
    from gate.providers import aws as awsp

    monkeypatch.setattr(awsp, "PAGES", 2)  # type: ignore[attr-defined]
    _flapping("payments-staging-error-rate", 250)
    ALARM_HISTORY.append(history_item("payments-staging-error-rate", LIVE_SINCE + dt.timedelta(minutes=1), "OK",
                                      "ALARM"))
    v = service_live(cfg(aws)).alarm_history("staging", LIVE_SINCE)
    assert v.proven is None and v.findings == ()
    assert v.message == ("CloudWatch DescribeAlarmHistory of payments-staging-error-rate still had items after 2 "
                         "pages of 100: its history since the deployment was not read in full")


def test_history_403_is_no_verdict(aws: AwsStandIn) -> None:
    aws.fail(403, times=1)
    v = service_live(cfg(aws)).alarm_history("prod", LIVE_SINCE)
    assert v.proven is None and "CloudWatch answered 403" in v.message


# -- SSM: deployment.secrets / observability.sentry ----------------------------------------------
SECRETS = ["PaymentsDatabaseUrl", "PaymentsSentryDsn", "PaymentsStripeKey"]


def test_every_secret_set_in_every_stage(aws: AwsStandIn) -> None:
    v = service_live(cfg(aws)).secrets(SECRETS)
    assert v.proven is True and v.provider == "SSM"


def test_a_secret_missing_in_prod_disproves_it_at_its_declaration(aws: AwsStandIn) -> None:
    boto("ssm", aws.moto_url).delete_parameter(Name="/sst/platform/prod/Secret/PaymentsStripeKey/value")
    v = service_live(cfg(aws)).secrets(SECRETS)
    assert v.proven is False
    f = v.findings[0]
    assert f.message == ("secret PaymentsStripeKey is not set in prod (no SSM parameter "
                         "/sst/platform/prod/Secret/PaymentsStripeKey/value): run "
                         "`sst secret set PaymentsStripeKey <value> --stage prod`")
    assert (f.path, f.line) == ("services/payments/infra.ts", 7)


def test_parameter_template_is_configurable(aws: AwsStandIn) -> None:
    ssm = boto("ssm", aws.moto_url)
    for st in ("dev", "staging", "prod"):
        ssm.put_parameter(Name=f"/secrets/{st}/PaymentsSentryDsn", Value="x", Type="SecureString")
    text = cfg(aws) + "    ssm:\n      parameter: \"/secrets/{stage}/{name}\"\n"
    assert service_live(text).secrets(["PaymentsSentryDsn"]).proven is True
    assert service_live(text).secrets(["PaymentsStripeKey"]).proven is False


def test_ssm_timeout_5xx_and_403(aws: AwsStandIn) -> None:
    aws.fail(200, times=3, stall=0.8)
    v = service_live(cfg(aws)).secrets(["PaymentsStripeKey"])
    assert v.proven is None and v.message == "SSM: timeout after 0.5 s (after 3 attempts)"
    aws.fail_json(500, "InternalServerError", times=1)
    assert service_live(cfg(aws)).secrets(["PaymentsStripeKey"]).proven is True
    aws.fail_json(400, "AccessDeniedException", times=1)
    v = service_live(cfg(aws)).secrets(["PaymentsStripeKey"])
    assert v.proven is None and v.message == "SSM answered 400 (AccessDeniedException)"


def test_values_are_never_read(aws: AwsStandIn) -> None:
    service_live(cfg(aws)).secrets(SECRETS)
    bodies = [r for r in aws.requests if "GetParameters" in r[2].get("x-amz-target", "")]
    assert bodies, "SSM GetParameters was called"
