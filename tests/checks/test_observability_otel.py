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


def test_a_local_class_named_nodesdk_is_not_the_sdk(tmp_path: Path) -> None:
    src = OTEL_TS.replace('import { NodeSDK } from "@opentelemetry/sdk-node";\n',
                          "class NodeSDK { constructor(_o: unknown) {} }\n")
    for item in ("observability.otel", "observability.service-name"):
        r = run(tmp_path / item, item, otel=src)
        assert r.status == Status.FAIL, item
        (f,) = r.findings
        assert f.path == OTEL and f.line == line_of(src, "new NodeSDK")
        assert f.message.startswith("new NodeSDK(...) here is not the OpenTelemetry SDK (a local class declared at "
                                    f"{OTEL}:1)"), f.message


def test_an_option_set_to_nothing_does_not_export(tmp_path: Path) -> None:
    src = OTEL_TS.replace("metricReader: new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })",
                          "metricReader: undefined").replace(
        "logRecordProcessors: [new BatchLogRecordProcessor(new OTLPLogExporter())]", "logRecordProcessors: [ ]")
    r = run(tmp_path, "observability.otel", otel=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, "new NodeSDK")
    assert "does not export metrics (metricReader or metricReaders), logs (logRecordProcessor or logRecordProcessors)" in f.message


def test_an_aliased_or_namespaced_sdk_passes(tmp_path: Path) -> None:
    for imp, ctor in (('import { NodeSDK as Sdk } from "@opentelemetry/sdk-node";', "new Sdk("),
                      ('import * as otel from "@opentelemetry/sdk-node";', "new otel.NodeSDK(")):
        src = OTEL_TS.replace('import { NodeSDK } from "@opentelemetry/sdk-node";', imp).replace("new NodeSDK(", ctor)
        r = run(tmp_path / ctor.strip("( "), "observability.otel", otel=src)
        assert r.status == Status.PASS, r.findings
