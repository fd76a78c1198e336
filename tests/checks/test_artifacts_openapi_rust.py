"""openapi-spec-validator-rs, adopted for speed, against the reference it ports
(openapi-spec-validator, the oracle): the same verdict, the same errors, and the same locations
as prodgate's exact locating of the reference's errors, on hand-made cases, random mutations and
GitHub's real description."""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.bench_openapi import norm_message
from gate.sources.openapi import document as oa
from tests.checks.core_fixture import OPENAPI
from tests.helpers import ROOT
from tests.test_differential import OAS_BASE, _oas_cases, _paths

rs = pytest.importorskip("openapi_spec_validator_rs")
GITHUB = ROOT / ".cache" / "node" / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"


def _reference(doc: dict[str, Any]) -> list[oa.Problem]:
    """The reference's errors, located exactly (each keyword validator tags its node)."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    version = str(doc.get("openapi", ""))
    v30 = version.startswith("3.0")
    located = oa._locating(OpenAPIV30SpecValidator if v30 else OpenAPIV31SpecValidator, doc)
    # the reference with its jsonschema backend, whose messages the Rust port writes (with the
    # jsonschema-rs backend the whole-document messages are worded differently)
    schema = dict(schema_v30 if v30 else schema_v31)
    cls = type("Reference", (located,), {"schema_validator": create_validator(schema)})
    out = []
    try:
        for err in cls(SchemaPath.from_dict(doc, base_uri="", handlers={})).iter_errors():
            out.append(oa.Problem(str(err.message).split("\n", 1)[0].strip(),
                                  getattr(err, "prodgate_keys", None) or oa._path_keys(err)))
    except Exception as exc:
        out.append(oa.Problem(f"raised {type(exc).__name__}"))
    return out


def _rust(doc: dict[str, Any]) -> list[oa.Problem]:
    version = str(doc.get("openapi", ""))
    cls = oa._rust_validator(version)
    assert cls is not None
    found = oa._validate_rust(cls, doc)
    return [oa.Problem("raised", p.keys) if p.message.startswith("openapi-spec-validator rejects") else p
            for p in found]


def _norm(message: str) -> str:
    return norm_message(message)


def _same(doc: dict[str, Any], name: str) -> int:
    """Assert the same verdict and errors; answer how many errors ours left unlocated (line 1)."""
    ref = _reference(doc)
    ours = _rust(doc)
    assert bool(ref) == bool(ours), (name, ref[:3], ours[:3])
    if any(p.message.startswith("raised") for p in ref):
        return 0  # both stop on it (a loop, an unresolvable reference): the verdict is what counts
    assert Counter(_norm(p.message) for p in ours) == Counter(_norm(p.message) for p in ref), name
    unlocated = 0
    for p in ours:
        theirs = {r.keys for r in ref if _norm(r.message) == _norm(p.message)}
        if not p.keys and () not in theirs:
            unlocated += 1
            continue
        # at the node the reference names, or at the offending value inside it
        # (``components.schemas.Bad`` where the reference says ``components.schemas``)
        assert any(p.keys[:len(t)] == t for t in theirs), (name, p, theirs)
    return unlocated


@pytest.mark.parametrize("case", _oas_cases(), ids=lambda c: c[0])
def test_same_errors_at_the_same_places_as_the_reference(case: tuple[str, dict[str, Any]]) -> None:
    assert _same(case[1], case[0]) == 0


def _mutations(n: int, seed: int) -> list[dict[str, Any]]:
    fixture = yaml.safe_load(OPENAPI)
    bases = [yaml.safe_load(OAS_BASE), fixture, {**copy.deepcopy(fixture), "openapi": "3.0.3"}]
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        doc = copy.deepcopy(bases[i % len(bases)])
        every = [p for p in _paths(doc, depth=12) if p and p[-1] != "no-such-key"]
        for _ in range(rnd.randint(1, 3)):
            p = rnd.choice(every)
            cur: Any = doc
            try:
                for k in p[:-1]:
                    cur = cur[k]
                new = rnd.choice(["<del>", "x", 3, 5.0, -1, [1], {}, None, True, "[a-", {"type": "integer"},
                                  {"$ref": "#/components/schemas/Base"}, ["id", "nope"], {"default": "x", "type": "integer"}])
                if new == "<del>":
                    del cur[p[-1]]
                else:
                    cur[p[-1]] = copy.deepcopy(new)
            except (KeyError, IndexError, TypeError):
                pass
        out.append(doc)
    return out


def test_same_errors_at_the_same_places_on_random_mutations() -> None:
    verdicts = set()
    unlocated = errors = 0
    for i, doc in enumerate(_mutations(150, 19)):
        if oa.ref_problems(doc) or not isinstance(doc.get("openapi"), str):
            continue  # prodgate answers those before any validator
        unlocated += _same(doc, f"mutation {i}")
        errors += len(_reference(doc))
        verdicts.add(not _reference(doc))
    assert verdicts == {True, False}
    assert unlocated <= errors // 20, (unlocated, errors)  # a schema that is no schema, referenced twice


@pytest.mark.skipif(not GITHUB.is_file(), reason="GitHub's OpenAPI description is not installed")
def test_githubs_description_and_broken_copies(tmp_path: Path) -> None:
    doc = json.loads(GITHUB.read_text(encoding="utf-8"))
    cls = oa._rust_validator(doc["openapi"])
    assert oa._validate_rust(cls, doc) == []
    schemas = doc["components"]["schemas"]
    broken = copy.deepcopy(doc)
    name = sorted(schemas)[7]
    broken["components"]["schemas"][name]["required"] = "id"
    broken["components"]["schemas"][sorted(schemas)[9]]["minLength"] = -1
    (p,) = [p for p in oa._validate_rust(cls, broken) if p.message == "'id' is not of type 'array'"]
    assert p.keys == ("components", "schemas", name, "required")
