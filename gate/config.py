"""Configuration: ``.github/prod-readiness.yml`` validated against the published JSON Schema
(``gate/schemas/config.schema.json``) and merged over the defaults of the conventions."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from gate.sources.yamlfile import YamlDoc, YamlError, load

DEFAULT_PATH = ".github/prod-readiness.yml"
#: prodgate's published documentation (``docs/`` of its repository); ``docs_url`` overrides it
DOCS_URL = "https://github.com/prodgate/prodgate/blob/main/docs"

DEFAULTS: dict[str, Any] = {
    "check_name": "prod-readiness",
    "docs_url": DOCS_URL,
    "paths": {"services": "services", "docs": "docs", "changesets": ".changeset", "packages": "packages"},
    "approval": {"min_approvals": 1, "dismiss_stale": True},
    "ci": {"required": [], "conformance": ["conformance*"], "staging_smoke": ["smoke*staging*"], "ignore": [],
           "conformance_app": "github-actions"},
    "freeze": {
        "timezone": "UTC",
        "windows": [],
        "calendars": [],
        "override": {"label": "freeze-exception", "approvers": []},
    },
    "changeset": {"min_words": 4, "placeholders": ["wip", "update", "fix", "changes", "todo"]},
    "deployments": {"environment": "{service}-{stage}", "soak_hours": 24, "monitor_minutes": 30},
    "attestations": {"max_age_days": 30},
    "expiry_warning_days": 14,
    "services": {"allow_removal": False},
    "waivers": {"approvers": [], "max_days": None},
    "advisory": [],
    "phi_fields": [
        "dob", "dateOfBirth", "ssn", "email", "phone", "address", "firstName", "lastName",
        "fullName", "diagnosis", "medication", "prescription", "mrn", "insuranceId",
    ],
    "vendors": ["stripe", "twilio", "@sendgrid/mail"],
    "loggers": ["logger", "log", "console", "c.var.logger"],
    "helpers": {
        "router_constructors": ["Hono"],
        "require_scope": "requireScope",
        "require_baa": "requireBaa",
        "rate_limit": "rateLimit",
        "idempotent": "idempotent",
        "audit": "audit",
        "breaker": "breaker",
        "retry": "retry",
        "dedupe": "dedupe",
        "subscribe": "subscribe",
        "http_client": "http",
        "sql_tag": "sql",
        "db_object": "db",
        "alarms": "alarms",
    },
    "helper_modules": {
        "require_scope": "@platform/auth",
        "require_baa": "@platform/auth",
        "rate_limit": "@platform/rate-limit",
        "idempotent": "@platform/idempotency",
        "audit": "@platform/audit",
        "breaker": "@platform/resilience",
        "retry": "@platform/resilience",
        "dedupe": ["@platform/events", "@platform/idempotency"],
    },
    "limits": {"max_file_bytes": 32 * 1024 * 1024, "max_files": 20_000, "max_total_bytes": 256 * 1024 * 1024},
    "data": {},
    "postgres": {"version": 18},
    "providers": {},
}


class ConfigError(Exception):
    """Bad configuration: the message names the file, the key path and the line."""


@cache
def schema() -> dict[str, Any]:
    text = resources.files("gate.schemas").joinpath("config.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "providers":
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


@dataclass(frozen=True)
class Config:
    data: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    #: where it came from (repo-relative), None for the defaults
    source: str | None = None
    doc: YamlDoc | None = None

    def get(self, *keys: str) -> Any:
        cur: Any = self.data
        for k in keys:
            cur = cur[k]
        return cur

    @property
    def check_name(self) -> str:
        return str(self.data["check_name"])

    def path(self, name: str) -> str:
        return str(self.data["paths"][name]).strip("/")

    @property
    def docs_url(self) -> str:
        return str(self.data["docs_url"]).rstrip("/")

    @property
    def advisory(self) -> frozenset[str]:
        return frozenset(self.data["advisory"])

    @property
    def expiry_warning_days(self) -> int:
        return int(self.data["expiry_warning_days"])

    @property
    def max_age_days(self) -> int:
        return int(self.data["attestations"]["max_age_days"])

    @property
    def waiver_max_days(self) -> int | None:
        v = self.data["waivers"]["max_days"]
        return int(v) if v is not None else None

    def helper(self, name: str) -> str:
        return str(self.data["helpers"][name])


_TYPES = {"integer": "an integer", "string": "a string", "boolean": "true or false", "array": "a list",
          "object": "a mapping of keys", "number": "a number", "null": "empty"}


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_@/*-]+")


def _dotted(keys: list[Any]) -> str:
    """``approval.min_approvals``; a key that is not plain (it is repository text: new lines,
    control characters, dots) is shown quoted with its escapes, on one line."""
    return ".".join(str(k) if _PLAIN_KEY.fullmatch(str(k)) else json.dumps(str(k)) for k in keys) or "(top level)"


def _error_line(err: Any, doc: YamlDoc, source: str) -> str:
    """One schema error, worded as the service.yaml findings are: the key, its line, what to do
    (``unknown key `aproval` at line 3: did you mean `approval`?``)."""
    import difflib

    keys = list(err.absolute_path)
    secret = bool(keys) and keys[0] == "providers"  # never echo what may be a credential
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = list(err.schema.get("properties", {}))
        extra = [k for k in err.instance if k not in known] or ["?"]
        out = []
        for bad in extra:
            line = doc.line([*keys, bad])
            close = difflib.get_close_matches(str(bad), known, n=1, cutoff=0.6)
            fix = (f"did you mean `{_dotted([*keys, close[0]])}`?" if close
                   else f"remove it or fix its spelling (keys here: {', '.join(known)}; see {DOCS_URL}/configuration.md)")
            out.append(f"{source}:{line}: unknown key `{_dotted([*keys, bad])}` at line {line}: {fix}")
        return "\n".join(out)
    line = doc.line(keys)
    where = f"`{_dotted(keys)}` at line {line}"
    value = "(value not shown)" if secret else repr(err.instance)
    if err.validator == "type":
        types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return f"{source}:{line}: {where} is {value}: it must be {' or '.join(_TYPES.get(str(t), str(t)) for t in types)}"
    if err.validator == "enum":
        return f"{source}:{line}: {where} is {value}: choose one of {', '.join(map(str, err.validator_value))}"
    if err.validator == "required":
        missing = next((k for k in err.validator_value if isinstance(err.instance, dict) and k not in err.instance), "?")
        return f"{source}:{line}: `{_dotted([*keys, missing])}` is missing under {where}: add it"
    msg = err.message.replace(repr(err.instance), "(value not shown)") if secret and isinstance(err.instance, str) else err.message
    return f"{source}:{line}: {where}: {msg}"


def parse(text: str, source: str, read: Callable[[str], str | None] | None = None) -> Config:
    """Validate ``text`` (the file ``source``) and merge it over the defaults.

    ``read`` (a repo-relative path → its text, None when absent) lets the semantic checks also
    refuse files the configuration names that are missing or unusable (freeze calendars)."""
    import jsonschema

    try:
        data = load(text)
    except YamlError as exc:
        where = f"{source}:{exc.line}" if exc.line else source
        raise ConfigError(f"{where}: {exc.message}") from None
    if data is None:
        data = {}
    doc = YamlDoc(source, text, data)
    if isinstance(data, dict) and "providers" in data:
        from gate.providers.config import find_inline_secret

        leak = find_inline_secret(data["providers"])
        if leak is not None:
            raise ConfigError(f"{source}:{doc.line(leak.keys)}: {leak.message}")
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if errors:
        lines = [_error_line(err, doc, source) for err in errors[:20]]
        raise ConfigError("invalid configuration\n" + "\n".join(dict.fromkeys(lines)))
    from gate import catalog

    for i, item in enumerate(data.get("advisory", [])):
        if item not in catalog.BY_ID:
            raise ConfigError(f"{source}:{doc.line(['advisory', i])}: advisory.{i}: unknown item id {item!r}")
    from gate import freeze

    freeze.validate(data, doc, source, read)
    return Config(_merge(DEFAULTS, data), source, doc)


def defaults() -> Config:
    return Config()
