"""PagerDuty provider (oncall.pagerduty-schedule) against a local stand-in of REST API v2."""

from __future__ import annotations

import pytest

from tests.providers.conftest import FAST, PD_TOKEN, PagerDutyStandIn, service_live


def cfg(pd: PagerDutyStandIn, extra: str = "") -> str:
    return FAST + f"  pagerduty:\n    api_url: {pd.url}\n    email_domain: loop.health\n" + extra


def test_schedule_with_primary_secondary_and_two_levels_proves_it(pagerduty: PagerDutyStandIn) -> None:
    v = service_live(cfg(pagerduty)).pagerduty()
    assert v.proven is True and v.provider == "PagerDuty"
    assert v.message == ("PagerDuty schedule Payments primary exists with alice and bob on it; escalation: "
                         "Payments escalation (3 levels)")
    paths = sorted(r[1] for r in pagerduty.requests)
    assert paths == ["/escalation_policies/PPOL1A2B3C", "/schedules/P1A2B3C", "/users/PUSER01", "/users/PUSER02"]
    assert all(PD_TOKEN not in v.message for _ in [0])


def test_missing_schedule_disproves_it_at_the_key(pagerduty: PagerDutyStandIn) -> None:
    del pagerduty.schedules["P1A2B3C"]
    v = service_live(cfg(pagerduty)).pagerduty()
    assert v.proven is False
    f = v.findings[0]
    assert f.message == ("PagerDuty has no schedule P1A2B3C (404): set on_call.pagerduty_schedule to an existing "
                         "schedule's id")
    assert (f.path, f.line) == ("services/payments/service.yaml", 11)


def test_secondary_not_on_it_and_one_level_disprove_it(pagerduty: PagerDutyStandIn) -> None:
    pagerduty.set_schedule("P1A2B3C", ["PUSER01"], levels=1)
    v = service_live(cfg(pagerduty)).pagerduty()
    assert v.proven is False
    assert [f.message for f in v.findings] == [
        "the secondary on-call bob is not on PagerDuty schedule Payments primary (on it: Alice Example): add them "
        "to a layer, or map the login in providers.pagerduty.users",
        "the escalation policies using PagerDuty schedule Payments primary have at most 1 level(s) "
        "(Payments escalation: 1): at least 2 levels are needed (primary, then secondary or a manager)"]
    assert [f.line for f in v.findings] == [10, 11]


def test_users_mapping_by_name(pagerduty: PagerDutyStandIn) -> None:
    text = FAST + (f"  pagerduty:\n    api_url: {pagerduty.url}\n"
                   "    users: {alice: Alice Example, bob: bob@loop.health}\n")
    assert service_live(text).pagerduty().proven is True
    text = FAST + f"  pagerduty:\n    api_url: {pagerduty.url}\n"  # a login is also an e-mail's local part
    assert service_live(text).pagerduty().proven is True
    text = FAST + f"  pagerduty:\n    api_url: {pagerduty.url}\n    users: {{bob: Robert Nobody}}\n"
    v = service_live(text).pagerduty()
    assert v.proven is False and "the secondary on-call bob is not on" in v.findings[0].message


def test_timeout_is_no_verdict(pagerduty: PagerDutyStandIn) -> None:
    pagerduty.fail(200, times=3, stall=0.8)
    v = service_live(cfg(pagerduty)).pagerduty()
    assert v.proven is None and v.message == "PagerDuty: timeout after 0.5 s (after 3 attempts)"


def test_5xx_and_429_then_success(pagerduty: PagerDutyStandIn) -> None:
    pagerduty.fail(500, times=1)
    pagerduty.fail(429, times=1, headers={"Retry-After": "0"})
    assert service_live(cfg(pagerduty)).pagerduty().proven is True


def test_401_is_no_verdict_and_never_shows_the_key(pagerduty: PagerDutyStandIn, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    monkeypatch.setenv("PAGERDUTY_TOKEN", "u+wrongKEYwrongKEY99")
    v = service_live(cfg(pagerduty)).pagerduty()
    assert v.proven is None
    assert v.message == ("PagerDuty answered 401 (the API key is not valid: check the secret named by "
                         "providers.pagerduty.token_env)")
    assert "wrongKEY" not in v.message


def test_403_is_no_verdict(pagerduty: PagerDutyStandIn) -> None:
    pagerduty.fail(403, times=1, body=b'{"error": {"message": "Access Denied", "code": 2010}}')
    v = service_live(cfg(pagerduty)).pagerduty()
    assert v.proven is None and v.message.startswith("PagerDuty answered 403")


def test_token_variable_not_set(pagerduty: PagerDutyStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    v = service_live(cfg(pagerduty, "    token_env: PD_READONLY_KEY\n")).pagerduty()
    assert v.proven is None
    assert v.message == ("PagerDuty: the environment variable PD_READONLY_KEY (providers.pagerduty.token_env) is "
                         "not set")
    assert not pagerduty.requests
