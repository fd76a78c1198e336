"""DNS provider (deployment.dns) against a local DNS server (dnslib wire format) on loopback."""

from __future__ import annotations

from tests.providers.conftest import FAST, DnsStandIn, service_live


def cfg(dns: DnsStandIn) -> str:
    return FAST + f"  dns:\n    nameservers: [127.0.0.1]\n    port: {dns.port}\n"


def test_every_stage_name_resolves(dns_server: DnsStandIn) -> None:
    v = service_live(cfg(dns_server)).dns()
    assert v.proven is True and v.provider == "DNS"
    assert "payments.prod.platform.loop.health → 192.0.2.10" in v.message
    assert {q[0] for q in dns_server.queries} == {f"payments.{s}.platform.loop.health" for s in ("dev", "staging", "prod")}


def test_a_missing_name_disproves_it_at_the_domain_line(dns_server: DnsStandIn) -> None:
    del dns_server.records["payments.prod.platform.loop.health"]
    v = service_live(cfg(dns_server)).dns()
    assert v.proven is False
    f = v.findings[0]
    assert f.message == ("prod: payments.prod.platform.loop.health does not exist in DNS (NXDOMAIN from 127.0.0.1): "
                         "create the record (deploy the stage with dns: sst.cloudflare.dns())")
    assert (f.path, f.line) == ("services/payments/infra.ts", 21)


def test_timeout_is_no_verdict(dns_server: DnsStandIn) -> None:
    dns_server.script = ["DROP"] * 20
    v = service_live(cfg(dns_server)).dns()
    assert v.proven is None
    assert f"DNS timeout after 0.5 s (resolver 127.0.0.1:{dns_server.port}) (after 3 attempts)" in v.message


def test_servfail_then_answer_proves_it(dns_server: DnsStandIn) -> None:
    dns_server.script = ["SERVFAIL", "SERVFAIL"]
    v = service_live(cfg(dns_server)).dns()
    assert v.proven is True


def test_refused_is_no_verdict(dns_server: DnsStandIn) -> None:
    dns_server.script = ["REFUSED"] * 3
    v = service_live(cfg(dns_server)).dns()
    assert v.proven is None and "answered REFUSED" in v.message


def test_names_template_and_stages(dns_server: DnsStandIn) -> None:
    text = cfg(dns_server) + "    stages: [prod]\n"
    v = service_live(text).dns()
    assert v.proven is True and [q[0] for q in dns_server.queries] == ["payments.prod.platform.loop.health"]
