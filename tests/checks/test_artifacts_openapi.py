"""artifacts.openapi: validity (openapi-spec-validator's verdict), descriptions, examples, lines."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gate.model import Status
from gate.sources.openapi import document as oa
from gate.workspace import Workspace
from tests.checks.core_fixture import APP, OPENAPI, evaluate, line_of
from tests.helpers import ROOT, write_tree

ID = "artifacts.openapi"
GITHUB = ROOT / ".cache" / "node" / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"


def test_valid_document_with_descriptions_and_examples_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings
    assert "2 operation(s)" in r.reason


def test_missing_description_at_operation_line(tmp_path: Path) -> None:
    text = OPENAPI.replace("      description: Read one payment.\n", "")
    r = evaluate(tmp_path, ID, openapi=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "GET /payments/{id} has no description" in f.message
    assert f.path == "services/payments/openapi.yaml"
    assert f.line == line_of(text, "    get:")


def test_missing_request_body_example(tmp_path: Path) -> None:
    text = OPENAPI.replace("            example: {amount: 100}\n", "")
    r = evaluate(tmp_path, ID, openapi=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "POST /payments: request body application/json has no example" in f.message
    assert f.line == line_of(text, "    post:")


def test_response_example_through_ref_counts_and_its_absence_fails(tmp_path: Path) -> None:
    # GET's 200 example comes from the $ref'd schema; drop it
    text = OPENAPI.replace("      example: {id: p_1, amount: 100}\n", "")
    r = evaluate(tmp_path, ID, openapi=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "GET /payments/{id}: no 2xx response with content has an example" in f.message
    assert f.line == line_of(text, "    get:")


def test_delete_answering_204_needs_no_example(tmp_path: Path) -> None:
    text = OPENAPI.replace(
        "components:\n",
        "  /payments/{id}/hold:\n"
        "    delete:\n"
        "      operationId: releaseHold\n"
        "      description: Release a hold.\n"
        "      parameters:\n"
        "        - {name: id, in: path, required: true, schema: {type: string}}\n"
        "      responses:\n"
        "        \"204\": {description: Released.}\n"
        "components:\n",
    )
    app = APP + 'app.delete("/payments/:id/hold", requireScope("payments:write"), idempotent(), async (c) => c.body(null, 204));\n'
    r = evaluate(tmp_path, ID, openapi=text, app=app)
    assert r.status == Status.PASS, r.findings


def test_invalid_document_reported_at_the_offending_key(tmp_path: Path) -> None:
    text = OPENAPI.replace("        \"201\":", "        \"201x\":")
    r = evaluate(tmp_path, ID, openapi=text)
    assert r.status == Status.FAIL
    assert any("invalid OpenAPI" in f.message for f in r.findings)
    f = next(f for f in r.findings if "invalid OpenAPI" in f.message)
    assert f.line is not None and f.line > 1


def test_dangling_ref_is_reported_at_the_ref(tmp_path: Path) -> None:
    text = OPENAPI.replace('"#/components/schemas/Payment"', '"#/components/schemas/Nope"')
    r = evaluate(tmp_path, ID, openapi=text)
    assert r.status == Status.FAIL
    f = next(f for f in r.findings if "points at nothing" in f.message)
    assert f.line == line_of(text, "#/components/schemas/Nope")


def test_ref_loop_is_reported_at_the_ref(tmp_path: Path) -> None:
    """``$ref``s that only lead to each other: the validators recurse for ever and say so without a
    location; the gate names the reference, at its line."""
    text = OPENAPI.replace('"#/components/schemas/Payment"', '"#/components/schemas/Loop"') + (
        "    Loop:\n      $ref: \"#/components/schemas/Loop2\"\n"
        "    Loop2:\n      $ref: \"#/components/schemas/Loop\"\n")
    r = evaluate(tmp_path, ID, openapi=text)
    assert r.status == Status.FAIL
    lines = {f.line for f in r.findings if "in a loop" in f.message}
    assert line_of(text, "#/components/schemas/Loop") in lines and len(lines) == 3


def test_external_ref_is_never_fetched(tmp_path: Path) -> None:
    text = OPENAPI.replace('"#/components/schemas/Payment"', '"https://example.invalid/schema.json"')
    r = evaluate(tmp_path, ID, openapi=text)
    assert r.status == Status.FAIL
    assert any("points outside the document" in f.message for f in r.findings)


def test_missing_spec_file_fails(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, openapi=None)
    assert r.status == Status.FAIL
    assert "openapi.yaml is missing" in r.findings[0].message


def test_malformed_yaml_is_a_finding_with_line(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, openapi="openapi: 3.1.0\npaths: {\n")
    assert r.status == Status.FAIL
    assert r.findings[0].path == "services/payments/openapi.yaml" and r.findings[0].line is not None


def test_swagger_2_is_not_accepted(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, openapi="swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n")
    assert r.status == Status.FAIL
    assert "Swagger 2.0 is not supported" in r.findings[0].message


# -- same verdict as openapi-spec-validator ---------------------------------------------------

BASE: dict[str, Any] = yaml.safe_load(OPENAPI)


def _mut(fn: Any) -> dict[str, Any]:
    d = copy.deepcopy(BASE)
    fn(d)
    return d


CASES: list[tuple[str, dict[str, Any]]] = [
    ("fixture 3.1", BASE),
    ("fixture as 3.0", _mut(lambda d: d.update(openapi="3.0.3"))),
    ("minimal 3.0", {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}),
    ("3.1 webhooks only", {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": {}}),
    ("no info", _mut(lambda d: d.pop("info"))),
    ("bad response code", _mut(lambda d: d["paths"]["/payments"]["post"]["responses"].update({"20": {"description": "x"}}))),
    ("response without description (3.0)", {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                                            "paths": {"/a": {"get": {"responses": {"200": {}}}}}}),
    ("undeclared path parameter", _mut(lambda d: d["paths"]["/payments/{id}"]["get"].pop("parameters"))),
    ("duplicate operationId", _mut(lambda d: d["paths"]["/payments"]["post"].update(operationId="getPayment"))),
    ("parameter without in", _mut(lambda d: d["components"]["parameters"]["IdempotencyKey"].pop("in"))),
    ("$ref-shaped example data", _mut(lambda d: d["components"]["schemas"]["Payment"].update(
        example={"$ref": "not/a/reference"}, **{"x-meta": {"$ref": "elsewhere.yaml"}}))),
    ("$ref-shaped Example object value", _mut(lambda d: d["paths"]["/payments"]["post"]["responses"]["201"]["content"]
                                              ["application/json"]["examples"]["created"].update(value={"$ref": "x"}))),
    ("dangling ref", _mut(lambda d: d["paths"]["/payments/{id}"]["get"]["responses"]["200"]["content"]
                          ["application/json"]["schema"].update({"$ref": "#/components/schemas/Nope"}))),
]


def _validator_verdict(doc: dict[str, Any]) -> bool:
    from openapi_spec_validator import validate

    try:
        validate(doc)
    except Exception:
        return False
    return True


@pytest.mark.parametrize(("name", "doc"), CASES, ids=[c[0] for c in CASES])
def test_same_verdict_as_openapi_spec_validator(name: str, doc: dict[str, Any]) -> None:
    ours = oa.validate_document(doc)
    assert (not ours) == _validator_verdict(doc), (name, ours)


def test_verdicts_cover_both_outcomes() -> None:
    verdicts = {_validator_verdict(d) for _, d in CASES}
    assert verdicts == {True, False}


@pytest.mark.skipif(not GITHUB.is_file(), reason="GitHub's OpenAPI description is not installed")
def test_githubs_real_openapi_description() -> None:
    doc = json.loads(GITHUB.read_text("utf-8"))
    ours = oa.validate_document(doc)
    assert (not ours) == _validator_verdict(doc), ours[:3]


# -- the reusable reading ---------------------------------------------------------------------


def test_operations_header_params_and_resolve(tmp_path: Path) -> None:
    write_tree(tmp_path, {"openapi.yaml": OPENAPI})
    ws = Workspace(tmp_path)
    ops = oa.operations(ws, "openapi.yaml")
    assert [(o.method, o.path, o.operation_id) for o in ops] == [
        ("get", "/payments/{id}", "getPayment"),
        ("post", "/payments", "createPayment"),
    ]
    assert ops[0].line == line_of(OPENAPI, "    get:")
    assert ops[0].hono_path == "/payments/:id" and ops[1].is_mutation and ops[1].label == "POST /payments"
    assert "idempotency-key" in oa.header_params(ops[1])
    assert oa.header_params(ops[0]) == {}
    assert oa.resolve(ops[0].root, "#/components/schemas/Payment")["type"] == "object"
    assert oa.resolve(ops[0].root, "#/components/schemas/Nope") is None
    assert oa.resolve(ops[0].root, "other.yaml#/x") is None
    assert oa.operations(ws, "openapi.yaml") is ops  # cached
    assert oa.operations(ws, "missing.yaml") == []


def test_validator_uses_jsonschema_rs_when_installed() -> None:
    pytest.importorskip("jsonschema_rs")
    from openapi_spec_validator.schemas.backend import get_validator_backend

    assert get_validator_backend() == "jsonschema-rs"


def test_same_verdict_on_random_mutations() -> None:
    import random

    def key_paths(d: Any, p: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        out = [p]
        if isinstance(d, dict):
            for k, v in d.items():
                out += key_paths(v, (*p, k))
        elif isinstance(d, list):
            for i, v in enumerate(d):
                out += key_paths(v, (*p, i))
        return out

    every = [p for p in key_paths(BASE) if p]
    rnd = random.Random(7)
    outcomes = set()
    for _ in range(80):
        doc = copy.deepcopy(BASE)
        for _ in range(rnd.randint(1, 2)):
            p = rnd.choice(every)
            cur: Any = doc
            try:
                for k in p[:-1]:
                    cur = cur[k]
                replacement = rnd.choice(["<del>", "x", 3, [1], {}, None])
                if replacement == "<del>":
                    del cur[p[-1]]
                else:
                    cur[p[-1]] = replacement
            except (KeyError, IndexError, TypeError):
                pass
        verdict = _validator_verdict(doc)
        outcomes.add(verdict)
        assert (not oa.validate_document(doc)) == verdict, doc
    assert outcomes == {True, False}
