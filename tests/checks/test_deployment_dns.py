"""deployment.dns: hostnames under platform.loop.health per stage, on the Cloudflare dns adapter."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.infra_fixture import INFRA, evaluate, line_of

ID = "deployment.dns"
DOMAIN = "domain: { name: `payments.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() },"


def test_conventions_domain_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings
    assert "prod: payments.prod.platform.loop.health" in r.reason
    assert "not checked live" in r.reason


def test_hostname_outside_platform_loop_health(tmp_path: Path) -> None:
    text = INFRA.replace("platform.loop.health`", "loop-health.com`")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    msgs = [f.message for f in r.findings]
    assert len(msgs) == 3
    assert msgs[0].startswith("domain payments.dev.loop-health.com is not under platform.loop.health")
    assert any(m.startswith("domain payments.prod.loop-health.com is not under platform.loop.health") for m in msgs)
    assert {f.line for f in r.findings} == {line_of(text, "domain: { name:")}


def test_the_conventions_form_must_name_this_service(tmp_path: Path) -> None:
    text = INFRA.replace("`payments.${$app.stage}.platform.loop.health`", "`orders.${$app.stage}.platform.loop.health`")
    assert text != INFRA
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    msgs = sorted(f.message for f in r.findings)
    assert msgs == [f"domain orders.{st}.platform.loop.health names orders, not this service: use "
                    "payments.${$app.stage}.platform.loop.health" for st in ("dev", "prod", "staging")]
    assert {f.line for f in r.findings} == {line_of(text, "domain: { name:")}


def test_a_per_stage_map_of_other_forms_under_the_zone_passes(tmp_path: Path) -> None:
    names = ('{ dev: "payments-dev.platform.loop.health", staging: "pay.staging-eu.platform.loop.health", '
             'prod: "payments.platform.loop.health" }[$app.stage]')
    text = INFRA.replace("`payments.${$app.stage}.platform.loop.health`", names)
    assert text != INFRA
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.PASS, r.findings


def test_domain_without_the_cloudflare_adapter(tmp_path: Path) -> None:
    text = INFRA.replace(", dns: sst.cloudflare.dns() }", " }")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    assert r.findings[0].message == ("domain payments.dev.platform.loop.health is not under the Cloudflare dns "
                                     "adapter (SST defaults to Route 53): set dns: sst.cloudflare.dns()")
    assert len(r.findings) == 3
    assert r.findings[0].line == line_of(text, "domain: { name:")


def test_route53_adapter_and_string_domain(tmp_path: Path) -> None:
    text = INFRA.replace("sst.cloudflare.dns()", "sst.aws.dns()")
    r = evaluate(tmp_path / "a", ID, infra=text)
    assert "uses sst.aws.dns(), not the Cloudflare dns adapter" in r.findings[0].message
    text = INFRA.replace(DOMAIN, "domain: `payments.${$app.stage}.platform.loop.health`,")
    r = evaluate(tmp_path / "b", ID, infra=text)
    assert r.status == Status.FAIL
    assert "is not under the Cloudflare dns adapter" in r.findings[0].message


def test_per_stage_map_of_names_missing_prod(tmp_path: Path) -> None:
    text = INFRA.replace("const scaling = {", 'const hosts = {\n  dev: "payments.dev.platform.loop.health",\n'
                         '  staging: "payments.staging.platform.loop.health",\n};\nconst scaling = {')
    text = text.replace("name: `payments.${$app.stage}.platform.loop.health`", "name: hosts[$app.stage]")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("loadBalancer.domain.name has no value for prod; add the missing stage to the map at "
                                f"line {line_of(text, 'const hosts = {')}")
    assert f.line == line_of(text, "name: hosts[$app.stage]")


def test_per_stage_map_with_own_prod_name_passes(tmp_path: Path) -> None:
    text = INFRA.replace("const scaling = {", 'const hosts = {\n  dev: "payments.dev.platform.loop.health",\n'
                         '  staging: "payments.staging.platform.loop.health",\n'
                         '  prod: "payments.platform.loop.health",\n};\nconst scaling = {')
    text = text.replace("name: `payments.${$app.stage}.platform.loop.health`", "name: hosts[$app.stage]")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.PASS, r.findings


def test_one_name_for_every_stage(tmp_path: Path) -> None:
    text = INFRA.replace("`payments.${$app.stage}.platform.loop.health`", '"payments.platform.loop.health"')
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message.startswith("domain payments.platform.loop.health is the same for dev, staging and prod")
    assert f.line == line_of(text, "domain: { name:")


def test_hostname_from_a_call(tmp_path: Path) -> None:
    text = INFRA.replace("name: `payments.${$app.stage}.platform.loop.health`", 'name: hostFor("payments")')
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message == ("loadBalancer.domain.name is computed by a call (hostFor(...)); "
                         "cannot be verified statically")
