from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import OTEL, OTEL_TS, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "observability.service-name")
    assert r.status == Status.PASS, r.findings


def test_other_forms_pass(tmp_path: Path) -> None:
    src = OTEL_TS.replace('resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: "payments" }),',
                          'resource: new Resource({ [SemanticResourceAttributes.SERVICE_NAME]: NAME }),')
    src = 'const NAME = "payments";\n' + src.lstrip("\n")
    r = run(tmp_path, "observability.service-name", otel=src)
    assert r.status == Status.PASS, r.findings


def test_wrong_name_fails_at_the_attribute(tmp_path: Path) -> None:
    src = OTEL_TS.replace('[ATTR_SERVICE_NAME]: "payments"', '"service.name": "payment-api"')
    r = run(tmp_path, "observability.service-name", otel=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, "resource:")
    assert 'service.name is "payment-api", not "payments"' in f.message


def test_no_resource_fails(tmp_path: Path) -> None:
    src = OTEL_TS.replace('  resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: "payments" }),\n', "")
    r = run(tmp_path, "observability.service-name", otel=src)
    assert r.status == Status.FAIL
    assert "sets no resource" in r.findings[0].message


def _resource(attrs: str, before: str = "") -> str:
    src = OTEL_TS.replace('resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: "payments" }),',
                          f"resource: resourceFromAttributes({attrs}),")
    return before + src.lstrip("\n")


def test_the_last_key_wins(tmp_path: Path) -> None:
    src = _resource('{\n    "service.name": "payments",\n    [ATTR_SERVICE_NAME]: "payments-old",\n  }')
    r = run(tmp_path, "observability.service-name", otel=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == (OTEL, line_of(src, "payments-old"))
    assert f.message == 'service.name is "payments-old", not "payments" (service.yaml name): set it to "payments"'
    ok = _resource('{\n    "service.name": "payments-old",\n    [ATTR_SERVICE_NAME]: "payments",\n  }')
    r = run(tmp_path / "ok", "observability.service-name", otel=ok)
    assert r.status == Status.PASS, r.findings


def test_a_spread_after_the_key_may_override_it(tmp_path: Path) -> None:
    src = _resource('{ [ATTR_SERVICE_NAME]: "payments", ...extra }',
                    "declare const extra: Record<string, string>;\n")
    r = run(tmp_path, "observability.service-name", otel=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == (OTEL, line_of(src, "...extra"))
    assert f.message == ("the resource attributes spread extra after service.name, which may override it and which the "
                         'gate cannot follow: put the spread first or set [ATTR_SERVICE_NAME]: "payments" after it')


def test_a_spread_of_a_constant_is_followed(tmp_path: Path) -> None:
    without = _resource('{ [ATTR_SERVICE_NAME]: "payments", ...extra }',
                        'const extra = { "deployment.environment": "prod" } as const;\n')
    r = run(tmp_path / "without", "observability.service-name", otel=without)
    assert r.status == Status.PASS, r.findings
    overriding = _resource('{ [ATTR_SERVICE_NAME]: "payments", ...extra }',
                           'import { extra } from "./attrs";\n')
    attrs = 'export const extra = {\n  "service.name": "billing",\n};\n'
    r = run(tmp_path / "with", "observability.service-name", otel=overriding,
            extra={"services/payments/src/attrs.ts": attrs})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == ("services/payments/src/attrs.ts", 2)
    assert f.message == 'service.name is "billing", not "payments" (service.yaml name): set it to "payments"'
    named = _resource("attrs", 'const attrs = { ...extra, "service.name": "payments" };\n'
                               'const extra = { "service.name": "billing" };\n')
    r = run(tmp_path / "named", "observability.service-name", otel=named)
    assert r.status == Status.PASS, r.findings


def test_a_resource_before_a_spread_the_gate_cannot_follow_is_not_read(tmp_path: Path) -> None:
    src = OTEL_TS.replace("  traceExporter: new OTLPTraceExporter(),\n",
                          "  traceExporter: new OTLPTraceExporter(),\n  ...options,\n")
    src = "declare const options: object;\n" + src.lstrip("\n")
    r = run(tmp_path, "observability.service-name", otel=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == (OTEL, line_of(src, "new NodeSDK"))
    assert f.message == ("new NodeSDK(...) options spread ...options, which the gate cannot follow and which may set or "
                         'override resource: set resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: "payments" }) '
                         "after it")
