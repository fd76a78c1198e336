from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import OTEL, OTEL_TS, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "observability.otel")
    assert r.status == Status.PASS, r.findings


def test_missing_logs_fails_at_new_nodesdk(tmp_path: Path) -> None:
    src = OTEL_TS.replace("  logRecordProcessors: [new BatchLogRecordProcessor(new OTLPLogExporter())],\n", "")
    r = run(tmp_path, "observability.otel", otel=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == OTEL and f.line == line_of(src, "new NodeSDK")
    assert "logs (logRecordProcessor or logRecordProcessors)" in f.message


def test_no_sdk_fails(tmp_path: Path) -> None:
    r = run(tmp_path, "observability.otel", otel="export const x = 1;\n")
    assert r.status == Status.FAIL
    assert "constructs the OpenTelemetry SDK" in r.findings[0].message
