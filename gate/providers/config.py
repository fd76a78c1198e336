"""The ``providers:`` section of ``.github/prod-readiness.yml``: its settings per provider, and a
guard that refuses anything that looks like an inline secret (credentials are named by the
environment variable that holds them, never written in the file)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gate.providers.base import Settings

PROVIDERS = ("http", "dns", "aws", "pagerduty", "github_packages")

DEFAULT_TIMEOUT = 5.0
DEFAULT_RETRIES = 2

#: shapes of real credentials: GitHub tokens, AWS access keys, Slack tokens, PagerDuty keys,
#: private keys, URLs with a password
_SECRET_SHAPES = (
    re.compile(r"^(gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}"),
    re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$"),
    re.compile(r"^xox[abprs]-"),
    re.compile(r"^u\+[A-Za-z0-9_-]{10,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s:]+:[^/@\s]+@"),
)
#: a long run of token characters with letters and digits mixed: a key, not a name
_OPAQUE = re.compile(r"^[A-Za-z0-9+/=_-]{16,}$")


class ProviderConfigError(Exception):
    """``(keys, message)``: where in the file, and what is wrong (never the value itself)."""

    def __init__(self, keys: list[str | int], message: str) -> None:
        super().__init__(message)
        self.keys = keys
        self.message = message


def looks_secret(value: str) -> bool:
    v = value.strip()
    if any(p.search(v) for p in _SECRET_SHAPES):
        return True
    return bool(_OPAQUE.match(v)) and any(c.islower() for c in v) and any(c.isdigit() for c in v) \
        and any(c.isupper() for c in v)


def find_inline_secret(data: Any, keys: list[str | int] | None = None) -> ProviderConfigError | None:
    """The first string under ``providers`` that looks like a credential, or None."""
    keys = keys or ["providers"]
    if isinstance(data, Mapping):
        for k, v in data.items():
            got = find_inline_secret(v, [*keys, str(k)])
            if got is not None:
                return got
    elif isinstance(data, list):
        for i, v in enumerate(data):
            got = find_inline_secret(v, [*keys, i])
            if got is not None:
                return got
    elif isinstance(data, str) and looks_secret(data):
        dotted = ".".join(str(k) for k in keys)
        return ProviderConfigError(keys, f"{dotted}: looks like an inline secret (value not shown). Credentials are "
                                         "never written in this file: store the secret in the CI's secrets, expose "
                                         "it as an environment variable, and give that variable's NAME "
                                         "(e.g. token_env: PAGERDUTY_TOKEN)")
    return None


def section(config_data: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """The settings of provider ``name`` (None when it is not configured or ``enabled: false``)."""
    prov = config_data.get("providers") or {}
    if not isinstance(prov, Mapping):
        return None
    sec = prov.get(name)
    if sec is None or sec is False:
        return None
    out: dict[str, Any] = dict(sec) if isinstance(sec, Mapping) else {}
    if out.get("enabled") is False:
        return None
    return out


def settings(config_data: Mapping[str, Any], sec: Mapping[str, Any]) -> Settings:
    """Timeout and retries of one provider: its own keys, else ``providers.timeout_seconds`` /
    ``providers.retries``, else the defaults (5 s, 2 retries)."""
    prov = config_data.get("providers") or {}
    timeout = float(sec.get("timeout_seconds", prov.get("timeout_seconds", DEFAULT_TIMEOUT)))
    retries = int(sec.get("retries", prov.get("retries", DEFAULT_RETRIES)))
    backoff = float(sec.get("backoff_seconds", prov.get("backoff_seconds", min(1.0, timeout / 2))))
    cap = 4 * backoff
    # default budget: every attempt timing out, every wait at its longest, and a second of slack
    budget = max(timeout, float(prov.get("budget_seconds", timeout * (retries + 1) + cap * retries + 1.0)))
    return Settings(timeout=timeout, attempts=retries + 1, backoff=backoff, cap=cap, budget=budget)
