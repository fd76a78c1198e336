"""The fast paths against the reference libraries they stand in for.

- YAML: :func:`gate.sources.yaml.parse.fast_load` (rapidyaml + PyYAML's own scalar rules) returns
  the same data as PyYAML's CSafeLoader (:func:`reference_load`), or declines; the text locator
  of large documents gives the same lines as the composed node tree.
- OpenAPI: :func:`gate.sources.openapi.document.validate_document` gives openapi-spec-validator's verdict.

Small generated inputs run in the suite; the benchmark corpus (GitHub's REST description, 10 MB
of YAML, written by ``python -m bench openapi``) runs on demand: ``PRODGATE_BENCH_CORPUS=1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate, generate_service
from gate.sources.yaml import parse as y

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "out" / "api.github.com.yaml"
ryml = pytest.importorskip("ryml")


def _same(text: str) -> None:
    """fast_load equals the reference, or declines; never a different answer."""
    try:
        ref: Any = y.reference_load(text)
    except y.YamlError:
        ref = y.YamlError
    try:
        fast = y.fast_load(text)
    except y.YamlError:
        fast = y.YamlError
    if fast is y.DECLINED:
        return
    assert fast == ref, text[:300]
    assert type(fast) is type(ref)


SCALARS = """
plain: word
bools: [yes, No, ON, off, true, False, y, n, 'yes', "on"]
ints: [0, 012, 0o12, 0x1f, 0b101, 1_000, 190:20:30, -17, +3, 012345678912345678, '012']
floats: [1.5, 1e3, 1.0e+3, 0.16001e0, .inf, -.Inf, .NaN, 6.8523015e+5, 1_000.5, 190:20:30.15]
nulls: [~, null, Null, NULL, '', "null"]
empty:
dates: [2026-11-20, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10, '2026-11-20']
keys: {200: a, '201': b, yes: c, 1.5: d, null: e, 2026-01-01: f, ~: g}
quoted: ['it''s', "tab\\there \\u00e9", "multi
  line"]
block: |
  line one
    indented
  # not a comment

folded: >-
  folded
  text

  para
keep: |+
  kept

strip: >
  x
unicode: héllo wörld ✓
dup: 1
dup: 2
nested:
- a: 1
  b: [1, {c: d}]
- - x
  - y
-
  e: f
"""


@pytest.mark.parametrize("text", [
    SCALARS,
    "a: 1\n",
    "[1, 2, {a: b}]\n",
    "just a scalar\n",
    "key: value # comment\nother: 'x' # c\n",
    "a: &x 1\nb: *x\n",  # aliases: declined
    "a: !!str 5\n",  # tags: declined
    "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n",  # merge keys: declined
    "---\na: 1\n---\nb: 2\n",  # two documents: the reference refuses, the fast path declines
    "a: [1, 2\n",  # invalid
    "a: b: c\n",
    "a: '\x07'\n",  # a character PyYAML refuses
    "x:\n\ty: 1\n",
    "? complex\n: key\n",
    "a: 'unterminated\n",
])
def test_fast_load_matches_csafeloader(text: str) -> None:
    _same(text)


def test_fast_load_on_the_example_repository_and_generated_services(tmp_path: Path) -> None:
    files = sorted((ROOT / "examples").rglob("*.y*ml"))
    generate(tmp_path, 2)
    files += sorted(tmp_path.rglob("*.yaml"))
    assert len(files) > 10
    used = 0
    for f in files:
        text = f.read_text(encoding="utf-8")
        _same(text)
        used += y.fast_load(text) is not y.DECLINED
    assert used >= len(files) // 2  # the fast path does answer for ordinary files


def _paths(data: Any, prefix: tuple[y.Key, ...] = (), depth: int = 6) -> Iterator[tuple[y.Key, ...]]:
    yield prefix
    if depth == 0:
        return
    if isinstance(data, dict):
        yield (*prefix, "no-such-key")
        for k, v in data.items():
            yield from _paths(v, (*prefix, k), depth - 1)
    elif isinstance(data, list):
        yield (*prefix, len(data))
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i), depth - 1)


def _big_openapi(tmp_path: Path) -> str:
    """One large generated OpenAPI document (above the fast path's threshold)."""
    generate_service(tmp_path, "big", ops=1600, migrations=1, ts_files=1)
    text = (tmp_path / "services" / "big" / "openapi.yaml").read_text(encoding="utf-8")
    assert len(text) >= y.FAST_MIN_CHARS
    return text


def _locator_matches_tree(text: str, limit: int | None = None) -> int:
    data = y.load(text)
    doc = y.YamlDoc("x.yaml", text, data)
    ref = y.YamlDoc("x.yaml", text, data)
    ops = y.YamlDoc("x.yaml", text, data)
    for path, item in data["paths"].items():
        for method in item:
            ops.line(("paths", path, method))
            ops.line(("paths", path, method, "no-description"))
    assert not ops._composed, "operations are located without composing the node tree"
    located = 0
    for n, keys in enumerate(_paths(data)):
        if limit is not None and n >= limit:
            break
        got = doc.line(keys)
        assert got == ref.tree_line(keys), keys
        located += 1
    return located


def test_large_document_loads_and_locates_like_the_reference(tmp_path: Path) -> None:
    text = _big_openapi(tmp_path)
    assert y.fast_load(text) == y.reference_load(text)
    assert _locator_matches_tree(text, limit=4000) > 1000


def test_locator_declines_what_it_cannot_read(tmp_path: Path) -> None:
    """Flow style, anchors, odd keys: the node tree answers, with the same lines."""
    text = _big_openapi(tmp_path)
    odd = ("x-flow: {a: {b: 1}}\nx-anchor: &a\n  k: v\nx-alias: *a\n'quoted key': {z: 1}\n"
           "\"dq\\tkey\":\n  q: 1\n200:\n  ok: 1\nyes:\n  t: 1\n")
    text = odd + text
    data = y.load(text)
    doc, ref = y.YamlDoc("x", text, data), y.YamlDoc("x", text, data)
    for keys in [("x-flow", "a", "b"), ("x-anchor", "k"), ("x-alias", "k"), ("quoted key", "z"), ("dq\tkey", "q"),
                 ("200", "ok"), ("true", "t"), ("yes", "t"), ("paths", "/healthz", "get", "responses", "200")]:
        assert doc.line(keys) == ref.tree_line(keys), keys


@pytest.mark.skipif(not os.environ.get("PRODGATE_BENCH_CORPUS"), reason="benchmark corpus: PRODGATE_BENCH_CORPUS=1")
def test_benchmark_corpus_yaml() -> None:
    if not CORPUS.is_file():
        pytest.skip("run `python -m bench openapi` first to write the corpus")
    text = CORPUS.read_text(encoding="utf-8")
    fast = y.fast_load(text)
    assert fast is not y.DECLINED
    assert fast == y.reference_load(text)
    doc = y.YamlDoc("x", text, fast)
    ref = y.YamlDoc("x", text, fast)
    for path, item in fast["paths"].items():
        for method in item:
            for keys in (("paths", path, method), ("paths", path, method, "description"),
                         ("paths", path, method, "parameters", 0, "name")):
                assert doc.line(keys) == ref.tree_line(keys), keys


# -- OpenAPI: the fast verdict never says valid where openapi-spec-validator does not ---------------
OAS_BASE = """
openapi: 3.0.3
info: {title: t, version: '1'}
tags: [{name: a}, {name: b}]
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$'}}
    get:
      operationId: getItem
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: 10, minimum: 1, maxLength: 5}}
        - $ref: '#/components/parameters/Trace'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
    delete:
      operationId: deleteItem
      responses:
        '204': {description: gone}
components:
  parameters:
    Trace: {name: X-Trace, in: header, schema: {type: string, format: uuid, default: 3e4c1e0a-7f3b-4a8e-9c1d-2b5e6f7a8b9c}}
  schemas:
    Base:
      type: object
      properties: {id: {type: string}, kind: {type: string, enum: [a, b], default: a}}
    Item:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties: {amount: {type: number, default: 1.5, nullable: true}}
      required: [id, amount]
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
"""


def _osv_valid(doc: dict[str, Any]) -> bool:
    from openapi_spec_validator import validate

    try:
        validate(doc)
    except Exception:
        return False
    return True


def _oas_cases() -> list[tuple[str, dict[str, Any]]]:
    import copy

    base = y.load(OAS_BASE)

    def mut(fn: Any) -> dict[str, Any]:
        d = copy.deepcopy(base)
        fn(d)
        return d

    item = ("paths", "/items/{id}")

    def at(d: dict[str, Any], *keys: Any) -> Any:
        for k in keys:
            d = d[k]
        return d

    return [
        ("base", base),
        ("3.1", mut(lambda d: d.update(openapi="3.1.0"))),
        ("duplicate tag", mut(lambda d: d["tags"].append({"name": "a"}))),
        ("duplicate operationId", mut(lambda d: at(d, *item, "delete").update(operationId="getItem"))),
        ("duplicate parameter", mut(lambda d: at(d, *item, "get", "parameters").append(
            {"name": "limit", "in": "query", "schema": {"type": "string"}}))),
        ("undeclared path parameter", mut(lambda d: at(d, *item).pop("parameters"))),
        ("extra path parameter", mut(lambda d: at(d, *item, "get", "parameters").append(
            {"name": "other", "in": "path", "required": True, "schema": {"type": "string"}}))),
        ("bad pattern", mut(lambda d: at(d, *item, "parameters", 0, "schema").update(pattern="[a-"))),
        ("float maxLength", mut(lambda d: at(d, *item, "get", "parameters", 0, "schema").update(maxLength=5.0))),
        ("negative maxLength", mut(lambda d: at(d, *item, "get", "parameters", 0, "schema").update(maxLength=-1))),
        ("bad default", mut(lambda d: at(d, *item, "get", "parameters", 0, "schema").update(default="ten"))),
        ("default below minimum", mut(lambda d: at(d, *item, "get", "parameters", 0, "schema").update(default=0))),
        ("bad enum default", mut(lambda d: at(d, "components", "schemas", "Base", "properties", "kind").update(
            default="c"))),
        ("null default, nullable", mut(lambda d: at(d, "components", "schemas", "Item", "allOf", 1, "properties",
                                                    "amount").update(default=None))),
        ("null default, not nullable", mut(lambda d: at(d, "components", "schemas", "Base", "properties",
                                                        "kind").update(default=None))),
        ("bad format default", mut(lambda d: at(d, "components", "parameters", "Trace", "schema").update(
            default="not-a-uuid"))),
        ("required not defined", mut(lambda d: at(d, "components", "schemas", "Item", "required").append("nope"))),
        ("schema not an object", mut(lambda d: at(d, "components", "schemas").update(Bad=True))),
        ("type not a string", mut(lambda d: at(d, "components", "schemas", "Base").update(type=3))),
        ("unknown type", mut(lambda d: at(d, "components", "schemas", "Base").update(type="thing"))),
        ("bad response code", mut(lambda d: at(d, *item, "get", "responses").update({"20": {"description": "x"}}))),
        ("no info", mut(lambda d: d.pop("info"))),
        ("unbalanced template", mut(lambda d: d["paths"].update({"/x/{id": {"get": {
            "responses": {"200": {"description": "ok"}}}}}))),
    ]


@pytest.mark.parametrize("case", _oas_cases(), ids=lambda c: c[0])
def test_fast_openapi_verdict_is_openapi_spec_validators(case: tuple[str, dict[str, Any]]) -> None:
    from gate.sources.openapi.document import validate_document
    from gate.sources.openapi.fast import certainly_valid

    name, doc = case
    reference = _osv_valid(doc)
    if certainly_valid(doc, str(doc["openapi"]) if "openapi" in doc else ""):
        assert reference, name
    assert (not validate_document(doc)) == reference, name


def test_fast_openapi_verdict_on_random_mutations(tmp_path: Path) -> None:
    import copy
    import random

    from gate.sources.openapi.fast import certainly_valid

    generate_service(tmp_path, "m", ops=8, migrations=1, ts_files=1)
    docs = [y.load(OAS_BASE), y.load((tmp_path / "services" / "m" / "openapi.yaml").read_text(encoding="utf-8"))]
    rnd = random.Random(11)
    fast_yes = 0
    outcomes = set()
    for n in range(160):
        doc = copy.deepcopy(docs[n % 2])
        every = [p for p in _paths(doc, depth=12) if p and p[-1] not in ("no-such-key",)]
        for _ in range(rnd.randint(1, 2)):
            p = rnd.choice(every)
            cur: Any = doc
            try:
                for k in p[:-1]:
                    cur = cur[k]
                new = rnd.choice(["<del>", "x", 3, 5.0, -1, [1], {}, None, True, "[a-", {"type": "integer"},
                                  {"$ref": "#/components/schemas/Base"}])
                if new == "<del>":
                    del cur[p[-1]]
                else:
                    cur[p[-1]] = copy.deepcopy(new)
            except (KeyError, IndexError, TypeError):
                pass
        reference = _osv_valid(doc)
        outcomes.add(reference)
        if certainly_valid(doc, str(doc.get("openapi", ""))):
            fast_yes += 1
            assert reference, doc
    assert outcomes == {True, False}
    assert fast_yes >= 5


# -- sdk.consumer: one reading of the repository answers what a per-service scan answered -----------
def test_sdk_consumer_candidates_match_the_per_service_scan(tmp_path: Path) -> None:
    import datetime as dt

    from gate import config as cfg
    from gate.checks.sdk.consumer import _candidates
    from gate.context import Ctx, RunInfo
    from gate.services import discover
    from gate.sources.ts import sdkconsumers, sdkpkg
    from gate.workspace import Workspace

    generate(tmp_path, 4)
    # a consumer inside another service, a package mentioning two SDKs, a .d.ts and a dist file
    (tmp_path / "services/svc0001/src/lib/uses0.ts").write_text(
        'import { client } from "@platform/sdk-svc0000";\nclient.healthz();\n', encoding="utf-8")
    (tmp_path / "packages/shared/src").mkdir(parents=True)
    (tmp_path / "packages/shared/src/both.ts").write_text(
        '// @platform/sdk-svc0002 and @platform/sdk-svc0003\n', encoding="utf-8")
    (tmp_path / "packages/shared/src/types.d.ts").write_text('// @platform/sdk-svc0000\n', encoding="utf-8")
    (tmp_path / "apps/web/dist").mkdir(parents=True)
    (tmp_path / "apps/web/dist/x.ts").write_text('// @platform/sdk-svc0000\n', encoding="utf-8")
    ws = Workspace(tmp_path)
    conf = cfg.defaults()
    services = discover(ws, conf.path("services"))
    run = RunInfo(ws, conf, dt.datetime.now(dt.UTC), all_services=services)
    for svc in services:
        ctx = Ctx(run, svc)
        module = sdkpkg.package_name(svc.name)
        scanned = [p for p in _candidates(ctx) if module in (ws.text(p) or "")]
        own_pkg = sdkpkg.package_dir(conf, svc.name) + "/"
        assert list(sdkconsumers.candidates(ws, conf, services, svc.name, own_pkg, module)) == scanned
        assert scanned, svc.name


def test_fast_openapi_matches_no_pattern_of_the_document_when_asked() -> None:
    """A backtracking pattern with a default that never matches: the in-process fast check
    declines instead of matching it (openapi.py then validates under a time limit)."""
    import time

    from gate.sources.openapi.fast import certainly_valid

    doc = y.load(OAS_BASE)
    doc["components"]["schemas"]["Evil"] = {"type": "string", "pattern": "^(a+)+$", "default": "a" * 40 + "!"}
    t0 = time.perf_counter()
    assert not certainly_valid(doc, "3.0.3", match_patterns=False)
    assert time.perf_counter() - t0 < 5
    assert certainly_valid(y.load(OAS_BASE), "3.0.3", match_patterns=False)  # a pattern with no default to match
