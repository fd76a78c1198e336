"""deployment.infra: hostname, scaling per stage and a /healthz health check, evaluated per stage."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.infra_fixture import INFRA, evaluate, line_of

ID = "deployment.infra"


def test_conventions_infra_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings
    assert "payments.staging.platform.loop.health" in r.reason


def test_per_stage_map_missing_one_stage(tmp_path: Path) -> None:
    text = INFRA.replace("  staging: { min: 1, max: 2 },\n", "")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    # at the property (the conventions); the message names the map's line, where the key goes
    assert f.message == f"scaling has no value for staging; add the missing stage to the map at line {line_of(text, 'const scaling = {')}"
    assert f.path == "services/payments/infra.ts"
    assert f.line == line_of(text, "scaling: scaling[$app.stage]")


def test_stage_missing_from_an_inline_map(tmp_path: Path) -> None:
    text = INFRA.replace("scaling: scaling[$app.stage],",
                         "scaling: {\n    dev: { min: 1, max: 1 },\n    prod: { min: 2, max: 4 },\n  }[$app.stage],")
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message.startswith("scaling has no value for staging: set scaling for dev, staging and prod")
    assert f.line == line_of(text, "scaling: {")


def test_scaling_computed_by_a_call_is_not_guessed(tmp_path: Path) -> None:
    text = INFRA.replace("scaling: scaling[$app.stage],", "scaling: scalingFor($app.stage),")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == "scaling is computed by a call (scalingFor(...)); cannot be verified statically"
    assert f.line == line_of(text, "scaling: scalingFor")


def test_scaling_imported_from_another_file(tmp_path: Path) -> None:
    text = INFRA.replace('import { alarms } from "../../infra/alarms";',
                         'import { alarms } from "../../infra/alarms";\nimport { defaults } from "../../infra/scaling";')
    text = text.replace("scaling: scaling[$app.stage],", "scaling: defaults,")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "scaling is imported from ../../infra/scaling (defaults)" in f.message
    assert "cannot be verified statically" in f.message


def test_one_scaling_literal_for_all_stages_and_spreads(tmp_path: Path) -> None:
    text = INFRA.replace("const scaling = {", "const base = { staging: { min: 1, max: 2 } };\nconst scaling = {\n  ...base,")
    text = text.replace("  staging: { min: 1, max: 2 },\n", "")
    assert evaluate(tmp_path / "a", ID, infra=text).status == Status.PASS
    text = INFRA.replace("scaling: scaling[$app.stage],", "scaling: { min: 1, max: 3 },")
    assert evaluate(tmp_path / "b", ID, infra=text).status == Status.PASS
    text = INFRA.replace("scaling: scaling[$app.stage],",
                         'scaling: $app.stage === "prod" ? { min: 2, max: 10 } : { min: 1, max: 1 },')
    assert evaluate(tmp_path / "c", ID, infra=text).status == Status.PASS


def test_scaling_min_above_max_names_the_stage(tmp_path: Path) -> None:
    text = INFRA.replace("prod: { min: 2, max: 10 }", "prod: { min: 12, max: 10 }")
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message == "scaling.min 12 is above scaling.max 10 for prod"
    assert f.line == line_of(text, "prod: { min: 12")  # in the per-stage map, where the fix belongs


def test_health_check_on_another_path(tmp_path: Path) -> None:
    text = INFRA.replace('path: "/healthz"', 'path: "/health"')
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == "health check 3000/http is on /health (must be /healthz)"
    assert f.line == line_of(text, 'path: "/health"')


def test_no_health_check(tmp_path: Path) -> None:
    text = INFRA.replace('    health: { "3000/http": { path: "/healthz", interval: "10 seconds" } },\n', "")
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message.startswith("loadBalancer.health has no health check (the load balancer would probe /)")
    assert f.line == line_of(text, "loadBalancer: {")


def test_no_hostname(tmp_path: Path) -> None:
    text = INFRA.replace(
        "    domain: { name: `payments.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() },\n", "")
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message.startswith("loadBalancer.domain has no value: give the service a hostname")
    assert f.line == line_of(text, "loadBalancer: {")


def test_missing_infra_and_missing_service(tmp_path: Path) -> None:
    r = evaluate(tmp_path / "a", ID, infra=None)
    assert r.status == Status.FAIL
    assert r.findings[0].message.startswith("infra.ts is missing")
    assert r.findings[0].path == "services/payments/infra.ts"
    r = evaluate(tmp_path / "b", ID, infra='const x = new sst.Secret("A");\n')
    assert r.status == Status.FAIL
    assert "constructs no new sst.aws.Service" in r.findings[0].message


def test_two_services_in_one_infra(tmp_path: Path) -> None:
    text = INFRA + 'export const worker = new sst.aws.Service("Worker", { cluster });\n'
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    assert any("constructs 2 sst.aws.Service" in f.message and f.line == line_of(text, "new sst.aws.Service(\"Worker\"")
               for f in r.findings)


def test_let_binding_is_not_a_constant(tmp_path: Path) -> None:
    text = INFRA.replace("const scaling = {", "let scaling = {")
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message == ("scaling is read from scaling, which is not a module-level const of this file; "
                         "cannot be verified statically")


def test_service_not_constructed_in_prod_fails(tmp_path: Path) -> None:
    ctor = 'export const payments = new sst.aws.Service("Payments", {'
    text = INFRA.replace(ctor, 'export const payments = $app.stage === "prod" ? undefined! : new sst.aws.Service("Payments", {')
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    line = line_of(text, "new sst.aws.Service")
    assert f.message == (f'new sst.aws.Service(...) is under $app.stage === "prod" ? … at line {line}: infra.ts does '
                         "not surely construct it in prod; construct it unconditionally at the top level")
    assert (f.path, f.line) == ("services/payments/infra.ts", line)
    dns = evaluate(tmp_path, "deployment.dns", infra=text)
    assert dns.status == Status.FAIL and "not surely constructed in prod" in dns.findings[0].message
