"""PagerDuty (REST API v2, read-only): ``oncall.pagerduty-schedule``.

The schedule named by ``on_call.pagerduty_schedule`` exists, the primary and the secondary of
``service.yaml`` are on it, and an escalation policy that uses it has at least two levels
(``min_escalation_levels``). Requests: ``GET /schedules/{id}``, ``GET /users/{id}`` for the
schedule's users (for their e-mail), ``GET /escalation_policies/{id}``. The key (a read-only
REST API key) is read from the environment variable named by ``token_env`` and sent as
``Authorization: Token token=…``; it never appears in a message.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gate.providers.base import Answer, ProviderError, Settings, http_request, with_retry

DEFAULT_API = "https://api.pagerduty.com"
ACCEPT = "application/vnd.pagerduty+json;version=2"
_ID = re.compile(r"^[A-Z0-9]{2,20}$")


@dataclass(frozen=True)
class PdUser:
    id: str
    name: str
    email: str


@dataclass(frozen=True)
class Schedule:
    id: str
    name: str
    url: str
    users: tuple[PdUser, ...]
    #: escalation policy name → number of levels (rules)
    policies: dict[str, int] = field(default_factory=dict)


class Api:
    def __init__(self, api_url: str, token: str, settings: Settings, ca_bundle: str | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self._token = token
        self.settings = settings
        self.ca_bundle = ca_bundle

    def get(self, path: str) -> Answer:
        url = self.api_url + path
        headers = {"Authorization": f"Token token={self._token}", "Accept": ACCEPT,
                   "Content-Type": "application/json", "User-Agent": "prodgate"}
        return with_retry(lambda: http_request("PagerDuty", url, self.settings, headers, self.ca_bundle),
                          self.settings)

    def obj(self, path: str, key: str) -> dict[str, Any] | None:
        """The object under ``key`` of ``GET path``; None on 404."""
        ans = self.get(path)
        if ans.status == 404:
            return None
        if ans.status != 200:
            raise ProviderError(f"PagerDuty answered {ans.status}{_hint(ans.status)}", status=ans.status)
        data = ans.json("PagerDuty")
        got = data.get(key) if isinstance(data, dict) else None
        if not isinstance(got, dict):
            raise ProviderError(f"PagerDuty answered GET {path.split('?')[0]} without {key!r}")
        return got


def _hint(status: int) -> str:
    if status == 401:
        return " (the API key is not valid: check the secret named by providers.pagerduty.token_env)"
    if status == 403:
        return " (the API key may not read this: use a read-only REST API key with access to schedules)"
    return ""


def schedule(api: Api, schedule_id: str, max_users: int = 50) -> Schedule | None:
    """The schedule with its users and escalation policies; None when it does not exist."""
    sid = urllib.parse.quote(schedule_id, safe="")
    sch = api.obj(f"/schedules/{sid}", "schedule")
    if sch is None:
        return None
    refs: dict[str, str] = {}
    for u in sch.get("users") or []:
        if isinstance(u, dict) and u.get("id"):
            refs.setdefault(str(u["id"]), str(u.get("summary") or ""))
    for layer in sch.get("schedule_layers") or []:
        for lu in (layer or {}).get("users") or []:
            u = (lu or {}).get("user") or {}
            if isinstance(u, dict) and u.get("id"):
                refs.setdefault(str(u["id"]), str(u.get("summary") or ""))
    users: list[PdUser] = []
    for uid, summary in list(refs.items())[:max_users]:
        full = api.obj(f"/users/{urllib.parse.quote(uid, safe='')}", "user")
        if full is None:
            users.append(PdUser(uid, summary, ""))
        else:
            users.append(PdUser(uid, str(full.get("name") or summary), str(full.get("email") or "")))
    policies: dict[str, int] = {}
    for ref in sch.get("escalation_policies") or []:
        if not isinstance(ref, dict) or not ref.get("id"):
            continue
        pol = api.obj(f"/escalation_policies/{urllib.parse.quote(str(ref['id']), safe='')}", "escalation_policy")
        if pol is None:
            continue
        rules = pol.get("escalation_rules") or []
        policies[str(pol.get("name") or ref.get("summary") or ref["id"])] = len(rules) if isinstance(rules, list) else 0
    return Schedule(str(sch.get("id") or schedule_id), str(sch.get("name") or sch.get("summary") or ""),
                    str(sch.get("html_url") or ""), tuple(users), policies)


def identities(login: str, mapping: Mapping[str, str], email_domain: str | None) -> list[str]:
    """What a person of service.yaml may be called in PagerDuty (casefolded): the mapped e-mail
    or name, else the login itself and ``login@email_domain``."""
    if login in mapping:
        return [str(mapping[login]).casefold()]
    out = [login.casefold()]
    if email_domain:
        out.append(f"{login}@{email_domain}".casefold())
    return out


def find_user(users: tuple[PdUser, ...], names: list[str]) -> PdUser | None:
    for u in users:
        keys = {u.name.casefold(), u.email.casefold(), u.email.split("@")[0].casefold() if u.email else ""}
        if any(n in keys for n in names if n):
            return u
    return None


def valid_id(schedule_id: str) -> bool:
    return bool(_ID.match(schedule_id))
