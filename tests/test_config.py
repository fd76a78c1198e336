"""Configuration: defaults, validation with key path and line, exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gate import config as cfg
from gate.cli import main
from tests.helpers import ROOT, write_tree


def test_defaults_match_the_spec() -> None:
    c = cfg.defaults()
    assert c.check_name == "prod-readiness"
    assert c.path("services") == "services"
    assert c.approval.min_approvals == 1
    assert c.freeze.windows == ()
    assert c.freeze.override.label == "freeze-exception"
    assert c.changeset.min_words == 4
    assert c.max_age_days == 30


def test_the_spec_example_is_valid() -> None:
    text = """
    check_name: prod-readiness
    paths: {services: services, docs: docs, changesets: .changeset, packages: packages}
    approval:
      min_approvals: 2
      dismiss_stale: true
    ci:
      required: ["build", "test*"]
    freeze:
      timezone: UTC
      windows:
        - {name: Year-end freeze, start: "2026-12-18T17:00", end: "2027-01-04T09:00", timezone: America/New_York}
        - {name: Weekend, weekly: {from: "Fri 16:00", to: "Mon 09:00"}, timezone: America/New_York}
      override: {label: freeze-exception, approvers: [alice, acme/release-managers]}
    advisory: [docs.cross-links]
    """
    import textwrap

    c = cfg.parse(textwrap.dedent(text), ".github/prod-readiness.yml")
    assert c.approval.min_approvals == 2
    assert c.approval.dismiss_stale is True
    assert c.ci.conformance == ("conformance*",)  # default kept beside the override
    assert c.advisory == frozenset({"docs.cross-links"})


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("approval:\n  min_aprovals: 2\n",
         ".github/prod-readiness.yml:2: unknown key `approval.min_aprovals` at line 2: did you mean `approval.min_approvals`?"),
        ("x: 1\naproval:\n  min_approvals: 2\n", ".github/prod-readiness.yml:2: unknown key `aproval` at line 2: did you mean `approval`?"),
        ("zzz: 1\n", ".github/prod-readiness.yml:1: unknown key `zzz` at line 1: remove it or fix its spelling (keys here: check_name, docs_url,"),
        ("approval:\n  min_approvals: two\n", ".github/prod-readiness.yml:2: `approval.min_approvals` at line 2 is 'two': it must be an integer"),
        ("docs_url: http://x/\n", ".github/prod-readiness.yml:1: `docs_url` at line 1: 'http://x/' does not match"),
        ("advisory: [nope.item]\n", "advisory.0: unknown item id 'nope.item'"),
        ("a: [\n", ".github/prod-readiness.yml:2: invalid YAML"),
    ],
)
def test_errors_name_file_key_and_line(text: str, expect: str) -> None:
    with pytest.raises(cfg.ConfigError) as exc:
        cfg.parse(text, ".github/prod-readiness.yml")
    assert expect in str(exc.value)


def test_bad_config_exits_2_with_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(
        tmp_path,
        {
            "sst.config.ts": "",
            ".github/prod-readiness.yml": "paths:\n  services: services\n  doc: docs\n",
            "services/a/service.yaml": "name: a\n",
        },
    )
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert ".github/prod-readiness.yml:3: unknown key `paths.doc` at line 3: did you mean `paths.docs`?" in err
    # the document it points at exists in prodgate's published docs
    assert "(every key: https://github.com/prodgate/prodgate/blob/main/docs/configuration.md)" in err
    assert (ROOT / "docs" / "configuration.md").is_file()
    assert "Traceback" not in err


PG_MAJOR = "it must be the major version of PostgreSQL the migrations run on, a whole number from 10 to 18"


@pytest.mark.parametrize(("value", "major"), [("10.0", 10), ("18.0", 18), ("16", 16), ("{version: 12.0}", 12)])
def test_postgres_version_a_whole_number_written_as_a_float_is_that_major(value: str, major: int) -> None:
    text = f"postgres: {value}\n" if value.startswith("{") else f"postgres:\n  version: {value}\n"
    c = cfg.parse(text, ".github/prod-readiness.yml")
    assert c.postgres_version == major and type(c.postgres_version) is int


@pytest.mark.parametrize(("value", "message"), [
    ('"16"', f'is "16": {PG_MAJOR}; YAML read this as a string: write a plain number (`version: 16`)'),
    ("9.6", f"is 9.6: {PG_MAJOR}; prodgate does not judge migrations for PostgreSQL before 10"),
    ("18.1", f"is 18.1: {PG_MAJOR}; 18.1 reads as a minor version: write its major version only (`version: 18`)"),
    ("10.5", f"is 10.5: {PG_MAJOR}; 10.5 reads as a minor version: write its major version only (`version: 10`)"),
    ("true", f"is true: {PG_MAJOR} (for example `version: 18`)"),
    ("false", f"is false: {PG_MAJOR} (for example `version: 18`)"),
    ("19", f"is 19: {PG_MAJOR}; prodgate knows the lock rules up to PostgreSQL 18: set 18, or use a prodgate that "
           "knows the newer version"),
    (".nan", f"is .nan: {PG_MAJOR} (for example `version: 18`)"),
    ('"sixteen"', f'is "sixteen": {PG_MAJOR} (for example `version: 18`), not a string'),
])
def test_postgres_version_that_is_not_a_major_is_refused_at_its_line_never_truncated(value: str, message: str) -> None:
    with pytest.raises(cfg.ConfigError) as exc:
        cfg.parse(f"# policy\nci: {{required: [build]}}\npostgres:\n  version: {value}\n", ".github/prod-readiness.yml")
    # one line for the key, however many schema rules it breaks (9.6: type and minimum)
    assert str(exc.value) == f"invalid configuration\n.github/prod-readiness.yml:4: `postgres.version` at line 4 {message}"


@pytest.mark.parametrize("value", ["9.6", "true", "18.1", "[16]"])
def test_a_whole_number_key_is_never_truncated_even_if_the_schema_let_it_through(
        value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The typed reading does not trust the schema alone: ``int(True)`` is 1 and ``int(9.6)`` is 9."""
    import copy

    loose = copy.deepcopy(cfg.schema())
    loose["properties"]["postgres"]["properties"]["version"] = {}
    loose["properties"]["approval"]["properties"]["min_approvals"] = {}
    monkeypatch.setattr(cfg, "schema", lambda: loose)
    for key, text in (("postgres.version", f"postgres:\n  version: {value}\n"),
                      ("approval.min_approvals", f"approval:\n  min_approvals: {value}\n")):
        with pytest.raises(cfg.ConfigError) as exc:
            cfg.parse("# x\n" + text, ".github/prod-readiness.yml")
        assert str(exc.value) == f".github/prod-readiness.yml:3: `{key}` at line 3 is {value}: it must be a whole number"
    assert cfg.parse("postgres:\n  version: 10.0\n", ".github/prod-readiness.yml").postgres_version == 10


