"""Type confusion: every key of service.yaml's and of the configuration's JSON Schema, given every
JSON type the schema refuses there. The schema refuses it before any check reads it: never an
internal error, a finding (or, for the configuration, exit 2) at the key's line.

The sweep runs in-process over one workspace (only the changed manifest is read again); two
cases from the issue also run through the CLI."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from gate.model import Status
from gate.sources.yaml.parse import Key, YamlDoc, load
from tests.hostile.conftest import ROOT, assert_clean, platform, run_cli

SAMPLES: dict[str, Any] = {"null": None, "boolean": True, "integer": 7, "number": 1.5, "string": "s",
                           "array": ["s"], "object": {"k": "v"}}


def _schema(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "gate" / "schemas" / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _paths(root: dict[str, Any]) -> Iterator[tuple[tuple[Key, ...], set[str]]]:
    """Each key path of the schema that declares a type, with the types it allows."""
    stack: list[tuple[tuple[Key, ...], dict[str, Any]]] = [((), root)]
    while stack:
        keys, node = stack.pop()
        while "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
        t = node.get("type")
        if t is not None and keys:
            allowed = {t} if isinstance(t, str) else set(t)
            yield keys, allowed | ({"integer"} if "number" in allowed else set())
        for k, sub in node.get("properties", {}).items():
            stack.append(((*keys, k), sub))
        if isinstance(node.get("items"), dict):
            stack.append(((*keys, 0), node["items"]))
        if isinstance(node.get("additionalProperties"), dict):
            stack.append(((*keys, "extra"), node["additionalProperties"]))


def _set(doc: dict[str, Any], keys: tuple[Key, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    cur: Any = out
    for k, nxt in zip(keys, (*keys[1:], None), strict=True):
        if nxt is None:
            if isinstance(cur, list):
                cur[:1] = [value]
            else:
                cur[k] = value
            break
        fresh: Any = [] if isinstance(nxt, int) else {}
        if isinstance(cur, list):
            if not cur or not isinstance(cur[0], type(fresh)):
                cur[:1] = [fresh]
            cur = cur[0]
        else:
            if not isinstance(cur.get(k), type(fresh)):
                cur[k] = fresh
            cur = cur[k]
    return out


def _cases(schema: dict[str, Any]) -> list[tuple[tuple[Key, ...], str]]:
    return [(keys, t) for keys, allowed in sorted(_paths(schema), key=lambda p: [str(k) for k in p[0]])
            for t in SAMPLES if t not in allowed]


SERVICE_CASES = _cases(_schema("service.schema.json"))
CONFIG_CASES = _cases(_schema("config.schema.json"))


def test_the_sweep_covers_the_schemas() -> None:
    assert len({k for k, _ in SERVICE_CASES}) >= 55
    assert len({k for k, _ in CONFIG_CASES}) >= 60
    assert (("contracts", "consumes", 0, "service"), "array") in SERVICE_CASES
    assert (("cron", 0, "route"), "object") in SERVICE_CASES


class Sweep:
    """The example platform (payments, identity) judged in-process; a manifest swapped per case."""

    def __init__(self, tmp: Path) -> None:
        from gate.context import RunInfo
        from gate.options import load_config, make_workspace
        from gate.providers import Providers
        from gate.services import discover
        from gate.workspace import Workspace

        self.root = platform(tmp, ("payments", "identity"))
        config = load_config(Workspace(self.root), None)
        self.ws = make_workspace(self.root, config)
        services = discover(self.ws, config.path("services"))
        self.judged = [s for s in services if s.name == "payments"]
        self.run = RunInfo(self.ws, config, dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC), "check",
                           all_services=services, providers=Providers(offline=True))

    def manifest(self, service: str) -> dict[str, Any]:
        data = load((self.root / "services" / service / "service.yaml").read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    def judge(self, service: str, data: dict[str, Any]) -> tuple[str, Any]:
        from gate.engine import evaluate

        rel = f"services/{service}/service.yaml"
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (self.root / rel).write_text(text, encoding="utf-8")
        for k in [k for k in self.ws._cache if rel in k[1]]:  # what was read or derived from it
            del self.ws._cache[k]
        return text, evaluate(self.run, self.judged, None)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    return Sweep(tmp_path_factory.mktemp("types"))


def _internal(report: Any) -> list[str]:
    return [f"{s.name} {it.id}: {f.message}" for s in report.services for it in s.items for f in it.findings
            if "internal error" in f.message or it.reason == "internal error"]


@pytest.mark.parametrize("service", ["payments", "identity"])
def test_every_key_of_service_yaml_with_every_wrong_type(sweep: Sweep, service: str) -> None:
    """Judging payments, with the wrong type in its own manifest or in the manifest of a service it
    consumes (read by docs.cross-links, auth.m2m-client, ...)."""
    base = sweep.manifest(service)
    bad: list[str] = []
    for keys, t in SERVICE_CASES:
        text, report = sweep.judge(service, _set(base, keys, SAMPLES[t]))
        bad += [f"{keys} = {t}: {m}" for m in _internal(report)]
        if service != "payments":
            continue
        line = YamlDoc("x", text, load(text)).tree_line(keys)
        items = {it.id: it for it in report.services[0].items}
        sy = items["artifacts.service-yaml"]
        if sy.status != Status.FAIL or not any("must be of type" in f.message and f.line == line for f in sy.findings):
            bad.append(f"{keys} = {t}: artifacts.service-yaml says {[(f.line, f.message) for f in sy.findings]}")
        for it in items.values():  # whoever met the guard names the key's line
            for f in it.findings:
                if "nothing is judged from a manifest" in f.message and (f.path, f.line) != (
                        "services/payments/service.yaml", line):
                    bad.append(f"{keys} = {t}: {it.id} at {f.path}:{f.line}")
    sweep.judge(service, base)
    assert not bad, "\n".join(bad[:20])


def test_every_key_of_the_configuration_with_every_wrong_type(tmp_path: Path) -> None:
    from gate import config as cfg

    base: dict[str, Any] = {"check_name": "prod-readiness", "freeze": {"windows": [{"name": "w", "start": "2026-12-20",
                                                                                    "end": "2027-01-02"}]}}
    bad: list[str] = []
    for keys, t in CONFIG_CASES:
        text = yaml.safe_dump(_set(base, keys, SAMPLES[t]), sort_keys=False)
        try:
            cfg.parse(text, ".github/prod-readiness.yml", lambda rel: None)
        except cfg.ConfigError as exc:
            line = YamlDoc("x", text, load(text)).tree_line(keys)
            if f".github/prod-readiness.yml:{line}:" not in str(exc):
                bad.append(f"{keys} = {t}: no line {line} in {str(exc)[:200]}")
        except Exception as exc:  # the point of the sweep: nothing else escapes
            bad.append(f"{keys} = {t}: {type(exc).__name__}: {exc}")
        else:
            bad.append(f"{keys} = {t}: accepted")
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("keys,value", [(("contracts", "consumes", 0, "service"), ["identity"]),
                                        (("contracts", "consumes", 0, "service"), {"name": "identity"}),
                                        (("cron", 0, "route"), ["POST", "/cron/reconcile"])])
def test_the_issues_cases_through_the_cli(tmp_path: Path, keys: tuple[Key, ...], value: Any) -> None:
    root = platform(tmp_path, ("payments", "identity"))
    rel = "services/payments/service.yaml"
    data = load((root / rel).read_text(encoding="utf-8"))
    text = yaml.safe_dump(_set(data, keys, value), sort_keys=False)
    (root / rel).write_text(text, encoding="utf-8")
    line = YamlDoc("x", text, load(text)).tree_line(keys)
    run = run_cli(root, "services/payments")
    assert_clean(run)
    assert run.code == 1
    assert "internal error" not in run.stderr
    assert not [f for f in run.findings() if "internal error" in f["message"]]
    def at_line(it: dict[str, Any]) -> bool:
        return any(f["path"] == rel and f["line"] == line and "must be of type" in f["message"] for f in it["findings"])

    sy = run.item("payments", "artifacts.service-yaml")
    assert sy["status"] == "fail" and at_line(sy), sy
    for item in ("docs.cross-links", "idempotency.cron-retry"):
        it = run.item("payments", item)
        # the problem is reported once (issue 18): an item that needs the broken manifest either
        # fails at the line itself or says it is not evaluable and names the failing item that does
        if it["status"] == "unverified":
            assert it["reason"].startswith(f"not evaluable: {rel}:{line} cannot be read, see "), it
            reporter = run.item("payments", it["reason"].rsplit(" ", 1)[-1])
            assert reporter["status"] == "fail" and at_line(reporter), reporter
        else:
            assert it["status"] == "fail" and at_line(it), it


def _reference_type_errors(data: Any) -> list[tuple[list[Key], str]]:
    """:func:`gate.sources.yaml.manifest.type_errors` without jsonschema-rs's yes-or-no first."""
    from unittest import mock

    from gate.sources.yaml import manifest

    with mock.patch.object(manifest, "_valid", lambda: (lambda _: False)):
        return manifest.type_errors(data)


def test_type_errors_are_jsonschemas_with_or_without_the_quick_yes(tmp_path: Path) -> None:
    """jsonschema-rs says "valid" before jsonschema (30 ms to load) is asked: on every wrong type
    of the sweep, on values its regular expressions may read otherwise than Python's (a final
    line break, Unicode spaces) and on integers past 64 bits, the type errors are jsonschema's."""
    from gate.sources.yaml.manifest import type_errors

    base = load((platform(tmp_path, ("payments",)) / "services" / "payments" / "service.yaml").read_text(encoding="utf-8"))
    assert type_errors(base) == [] == _reference_type_errors(base)
    odd: list[Any] = ["payments\n", "a\x1cb", "x\u00a0y", "UPPER", "", 2**70, -(2**70), 1.0, True]
    cases = [_set(base, keys, SAMPLES[t]) for keys, t in SERVICE_CASES]
    cases += [_set(base, keys, v) for keys, allowed in _paths(_schema("service.schema.json")) for v in odd
              if {"string", "integer", "number"} & allowed]
    for data in cases:
        assert type_errors(data) == _reference_type_errors(data), data
