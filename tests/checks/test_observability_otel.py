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


def test_a_shorthand_or_a_name_is_followed_to_its_value(tmp_path: Path) -> None:
    good = OTEL_TS.replace("export const sdk = new NodeSDK({",
                           'import { logRecordProcessors } from "./otel-logs";\n'
                           "const traceExporter = new OTLPTraceExporter();\n"
                           "const readers = { metrics: new PeriodicExportingMetricReader({}) } as const;\n"
                           "export const sdk = new NodeSDK({").replace(
        "  traceExporter: new OTLPTraceExporter(),\n", "  traceExporter,\n").replace(
        "  metricReader: new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }),\n",
        "  metricReader: readers.metrics,\n").replace(
        "  logRecordProcessors: [new BatchLogRecordProcessor(new OTLPLogExporter())],\n", "  logRecordProcessors,\n")
    logs = "export const logRecordProcessors = [new BatchLogRecordProcessor(new OTLPLogExporter())];\n"
    r = run(tmp_path, "observability.otel", otel=good, extra={"services/payments/src/otel-logs.ts": logs})
    assert r.status == Status.PASS, r.findings


def test_an_option_that_follows_to_nothing_does_not_count(tmp_path: Path) -> None:
    src = """
    import { NodeSDK } from "@opentelemetry/sdk-node";
    const traceExporter = undefined;
    const none = null;
    export function start(processors: unknown[]) {
      let reader = new PeriodicExportingMetricReader({});
      return new NodeSDK({
        traceExporter,
        spanProcessors: none,
        metricReader: reader,
        logRecordProcessors: process.env.LOGS ? processors : undefined,
      });
    }
    """
    r = run(tmp_path, "observability.otel", otel=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == (OTEL, line_of(src, "new NodeSDK"))
    assert f.message == ("new NodeSDK(...) does not export traces (traceExporter or spanProcessors), metrics "
                         "(metricReader or metricReaders), logs (logRecordProcessor or logRecordProcessors): "
                         "add them to its options")


def test_a_name_imported_from_a_package_counts(tmp_path: Path) -> None:
    src = OTEL_TS.replace("export const sdk = new NodeSDK({",
                          'import { traceExporter } from "@platform/otel";\nexport const sdk = new NodeSDK({').replace(
        "  traceExporter: new OTLPTraceExporter(),\n", "  traceExporter,\n")
    r = run(tmp_path, "observability.otel", otel=src)
    assert r.status == Status.PASS, r.findings


def test_spreads_in_the_options(tmp_path: Path) -> None:
    src = """
    import { NodeSDK } from "@opentelemetry/sdk-node";
    const base = { metricReader: new PeriodicExportingMetricReader({}), logRecordProcessors: [new P()] };
    export function start(overrides: object) {
      return new NodeSDK({ ...base, traceExporter: new OTLPTraceExporter(), ...overrides });
    }
    export const later = new NodeSDK({ traceExporter: new OTLPTraceExporter(), ...base });
    """
    r = run(tmp_path, "observability.otel", otel=src)
    assert r.status == Status.PASS, r.findings
    assert r.reason == f"new NodeSDK in {OTEL}:6 exports traces, metrics and logs"
    r = run(tmp_path / "only", "observability.otel", otel=src.replace("export const later", "const later = 1; //"))
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == (OTEL, 4)
    assert f.message == ("new NodeSDK(...) does not export traces (traceExporter or spanProcessors), metrics "
                         "(metricReader or metricReaders), logs (logRecordProcessor or logRecordProcessors): "
                         "add them to its options (...overrides: a spread the gate cannot follow, which may override "
                         "the options before it; set them after it)")