def test_a_postgres_version_with_a_fraction_exits_2_naming_file_key_line_and_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {
        "sst.config.ts": "",
        ".github/prod-readiness.yml": "approval:\n  min_approvals: 1\npostgres:\n  version: 9.6\n",
        "services/a/service.yaml": "name: a\n",
    })
    assert main(["check", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert (f".github/prod-readiness.yml:4: `postgres.version` at line 4 is 9.6: {PG_MAJOR}; prodgate does not judge "
            "migrations for PostgreSQL before 10") in captured.err
    assert "Traceback" not in captured.err and captured.out == ""

FULL_CONFIG = """
check_name: prod-readiness
docs_url: https://docs.example.com/prodgate
paths: {services: services, docs: docs, changesets: .changeset, packages: packages}
approval: {min_approvals: 2, dismiss_stale: true}
ci: {required: ["build", "test*"], staging_smoke: ["smoke*staging*"]}
freeze:
  timezone: UTC
  windows:
    - {name: Year-end freeze, start: "2026-12-18T17:00", end: "2027-01-04T09:00", timezone: America/New_York}
    - {name: Weekend, weekly: {from: "Fri 16:00", to: "Mon 09:00"}, timezone: America/New_York}
  override: {label: freeze-exception, approvers: [alice, acme/release-managers]}
advisory: [docs.cross-links]
changeset: {min_words: 4}
deployments: {soak_hours: 24, monitor_minutes: 30}
attestations: {max_age_days: 30}
waivers: {max_days: 90}
postgres: {version: 16}
limits: {max_file_bytes: 1000000}
providers:
  timeout_seconds: 5
  retries: 2
  budget_seconds: 30
  http: {url: "https://{name}.dev.example.com/healthz", stage: dev}
  dns: {names: "{name}.example.com", stages: [dev, prod], nameservers: ["10.0.0.2"], port: 53}
  aws:
    region: us-east-1
    profile: prod-ro
    endpoint_url: http://localhost:4566
    cloudwatch: {alarm_stages: [prod], alarms: {error_rate: "{name}-errors"}}
    ssm: {app: platform, parameter: "/sst/{app}/{stage}/Secret/{name}/value", stages: [prod]}
  pagerduty: {api_url: https://api.pagerduty.com, token_env: PD_TOKEN, email_domain: example.com, min_escalation_levels: 2, users: {alice: alice@example.com}}
  github_packages: {api_url: https://api.github.com, org: acme, token_env: GH_PACKAGES_TOKEN}
"""

_POOL: list[object] = [0, 1, -1, 2**63, 2**63 - 1, -(2**63), 2**64, 3.0, 2.5, -0.0, 1e308, float("inf"), 65535, 65536, 600, 600.0001, 121, 120,
        True, False, None, "", "a", "abc\n", "abc\x1c", "ab c", "Fri 16:00", "Fri 24:00", "fri 16:00", "https://x", "https://x y",
        "http://a@b", "https://é.com", "us-east-1", "US-east-1", "../x", "/abs", "a/../b", "x/..", "é", "\u0660", "A_B", "a_b",
        "PD_TOKEN\n", "x" * 200, "dev", "prod-1", "1dev", "10.0.0.1", "::1", "g::", "a.com", "a.c", "/x/{name}", "/x/{nam}",
        [], [1], ["a"], ["dev", "Dev"], {}, {"x": 1}, {"name": "n"}]


def test_the_jsonschema_rs_shortcut_agrees_with_jsonschema() -> None:
    """``certainly_valid`` (jsonschema-rs, asked instead of importing jsonschema) never calls valid
    what jsonschema refuses, and on plain data (printable ASCII, 64-bit integers) both always say
    the same: 1,500 random mutations of a configuration that sets every section."""
    import copy
    import random

    from gate.sources.yaml.parse import load

    base = load(FULL_CONFIG)
    assert not cfg._schema_errors(base) and cfg.certainly_valid(base)

    def paths(d: object, pre: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        out = [pre]
        if isinstance(d, dict):
            for k, v in d.items():
                out += paths(v, (*pre, k))
        elif isinstance(d, list):
            for i, v in enumerate(d):
                out += paths(v, (*pre, i))
        return out

    rnd = random.Random(5)
    seen = {"valid": 0, "shortcut": 0, "refused": 0}
    for _ in range(1500):
        d = copy.deepcopy(base)
        for _ in range(rnd.randint(1, 3)):
            p = rnd.choice([p for p in paths(d) if p])
            parent: Any = d
            for k in p[:-1]:
                parent = parent[k]
            op = rnd.random()
            if op < 0.1 and isinstance(parent, dict):
                del parent[p[-1]]
            elif op < 0.15 and isinstance(parent, dict):
                parent[rnd.choice(["zz", "x_y", "\u00e9"])] = copy.deepcopy(rnd.choice(_POOL))
            else:
                parent[p[-1]] = copy.deepcopy(rnd.choice(_POOL))
        valid = not cfg._schema_errors(d)
        fast = cfg.certainly_valid(d)
        assert not (fast and not valid), d
        if cfg._plain(d):
            assert fast == valid, d
        seen["valid"] += valid
        seen["shortcut"] += fast
        seen["refused"] += not valid
    assert seen["shortcut"] > 100 and seen["refused"] > 1000, seen


def test_a_configuration_with_an_odd_string_is_judged_by_jsonschema() -> None:
    """A value ending in a newline: Python's ``$`` matches before it, Rust's does not; the
    shortcut says "not sure" and jsonschema (the reference) decides."""
    data = {"providers": {"pagerduty": {"token_env": "PD_TOKEN\n"}}}
    assert not cfg._plain(data)
    assert not cfg.certainly_valid(data)
    assert cfg._schema_errors(data) == []
