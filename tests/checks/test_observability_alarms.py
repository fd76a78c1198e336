"""observability.alarms: alarms(...) thresholds (or MetricAlarm resources), per stage."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.infra_fixture import INFRA, evaluate, line_of

ID = "observability.alarms"
ALARMS = INFRA[INFRA.index("alarms(\"payments\""):]
BASE = INFRA[: INFRA.index("alarms(\"payments\"")]

METRIC_ALARMS = """\
new aws.cloudwatch.MetricAlarm("PaymentsLatency", {
  namespace: "AWS/ApplicationELB",
  metricName: "TargetResponseTime",
  extendedStatistic: "p99",
  comparisonOperator: "GreaterThanThreshold",
  threshold: 1,
  period: 60,
  evaluationPeriods: 5,
});
new aws.cloudwatch.MetricAlarm("PaymentsErrors", {
  comparisonOperator: "GreaterThanThreshold",
  threshold: 1,
  evaluationPeriods: 5,
  metricQueries: [
    { id: "rate", expression: "100 * errors / requests", returnData: true },
    { id: "errors", metric: { metricName: "HTTPCode_Target_5XX_Count", namespace: "AWS/ApplicationELB", period: 60, stat: "Sum" } },
  ],
});
new aws.cloudwatch.MetricAlarm("PaymentsDlq", {
  namespace: "AWS/SQS",
  metricName: "ApproximateNumberOfMessagesVisible",
  dimensions: { QueueName: "payments-dlq" },
  statistic: "Maximum",
  comparisonOperator: "GreaterThanThreshold",
  threshold: 0,
  period: 60,
  evaluationPeriods: 1,
});
"""


def test_conventions_alarms_pass(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings
    assert "not checked live" in r.reason


def test_latency_above_threshold(tmp_path: Path) -> None:
    text = INFRA.replace("latencyP99Ms: 1000,", "latencyP99Ms: 2000,")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == "latencyP99Ms is 2000 (must be ≤ 1000)"
    assert f.line == line_of(text, "latencyP99Ms: 2000")


def test_error_rate_and_dlq_above_threshold(tmp_path: Path) -> None:
    text = INFRA.replace("errorRatePercent: 1,", "errorRatePercent: 5,").replace("dlqDepth: 0,", "dlqDepth: 10,")
    r = evaluate(tmp_path, ID, infra=text)
    assert [(f.message, f.line) for f in r.findings] == [
        ("errorRatePercent is 5 (must be ≤ 1)", line_of(text, "errorRatePercent: 5")),
        ("dlqDepth is 10 (must be 0)", line_of(text, "dlqDepth: 10")),
    ]


def test_threshold_per_stage_names_the_stages(tmp_path: Path) -> None:
    text = INFRA.replace("latencyP99Ms: 1000,", 'latencyP99Ms: $app.stage === "prod" ? 1000 : 5000,')
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message == "latencyP99Ms is 5000 for dev and staging (must be ≤ 1000)"


def test_threshold_from_a_const_map(tmp_path: Path) -> None:
    text = INFRA.replace("const scaling = {", "const latency = { dev: 900, staging: 900, prod: 1500 };\nconst scaling = {")
    text = text.replace("latencyP99Ms: 1000,", "latencyP99Ms: latency[$app.stage],")
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message == "latencyP99Ms is 1500 for prod (must be ≤ 1000)"


def test_missing_option_and_computed_option(tmp_path: Path) -> None:
    text = INFRA.replace("  dlqDepth: 0,\n", "")
    r = evaluate(tmp_path / "a", ID, infra=text)
    (f,) = r.findings
    assert f.message == "alarms(...) sets no dlqDepth: set dlqDepth: 0"
    assert f.line == line_of(text, 'alarms("payments"')
    text = INFRA.replace("errorRatePercent: 1,", "errorRatePercent: budget(),")
    r = evaluate(tmp_path / "b", ID, infra=text)
    (f,) = r.findings
    assert f.message == "errorRatePercent is computed by a call (budget(...)); cannot be verified statically"


def test_no_alarms(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, infra=BASE)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("infra.ts sets no alarms")
    assert f.line == line_of(BASE, "new sst.aws.Service")


def test_metric_alarm_resources(tmp_path: Path) -> None:
    assert evaluate(tmp_path / "a", ID, infra=BASE + METRIC_ALARMS).status == Status.PASS
    text = BASE + METRIC_ALARMS.replace("threshold: 1,\n  period", "threshold: 2.5,\n  period")
    r = evaluate(tmp_path / "b", ID, infra=text)
    (f,) = r.findings
    assert f.message == "latencyP99Ms is 2500 (must be ≤ 1000)"
    assert f.line == line_of(text, "threshold: 2.5")
    text = BASE + METRIC_ALARMS[: METRIC_ALARMS.index('new aws.cloudwatch.MetricAlarm("PaymentsDlq"')]
    r = evaluate(tmp_path / "c", ID, infra=text)
    (f,) = r.findings
    assert f.message.startswith("no aws.cloudwatch.MetricAlarm implements dlqDepth")


ALARMS_CALL = 'alarms("payments", payments, {'


def _only_in(cond: str) -> str:
    head, call = INFRA.split(ALARMS_CALL)
    body = "".join("  " + ln + "\n" for ln in (ALARMS_CALL + call).rstrip("\n").split("\n"))
    return head + f"if ({cond}) {{\n" + body + "}\n"


def test_alarms_only_in_prod_fail_for_dev_and_staging(tmp_path: Path) -> None:
    text = _only_in('$app.stage === "prod"')
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    line = line_of(text, ALARMS_CALL)
    assert f.message == (f'alarms(...) at line {line} is under if ($app.stage === "prod") at line {line - 1}: infra.ts '
                         "runs it only in prod, so dev and staging have no alarms; define it unconditionally at the "
                         "top level of infra.ts")
    assert (f.path, f.line) == ("services/payments/infra.ts", line)


def test_alarms_in_an_uncalled_function_fail(tmp_path: Path) -> None:
    head, call = INFRA.split(ALARMS_CALL)
    text = head + "function wire() {\n" + ALARMS_CALL + call + "}\n"
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert r.status == Status.FAIL and f.line == line_of(text, ALARMS_CALL)
    assert "inside a function declared at line" in f.message and "so dev, staging and prod have no alarms" in f.message


def test_paging_only_in_some_stages_fails(tmp_path: Path) -> None:
    text = _only_in('$app.stage !== "dev"')
    r = evaluate(tmp_path, "observability.paging", infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "runs it only in staging and prod, so dev has no alarms" in f.message
    assert f.line == line_of(text, ALARMS_CALL)


def test_alarms_under_a_condition_true_in_every_stage_pass(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, infra=_only_in("$app.stage"))
    assert r.status == Status.PASS, r.findings
