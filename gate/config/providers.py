"""The ``providers:`` section of ``.github/prod-readiness.yml``, read once into typed settings
(:class:`ProvidersConfig`), and a guard that refuses anything that looks like an inline secret
(credentials are named by the environment variable that holds them, never written in the file).

The settings say what the file says: a key that is not written is None (or empty), and the
providers (``gate.providers``) apply their own defaults to it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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


# -- typed settings -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Timing:
    """``timeout_seconds``, ``retries``, ``backoff_seconds`` of one provider or of ``providers``
    itself (None: not written there)."""

    timeout_seconds: float | None = None
    retries: int | None = None
    backoff_seconds: float | None = None


@dataclass(frozen=True)
class HttpProvider:
    """``providers.http``: deployment.dev-healthz."""

    url: str | None = None
    stage: str | None = None
    ca_bundle: str | None = None
    timing: Timing = Timing()


@dataclass(frozen=True)
class DnsProvider:
    """``providers.dns``: deployment.dns."""

    names: str | None = None
    stages: tuple[str, ...] = ()
    nameservers: tuple[str, ...] = ()
    port: int | None = None
    timing: Timing = Timing()


@dataclass(frozen=True)
class CloudWatch:
    """``providers.aws.cloudwatch``."""

    alarm_stages: tuple[str, ...] = ()
    #: alarm kind (error_rate, latency_p99, dlq_depth) → name template
    alarms: Mapping[str, str] = field(default_factory=dict)
    history_prefix: str | None = None


@dataclass(frozen=True)
class Ssm:
    """``providers.aws.ssm``."""

    app: str | None = None
    parameter: str | None = None
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class AwsProvider:
    """``providers.aws``: CloudWatch (alarms, their history) and SSM (secrets)."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    ca_bundle: str | None = None
    cloudwatch: CloudWatch = CloudWatch()
    ssm: Ssm = Ssm()
    timing: Timing = Timing()


@dataclass(frozen=True)
class PagerDutyProvider:
    """``providers.pagerduty``: oncall.pagerduty-schedule."""

    api_url: str | None = None
    token_env: str | None = None
    #: GitHub login → PagerDuty e-mail or name
    users: Mapping[str, str] = field(default_factory=dict)
    email_domain: str | None = None
    min_escalation_levels: int | None = None
    ca_bundle: str | None = None
    timing: Timing = Timing()


@dataclass(frozen=True)
class GitHubPackagesProvider:
    """``providers.github_packages``: sdk.package."""

    api_url: str | None = None
    org: str | None = None
    token_env: str | None = None
    ca_bundle: str | None = None
    timing: Timing = Timing()


Provider = HttpProvider | DnsProvider | AwsProvider | PagerDutyProvider | GitHubPackagesProvider


#: the providers' names, as the configuration spells them
NAMES = ("http", "dns", "aws", "pagerduty", "github_packages")


@dataclass(frozen=True)
class ProvidersConfig:
    """``providers``: each provider's settings, None when it is not configured (or ``enabled:
    false``); the timing every provider falls back to, and the time budget of one query."""

    timing: Timing = Timing()
    budget_seconds: float | None = None
    http: HttpProvider | None = None
    dns: DnsProvider | None = None
    aws: AwsProvider | None = None
    pagerduty: PagerDutyProvider | None = None
    github_packages: GitHubPackagesProvider | None = None

    def configured(self, name: str) -> Provider | None:
        """The settings of provider ``name`` (``http``, ``dns``, ``aws``, ``pagerduty``,
        ``github_packages``), None when it is not configured."""
        by_name: dict[str, Provider | None] = {
            "http": self.http, "dns": self.dns, "aws": self.aws, "pagerduty": self.pagerduty,
            "github_packages": self.github_packages,
        }
        return by_name[name]

    def any(self) -> bool:
        """Is some provider configured?"""
        return any(self.configured(n) is not None for n in NAMES)


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


def _float(v: Any) -> float | None:
    return None if v is None else float(v)


def _int(v: Any) -> int | None:
    return None if v is None else int(v)


def _strs(v: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in v or ())


def _timing(sec: Mapping[str, Any]) -> Timing:
    return Timing(_float(sec.get("timeout_seconds")), _int(sec.get("retries")), _float(sec.get("backoff_seconds")))


def _section(prov: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    """The keys of provider ``name`` (None when it is not configured or ``enabled: false``)."""
    sec = prov.get(name)
    if sec is None or sec is False:
        return None
    out: Mapping[str, Any] = sec if isinstance(sec, Mapping) else {}
    if out.get("enabled") is False:
        return None
    return out


def read(prov: Mapping[str, Any]) -> ProvidersConfig:
    """The typed ``providers`` section (already valid against the schema)."""
    http = dns = aws = pd = ghp = None
    if (s := _section(prov, "http")) is not None:
        http = HttpProvider(_str(s.get("url")), _str(s.get("stage")), _str(s.get("ca_bundle")), _timing(s))
    if (s := _section(prov, "dns")) is not None:
        dns = DnsProvider(_str(s.get("names")), _strs(s.get("stages")), _strs(s.get("nameservers")),
                          _int(s.get("port")), _timing(s))
    if (s := _section(prov, "aws")) is not None:
        cw = s.get("cloudwatch") or {}
        ssm = s.get("ssm") or {}
        aws = AwsProvider(
            _str(s.get("region")), _str(s.get("profile")), _str(s.get("endpoint_url")), _str(s.get("ca_bundle")),
            CloudWatch(_strs(cw.get("alarm_stages")), {str(k): str(v) for k, v in (cw.get("alarms") or {}).items()},
                       _str(cw.get("history_prefix"))),
            Ssm(_str(ssm.get("app")), _str(ssm.get("parameter")), _strs(ssm.get("stages"))),
            _timing(s))
    if (s := _section(prov, "pagerduty")) is not None:
        pd = PagerDutyProvider(_str(s.get("api_url")), _str(s.get("token_env")),
                               {str(k): str(v) for k, v in (s.get("users") or {}).items()},
                               _str(s.get("email_domain")), _int(s.get("min_escalation_levels")),
                               _str(s.get("ca_bundle")), _timing(s))
    if (s := _section(prov, "github_packages")) is not None:
        ghp = GitHubPackagesProvider(_str(s.get("api_url")), _str(s.get("org")), _str(s.get("token_env")),
                                     _str(s.get("ca_bundle")), _timing(s))
    return ProvidersConfig(_timing(prov), _float(prov.get("budget_seconds")), http, dns, aws, pd, ghp)
