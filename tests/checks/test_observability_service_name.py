from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import OTEL_TS, line_of, run


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
