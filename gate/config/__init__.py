"""Configuration: ``.github/prod-readiness.yml`` validated against the published JSON Schema
(``gate/schemas/config.schema.json``), merged over the defaults of the conventions, and read once
into typed sections (:class:`Config`): a check reads ``ctx.config.ci.required``, never the file's
keys. The ``freeze`` section is read by :mod:`gate.freeze`, ``providers`` by
:mod:`gate.config.providers`."""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

from gate import freeze
from gate.config import providers
from gate.config.providers import ProvidersConfig
from gate.freeze import FreezeSettings
from gate.sources.yaml.parse import YamlDoc, YamlError, load

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
        "sql_tag": "@platform/db",
        "db_object": "@platform/db",
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


# -- the sections, typed ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Paths:
    """``paths``: repo-relative folders, without leading or trailing slashes."""

    services: str
    docs: str
    changesets: str
    packages: str


@dataclass(frozen=True)
class Approval:
    """``approval``: promotion.approved."""

    min_approvals: int
    dismiss_stale: bool


@dataclass(frozen=True)
class Ci:
    """``ci``: check-run name patterns (shell-style ``*``)."""

    required: tuple[str, ...]
    conformance: tuple[str, ...]
    staging_smoke: tuple[str, ...]
    ignore: tuple[str, ...]
    #: the GitHub App whose check runs count as the conformance suite
    conformance_app: str


@dataclass(frozen=True)
class Changeset:
    """``changeset``: promotion.changeset."""

    min_words: int
    placeholders: tuple[str, ...]


@dataclass(frozen=True)
class Deployments:
    """``deployments``: the GitHub environment of a service's stage, and the time it must run."""

    #: ``{service}-{stage}``
    environment: str
    soak_hours: float
    monitor_minutes: float

    def environment_of(self, service: str, stage: str) -> str:
        return self.environment.replace("{service}", service).replace("{stage}", stage)


@dataclass(frozen=True)
class ServicesPolicy:
    """``services``: what a pull request may do to the base commit's services."""

    #: True: any stable service may be removed; else the names that may be
    allow_removal: bool | frozenset[str]

    def may_remove(self, name: str) -> bool:
        allow = self.allow_removal
        return allow if isinstance(allow, bool) else name in allow


@dataclass(frozen=True)
class WaiverPolicy:
    """``waivers``: who may approve a waiver (logins or ``org/team``; empty: anyone but the
    author), and the longest it may run (None: no cap)."""

    approvers: tuple[str, ...]
    max_days: int | None


@dataclass(frozen=True)
class Helpers:
    """``helpers``: the names the platform's helpers have in the services' code."""

    router_constructors: tuple[str, ...]
    require_scope: str
    require_baa: str
    rate_limit: str
    idempotent: str
    audit: str
    breaker: str
    retry: str
    dedupe: str
    subscribe: str
    http_client: str
    sql_tag: str
    db_object: str
    alarms: str


@dataclass(frozen=True)
class Limits:
    """``limits``: how much of the repository one run reads."""

    max_file_bytes: int
    max_files: int
    max_total_bytes: int


@dataclass(frozen=True)
class Config:
    """The configuration, read once: one typed object per section of the file, merged over the
    defaults of the conventions."""

    check_name: str
    #: prodgate's documentation, without a trailing slash
    docs_url: str
    paths: Paths
    approval: Approval
    ci: Ci
    freeze: FreezeSettings
    changeset: Changeset
    deployments: Deployments
    #: ``attestations.max_age_days``: how old an attestation may be
    max_age_days: int
    #: a waiver that expires within this many days adds a warning
    expiry_warning_days: int
    services: ServicesPolicy
    waivers: WaiverPolicy
    #: item ids whose failure does not block
    advisory: frozenset[str]
    phi_fields: tuple[str, ...]
    vendors: tuple[str, ...]
    loggers: tuple[str, ...]
    helpers: Helpers
    #: helper key → the module (or modules) it must be imported from
    helper_modules: Mapping[str, tuple[str, ...]]
    limits: Limits
    #: ``data.database_url_env``: the variable holding the URL of the live database (data.grants)
    database_url_env: str | None
    #: ``postgres.version``: the major version the migrations run on
    postgres_version: int
    providers: ProvidersConfig
    #: where it came from (repo-relative), None for the defaults
    source: str | None = None
    doc: YamlDoc | None = field(default=None, repr=False, compare=False)

    def path(self, name: str) -> str:
        """The folder ``paths.<name>`` (``services``, ``docs``, ``changesets``, ``packages``)."""
        return str(getattr(self.paths, name))

    def helper(self, name: str) -> str:
        """The name of helper ``name`` in code (``require_scope`` → ``requireScope``)."""
        value = getattr(self.helpers, name)
        if not isinstance(value, str):
            raise KeyError(name)
        return value


