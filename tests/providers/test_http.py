"""HTTP provider (deployment.dev-healthz) against a local HTTPS server with a test CA."""

from __future__ import annotations

from tests.providers.conftest import FAST, HealthStandIn, LocalCA, service_live


def cfg(health: HealthStandIn, ca: LocalCA | None) -> str:
    out = FAST + f"  http:\n    url: \"{health.url}/{{service}}/{{stage}}/healthz\"\n"
    if ca is not None:
        out += f"    ca_bundle: {ca.ca_pem}\n"
    return out


def test_healthz_200_proves_it(health: HealthStandIn, test_ca: LocalCA) -> None:
    v = service_live(cfg(health, test_ca)).healthz()
    assert v.proven is True and v.provider == "HTTP"
    assert v.message.startswith(f"GET {health.url}/payments/dev/healthz answered 200 in ")
    assert [r[1] for r in health.requests] == ["/payments/dev/healthz"]


def test_healthz_not_200_disproves_it(health: HealthStandIn, test_ca: LocalCA) -> None:
    health.status = 404
    v = service_live(cfg(health, test_ca)).healthz()
    assert v.proven is False
    assert v.findings[0].message == (f"GET {health.url}/payments/dev/healthz answered 404 (must be 200): the dev "
                                     "deployment is not healthy; see RUNBOOK.md")


def test_healthz_5xx_every_time_disproves_it_after_the_retries(health: HealthStandIn, test_ca: LocalCA) -> None:
    health.status = 503
    v = service_live(cfg(health, test_ca)).healthz()
    assert v.proven is False and "answered 503 (after 3 attempts)" in v.message
    assert len(health.requests) == 3


def test_healthz_5xx_then_200_proves_it(health: HealthStandIn, test_ca: LocalCA) -> None:
    health.fail(502, times=2)
    v = service_live(cfg(health, test_ca)).healthz()
    assert v.proven is True and len(health.requests) == 3


def test_healthz_timeout_is_no_verdict(health: HealthStandIn, test_ca: LocalCA) -> None:
    health.fail(200, times=3, stall=0.8)
    v = service_live(cfg(health, test_ca)).healthz()
    assert v.proven is None and v.asked
    assert v.message == f"GET {health.url}/payments/dev/healthz: timeout after 0.5 s (after 3 attempts)"


def test_healthz_401_403_disprove_it(health: HealthStandIn, test_ca: LocalCA) -> None:
    for status in (401, 403):
        health.status = status
        v = service_live(cfg(health, test_ca)).healthz()
        assert v.proven is False and f"answered {status} (must be 200)" in v.findings[0].message


def test_tls_is_verified(health: HealthStandIn) -> None:
    v = service_live(cfg(health, None)).healthz()
    assert v.proven is None and "TLS certificate not trusted" in v.message
    assert not health.requests  # the handshake failed: no request was sent


def test_stopped_server_is_no_verdict(health: HealthStandIn, test_ca: LocalCA) -> None:
    text = cfg(health, test_ca)
    health.stop()
    v = service_live(text).healthz()
    assert v.proven is None and "could not be reached (connection refused)" in v.message


def test_offline_and_unconfigured_ask_nothing(health: HealthStandIn, test_ca: LocalCA) -> None:
    from gate.context import Ctx
    from gate.providers import Providers, live
    from tests.helpers import EXAMPLE, make_run

    v = service_live("advisory: []\n").healthz()
    assert v.asked is False and "no HTTP provider configured" in v.message
    run = make_run(EXAMPLE, config_text=cfg(health, test_ca))
    run.providers = Providers(offline=True)
    v = live(Ctx(run, run.all_services[0])).healthz()
    assert v.asked is False and v.message == "--offline: HTTP was not asked"
    assert not health.requests
