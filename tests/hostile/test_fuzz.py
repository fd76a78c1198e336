"""Property tests (hypothesis) of every reader the gate points at PR-controlled text: service.yaml
and other YAML, the configuration, changesets, freeze windows and calendars, Markdown sections,
OpenAPI, SQL and TypeScript. No exception escapes other than the reader's own error type, and a
whole service evaluated from fuzzed files still gives a schema-valid report, rendered in every
format.

Bounded for CI (``PRODGATE_FUZZ_EXAMPLES``, default 200 per reader, a tenth of it for whole
evaluations; no deadline). More on demand: ``PRODGATE_FUZZ_EXAMPLES=5000 pytest tests/hostile/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.conftest import EXAMPLE, validate_report

N = int(os.environ.get("PRODGATE_FUZZ_EXAMPLES", "200"))
PARSER = settings(max_examples=N, deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("CI")))
WHOLE = settings(max_examples=max(10, N // 10), deadline=None, suppress_health_check=list(HealthCheck),
                 derandomize=bool(os.environ.get("CI")))

# -- strategies -------------------------------------------------------------------------------
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda kids: st.lists(kids, max_size=5) | st.dictionaries(st.text(max_size=12), kids, max_size=5),
    max_leaves=30,
)
YAML_TOKENS = ["a", "b", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "<<: ", "!!str ",
               "!!python/object:os.system ", "!tag ", "'", '"', "#", "---\n", "...\n", "|\n", "> ", "? ",
               "name: ", "status: stable", "owner: ", "on_call:", "\t", "%YAML 1.1\n", "\\", "\x00", "\ufeff",
               "2026-11-29", "0x1F", "1e9", "~", "null", "yes", "=", "@", "`"]


def fragments(tokens: list[str], max_size: int = 60) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(tokens) | st.text(max_size=4), max_size=max_size).map("".join)


def yaml_texts() -> st.SearchStrategy[str]:
    dumped = JSONISH.map(lambda v: yaml.safe_dump(v, allow_unicode=True))
    return dumped | fragments(YAML_TOKENS) | st.text(max_size=200)


MD_TOKENS = ["# ", "## ", "Alarms", "Rollback", "Escalation", "\n", "\n\n", "*", "**", "_", "[", "]", "(", ")",
             "![", "](#", "](./x.md#", "`", "```\n", "> ", "- ", "1. ", "|", "|-|", "<div>", "</div>", "&amp;",
             "---\n", "title: x\n", "\\", "    ", "<!--", "-->", "http://x", "#anchor", "\t", "\r\n"]
SQL_TOKENS = ["CREATE TABLE ", "t", "(", ")", "id int", ", ", "brand_id text NOT NULL", ";", "\n", "ALTER TABLE t ",
              "ADD COLUMN c int", "DROP COLUMN c", "CREATE INDEX ", "CONCURRENTLY ", "ON t (id)", "GRANT ", "REVOKE ",
              "UPDATE, DELETE ", "ON ledger TO app", "BEGIN", "COMMIT", "$$", "$x$", "'", "\"", "--", "/*", "*/",
              "SELECT ", "1", "+", "CASE WHEN ", " THEN ", " END", "DO ", "LANGUAGE plpgsql", "SET lock_timeout = '1s'",
              "\\", "E'\\x'", "::", "ATOMIC"]
TS_TOKENS = ["import ", "{ ", " }", " from ", "'hono'", "\"./x\"", "export ", "const ", "app", " = ", "new Hono()",
             ".get(", ".post(", "'/x'", ", ", "requireScope(", "'payments:read'", ")", "(c) => ", "c.json({})", ";",
             "\n", "fetch(", "`", "${", "}", "async ", "await ", "function ", "f", "(", "[", "]", "?", ":", "//",
             "/*", "*/", "class ", "extends ", "<T>", "as ", "any", "...", "=>", "sst.aws.Service", "process.env.X",
             "\\", "'", "\""]
ICS_TOKENS = ["BEGIN:VCALENDAR\r\n", "END:VCALENDAR\r\n", "BEGIN:VEVENT\r\n", "END:VEVENT\r\n",
              "DTSTART:20261218T170000Z\r\n", "DTEND:20270104T090000Z\r\n", "DTSTART;TZID=America/New_York:20261218T170000\r\n",
              "RRULE:FREQ=WEEKLY;BYDAY=FR\r\n", "RRULE:FREQ=SECONDLY\r\n", "SUMMARY:x\r\n", "DTSTART;VALUE=DATE:20261225\r\n",
              "EXDATE:20261225T000000Z\r\n", "DURATION:PT1H\r\n", "VERSION:2.0\r\n", ":", ";", "\r\n", " "]


# -- readers ----------------------------------------------------------------------------------
@PARSER
@given(yaml_texts())
def test_yaml_loader(text: str) -> None:
    from gate.sources.yaml.parse import YamlDoc, YamlError, load

    try:
        data = load(text)
    except YamlError as exc:
        assert exc.line is None or exc.line >= 1
        return
    doc = YamlDoc("x.yaml", text, data)
    if isinstance(data, dict):
        for k in list(data)[:3]:
            assert doc.line([k]) >= 1


@PARSER
@given(st.one_of(yaml_texts(), JSONISH.map(lambda v: yaml.safe_dump({"freeze": v, "paths": v}))))
def test_configuration(text: str) -> None:
    from gate import config as cfg

    try:
        cfg.parse(text, ".github/prod-readiness.yml", read=lambda rel: None)
    except cfg.ConfigError as exc:
        assert ".github/prod-readiness.yml" in str(exc)


WINDOW = st.fixed_dictionaries({}, optional={
    "name": st.text(max_size=10), "start": st.text(max_size=20) | st.just("2026-12-18T17:00"),
    "end": st.text(max_size=20) | st.just("2027-01-04T09:00"),
    "timezone": st.sampled_from(["UTC", "America/New_York", "Mars/Base", "", "../../etc/passwd"]) | st.text(max_size=10),
    "weekly": st.fixed_dictionaries({}, optional={"from": st.text(max_size=10) | st.just("Fri 16:00"),
                                                 "to": st.text(max_size=10) | st.just("Mon 09:00")}) | JSONISH,
}) | JSONISH


@PARSER
@given(st.lists(WINDOW, max_size=4), st.sampled_from(["UTC", "Europe/Berlin", "Nowhere/X", ""]),
       st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2200, 1, 1)))
def test_freeze_windows(windows: list[Any], tz: str, now: dt.datetime) -> None:
    """Windows as a PR's base configuration states them: validated (schema + freeze.validate),
    then evaluated at any instant, as promotion.freeze does."""
    from gate import config as cfg
    from gate import freeze

    text = yaml.safe_dump({"freeze": {"timezone": tz, "windows": windows}}, allow_unicode=True)
    try:
        conf = cfg.parse(text, ".github/prod-readiness.yml", read=lambda rel: None)
    except cfg.ConfigError:
        return
    freeze.evaluate(conf.freeze, now.replace(tzinfo=dt.UTC), {})


@PARSER
@given(fragments(ICS_TOKENS, 30), st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2200, 1, 1)))
def test_freeze_calendars(text: str, now: dt.datetime) -> None:
    from gate import freeze

    try:
        cal = freeze.parse_calendar("freeze.ics", text, dt.UTC)
    except freeze.FreezeError:
        return
    settings = freeze.FreezeSettings(calendars=("freeze.ics",))
    with contextlib.suppress(freeze.FreezeError):
        freeze.evaluate(settings, now.replace(tzinfo=dt.UTC), {"freeze.ics": text})
    assert cal is not None


@PARSER
@given(fragments(MD_TOKENS, 80))
def test_markdown_sections(text: str) -> None:
    from gate.sources.markdown import parse as md
    doc = md.parse("RUNBOOK.md", text)
    nlines = max(1, len(text.splitlines()))
    for h in doc.headings:
        assert 1 <= h.line <= nlines + 1
    for s in doc.sections:
        assert s.end_line >= s.heading.line - 1
    doc.find_sections("alarms", "rollback")
    assert doc.anchors_folded >= {a.lower() for a in doc.anchors}


@pytest.fixture(scope="module")
def ws_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzzrepo")
    shutil.copytree(EXAMPLE, root / "repo", symlinks=True)
    for d in (root / "repo" / "services").iterdir():
        if d.name != "payments":
            shutil.rmtree(d)
    return root / "repo"


@PARSER
@given(fragments([*MD_TOKENS, "'@platform/payments': patch\n", "'@platform/sdk-payments': minor\n"], 40))
def test_changesets(ws_root: Path, text: str) -> None:
    from gate.sources.markdown import changeset
    from gate.workspace import SourceProblem, Workspace

    (ws_root / ".changeset" / "fuzz.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        cs = changeset.read(Workspace(ws_root), ".changeset/fuzz.md")
    except SourceProblem:
        return
    assert cs is not None
    changeset.summary_problem(cs.summary, 4, ["wip", "update", "fix"])


@PARSER
@given(st.one_of(JSONISH, st.fixed_dictionaries({"openapi": st.sampled_from(["3.0.3", "3.1.0", "2.0", ""]),
                                                  "info": JSONISH, "paths": st.dictionaries(
                                                      st.sampled_from(["/x", "/x/{id}", "x", "/{a}{b}"]),
                                                      st.dictionaries(st.sampled_from(["get", "post", "parameters", "$ref"]),
                                                                      JSONISH, max_size=3), max_size=3),
                                                  "components": JSONISH})))
def test_openapi(ws_root: Path, doc: Any) -> None:
    from gate.sources.openapi import document as openapi
    from gate.workspace import SourceProblem, Workspace

    (ws_root / "services/payments/openapi.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    ws = Workspace(ws_root)
    try:
        openapi.validity(ws, "services/payments/openapi.yaml")
        for op in openapi.operations(ws, "services/payments/openapi.yaml"):
            openapi.missing_examples(op)
            openapi.parameters(op)
    except SourceProblem:
        pass


@PARSER
@given(fragments(SQL_TOKENS, 60))
def test_sql(text: str) -> None:
    from gate.sources.sql import parse as sql
    f = sql.parse("m.sql", text)
    n = max(1, text.count("\n") + 1)
    for s in f.statements:
        assert 1 <= s.line <= s.end_line <= n
        f.snippet(s)
    for e in f.errors:
        assert 1 <= e.line <= n


@PARSER
@given(fragments(TS_TOKENS, 60))
def test_typescript(text: str) -> None:
    from gate.sources.ts import parse as ts
    f = ts.parse("src/index.ts", text.encode("utf-8", "surrogatepass"))
    env = ts.module_env(f)
    for child in f.root.children[:20]:
        ts.evaluate(f, child, env)


# -- whole evaluations: the report stays schema-valid -----------------------------------------
ROLES = {
    "services/payments/service.yaml": yaml_texts(),
    "services/payments/RUNBOOK.md": fragments(MD_TOKENS, 80),
    "services/payments/openapi.yaml": JSONISH.map(lambda v: yaml.safe_dump(v)),
    "services/payments/src/index.ts": fragments(TS_TOKENS, 80),
    "services/payments/migrations/0001_create_payments.sql": fragments(SQL_TOKENS, 60),
    "docs/services/payments.md": fragments(MD_TOKENS, 60),
}


@WHOLE
@given(st.sampled_from(sorted(ROLES)).flatmap(lambda rel: st.tuples(st.just(rel), ROLES[rel])))
def test_whole_service_report_stays_schema_valid(ws_root: Path, case: tuple[str, str]) -> None:
    from gate.engine import evaluate
    from gate.render import FORMATS, renderer
    from tests.helpers import NOW, make_run

    rel, text = case
    p = ws_root / rel
    original = p.read_bytes()
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        run = make_run(ws_root, now=NOW)
        report = evaluate(run, run.all_services, notes=())
    finally:
        p.write_bytes(original)
    data = report.to_json()
    validate_report(data)
    internal = [f for s in data["services"] for i in s["items"] for f in i["findings"] if "internal error" in f["message"]]
    assert not internal, internal[:2]
    for fmt in FORMATS:
        renderer(fmt)(report)


# -- the atheris targets, replayed under plain Python -----------------------------------------
@pytest.mark.parametrize("name", ["yaml", "config", "markdown", "calendar", "openapi", "sql", "typescript", "changeset"])
def test_atheris_targets_replay_their_seeds_and_mutations(name: str) -> None:
    from tests.hostile.fuzz.harness import plain

    assert plain(name, [], max(20, N)) > N // 2