def _strs(v: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in v or ())


def _whole(data: Mapping[str, Any], keys: tuple[str, ...], source: str | None, doc: YamlDoc | None) -> int:
    """The integer at ``keys`` of ``data``: a whole number, also when written as a float (``10.0``
    is 10, as the schema's ``integer`` accepts it). A boolean, a number with a fraction or
    anything else is a :class:`ConfigError` at its line, never truncated (``int(True)``,
    ``int(9.6)``). The schema refuses those first; this keeps a schema change from letting one
    through silently."""
    value: Any = data
    for k in keys:
        value = value[k]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    line = doc.line(list(keys)) if doc is not None else None
    where = f"{source or 'the default configuration'}:{line}" if line else (source or "the default configuration")
    raise ConfigError(f"{where}: `{_dotted(list(keys))}`{f' at line {line}' if line else ''} is {_shown(value)}: "
                      "it must be a whole number")


def _shown(value: Any) -> str:
    """``value`` as YAML writes it: ``true``, ``"16"``, ``9.6``, ``.inf``, ``null``."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if value != value else ".inf" if value > 0 else "-.inf"
    return json.dumps(value) if isinstance(value, (bool, str, int, float)) or value is None else repr(value)


def _typed(data: Mapping[str, Any], source: str | None, doc: YamlDoc | None, fz: FreezeSettings) -> Config:
    """The typed configuration of ``data`` (valid against the schema, merged over the defaults)."""
    p, a, ci, ch, dep, h = (data["paths"], data["approval"], data["ci"], data["changeset"], data["deployments"],
                            data["helpers"])
    allow = data["services"]["allow_removal"]

    def whole(*keys: str) -> int:
        return _whole(data, keys, source, doc)

    max_days = None if data["waivers"]["max_days"] is None else whole("waivers", "max_days")
    return Config(
        check_name=str(data["check_name"]),
        docs_url=str(data["docs_url"]).rstrip("/"),
        paths=Paths(*(str(p[k]).strip("/") for k in ("services", "docs", "changesets", "packages"))),
        approval=Approval(whole("approval", "min_approvals"), bool(a["dismiss_stale"])),
        ci=Ci(_strs(ci["required"]), _strs(ci["conformance"]), _strs(ci["staging_smoke"]), _strs(ci["ignore"]),
              str(ci["conformance_app"] or "github-actions")),
        freeze=fz,
        changeset=Changeset(whole("changeset", "min_words"), _strs(ch["placeholders"])),
        deployments=Deployments(str(dep["environment"]), float(dep["soak_hours"]), float(dep["monitor_minutes"])),
        max_age_days=whole("attestations", "max_age_days"),
        expiry_warning_days=whole("expiry_warning_days"),
        services=ServicesPolicy(allow if isinstance(allow, bool) else frozenset(str(s) for s in allow)),
        waivers=WaiverPolicy(_strs(data["waivers"]["approvers"]), max_days),
        advisory=frozenset(data["advisory"]),
        phi_fields=_strs(data["phi_fields"]),
        vendors=_strs(data["vendors"]),
        loggers=_strs(data["loggers"]),
        helpers=Helpers(_strs(h["router_constructors"]), *(str(h[k]) for k in _HELPER_NAMES)),
        helper_modules={str(k): (v,) if isinstance(v, str) else _strs(v) for k, v in data["helper_modules"].items()},
        limits=Limits(whole("limits", "max_file_bytes"), whole("limits", "max_files"), whole("limits", "max_total_bytes")),
        database_url_env=data["data"].get("database_url_env"),
        postgres_version=whole("postgres", "version"),
        providers=providers.read(data["providers"]),
        source=source,
        doc=doc,
    )


#: the keys of ``helpers`` that name one function (all but ``router_constructors``), in order
_HELPER_NAMES = tuple(f.name for f in fields(Helpers))[1:]


_TYPES = {"integer": "an integer", "string": "a string", "boolean": "true or false", "array": "a list",
          "object": "a mapping of keys", "number": "a number", "null": "empty"}


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_@/*-]+")


def _dotted(keys: list[Any]) -> str:
    """``approval.min_approvals``; a key that is not plain (it is repository text: new lines,
    control characters, dots) is shown quoted with its escapes, on one line."""
    return ".".join(str(k) if _PLAIN_KEY.fullmatch(str(k)) else json.dumps(str(k)) for k in keys) or "(top level)"


def _postgres_version_fix(value: Any) -> str:
    """What is wrong with ``value``, a ``postgres.version`` the schema refuses, and what to write
    instead: it is a major version, a whole number the rules know (``16``; ``10.0`` is read as 10).
    A minor version (``18.1``) is not truncated to its major, nor ``true`` read as 1: the file says
    something other than a major version, and its author decides which."""
    spec = schema()["properties"]["postgres"]["properties"]["version"]
    low, high = int(spec["minimum"]), int(spec["maximum"])
    known = f"it must be the major version of PostgreSQL the migrations run on, a whole number from {low} to {high}"
    example = f"{known} (for example `version: {high}`)"
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return f"{example}, not a string"
        if number.is_integer() and low <= number <= high:
            return f"{known}; YAML read this as a string: write a plain number (`version: {int(number)}`)"
        return f"{example}, not a string"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return example
    if isinstance(value, float) and not value.is_integer() and low <= value < high + 1:
        return f"{known}; {value} reads as a minor version: write its major version only (`version: {int(value)}`)"
    if value < low:
        return f"{known}; prodgate does not judge migrations for PostgreSQL before {low}"
    if value >= high + 1:
        return (f"{known}; prodgate knows the lock rules up to PostgreSQL {high}: set {high}, or use a prodgate "
                "that knows the newer version")
    return example


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
    if keys == ["postgres", "version"]:
        return f"{source}:{line}: {where} is {_shown(err.instance)}: {_postgres_version_fix(err.instance)}"
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


@cache
def _rs_valid() -> Callable[[Any], bool]:
    import jsonschema_rs

    fn: Callable[[Any], bool] = jsonschema_rs.Draft202012Validator(schema()).is_valid
    return fn


def _plain(data: Any) -> bool:
    """Is every string (key or value) of ``data`` printable ASCII, every number a float or an
    integer of 64 bits? On such data the schema's ``pattern``s (``^...$``, ``\\s``, classes of
    ASCII letters) mean the same to Rust's regex engine and to Python's ``re``: ``$`` before a
    final newline and ``\\s`` on the separators U+001C-U+001F are where they differ."""
    stack = [data]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if not (v.isascii() and v.isprintable()):
                return False
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, int) and not isinstance(v, bool) and not -(2**63) <= v < 2**63:
            return False
        elif not isinstance(v, (bool, int, float)) and v is not None:
            return False  # a date, bytes...: jsonschema says what it makes of it
    return True


def certainly_valid(data: Any) -> bool:
    """The configuration is valid, asked of jsonschema-rs (microseconds) instead of importing
    jsonschema (30 ms of every run): only for :func:`_plain` data, on which the two agree
    (``tests/test_config.py`` compares them on mutations of the example's configuration). No
    means "let jsonschema say", which also words the errors."""
    try:
        return _plain(data) and _rs_valid()(data)
    except Exception:  # a value jsonschema-rs cannot take: jsonschema says
        return False


def _schema_errors(data: Any) -> list[Any]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    return sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))


def parse(text: str, source: str, read: Callable[[str], str | None] | None = None) -> Config:
    """Validate ``text`` (the file ``source``) and merge it over the defaults.

    ``read`` (a repo-relative path → its text, None when absent) lets the semantic checks also
    refuse files the configuration names that are missing or unusable (freeze calendars)."""
    try:
        data = load(text)
    except YamlError as exc:
        where = f"{source}:{exc.line}" if exc.line else source
        raise ConfigError(f"{where}: {exc.message}") from None
    if data is None:
        data = {}
    doc = YamlDoc(source, text, data)
    if isinstance(data, dict) and "providers" in data:
        leak = providers.find_inline_secret(data["providers"])
        if leak is not None:
            raise ConfigError(f"{source}:{doc.line(leak.keys)}: {leak.message}")
    errors = [] if certainly_valid(data) else _schema_errors(data)
    if errors:
        lines = [_error_line(err, doc, source) for err in errors[:20]]
        raise ConfigError("invalid configuration\n" + "\n".join(dict.fromkeys(lines)))
    from gate import catalog

    for i, item in enumerate(data.get("advisory", [])):
        if item not in catalog.BY_ID:
            raise ConfigError(f"{source}:{doc.line(['advisory', i])}: advisory.{i}: unknown item id {item!r}")
    merged = _merge(DEFAULTS, data)
    try:
        fz = freeze.read_section(merged["freeze"], doc, source, read)
    except freeze.FreezeError as exc:
        raise ConfigError(f"{source}:{exc.line or 1}: {exc.message}") from None
    return _typed(merged, source, doc, fz)


def defaults() -> Config:
    """The configuration of a repository without ``.github/prod-readiness.yml``."""
    data = copy.deepcopy(DEFAULTS)
    return _typed(data, None, None, freeze.read_section(data["freeze"], None, None))
