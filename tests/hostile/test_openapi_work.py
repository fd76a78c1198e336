"""OpenAPI documents crafted to make validation explode: ``allOf`` chains forming a DAG (each
level referencing the previous one twice), loops through ``allOf``/``items``, and ``pattern``s
that backtrack. Each run ends in bounded time with findings at the offending line; a time limit is
CPU time of the validating child, so a slow machine never blames the document."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from gate.sources.openapi import document as oa
from tests.hostile.conftest import assert_clean, run_cli

SVC = "services/payments"
SPEC = f"{SVC}/openapi.yaml"


def _dag(levels: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {"S0": {"type": "object", "properties": {"a": {"type": "string"}}}}
    for i in range(1, levels + 1):
        ref = {"$ref": f"#/components/schemas/S{i - 1}"}
        schemas[f"S{i}"] = {"allOf": [dict(ref), dict(ref)]}
    return schemas


def _with(repo: Path, schemas: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    p = repo / SPEC
    doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    doc.setdefault("components", {}).setdefault("schemas", {}).update(schemas)
    return p, doc


def _write(p: Path, doc: dict[str, Any]) -> str:
    text = yaml.safe_dump(doc, sort_keys=False)
    p.write_text(text, encoding="utf-8")
    return text


def _line(text: str, needle: str, after: str = "") -> int:
    lines = text.splitlines()
    start = next(i for i, s in enumerate(lines) if after in s) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def _validity(run: Any) -> list[dict[str, Any]]:
    it = run.item("payments", "artifacts.openapi")
    return [f for f in it["findings"] if f["message"].startswith("invalid OpenAPI")]


def test_valid_allof_dag_of_30_levels_is_walked_once_per_schema(repo: Path) -> None:
    p, doc = _with(repo, _dag(30))
    _write(p, doc)
    run = run_cli(repo, SVC, "--only", "artifacts.openapi", timeout=60)
    assert_clean(run)
    assert run.seconds < 30, run.seconds
    assert _validity(run) == []  # valid: openapi-spec-validator's verdict, found without walking 2^30 paths
    assert run.item("payments", "artifacts.openapi")["status"] == "pass"


def test_invalid_allof_dag_is_refused_at_the_level_that_explodes(repo: Path) -> None:
    p, doc = _with(repo, _dag(30))
    doc["components"]["schemas"]["S0"]["required"] = 5  # invalid: the reference validator must run
    text = _write(p, doc)
    run = run_cli(repo, SVC, "--only", "artifacts.openapi", timeout=60)
    assert_clean(run)
    assert run.seconds < 30, run.seconds
    it = run.item("payments", "artifacts.openapi")
    assert it["status"] == "fail"
    (f,) = _validity(run)
    # 2^14 - 1 schemas under S13 (> 10,000), 8,191 under S12
    assert f["message"].startswith("invalid OpenAPI at components.schemas.S13: its allOf/anyOf/oneOf/not/items")
    assert "expand to more than 10,000 schemas" in f["message"]
    assert f["path"] == SPEC and f["line"] == _line(text, "  S13:", after="components:")


def test_loop_through_allof_and_items_is_a_finding_not_a_recursion_error(repo: Path) -> None:
    p, doc = _with(repo, {
        "LoopA": {"allOf": [{"$ref": "#/components/schemas/LoopB"}], "required": ["x"]},
        "LoopB": {"type": "array", "items": {"$ref": "#/components/schemas/LoopA"}},
    })
    text = _write(p, doc)
    run = run_cli(repo, SVC, "--only", "artifacts.openapi", timeout=60)
    assert_clean(run)
    (f,) = _validity(run)
    # LoopB, the allOf member whose properties the validator would collect for ever
    assert "components.schemas.LoopB" in f["message"] and "or a loop" in f["message"]
    assert f["line"] == _line(text, "  LoopB:", after="components:")


def test_dag_bound_in_process_is_linear() -> None:
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
           "components": {"schemas": _dag(200)}}
    doc["components"]["schemas"]["S0"]["required"] = 5
    (p,) = oa.validate_document(doc)
    assert p.keys == ("components", "schemas", "S13")
    assert oa.expansion_problem(doc, limit=1 << 20) is not None  # 2^200 is past any limit
    assert oa.expansion_problem({"components": {"schemas": _dag(12)}}) is None
    # a recursive schema (a JSON value: a list of itself) under oneOf is walked once by the
    # validators: no bound applies
    value = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/V"}}]}
    assert oa.expansion_problem({"components": {"schemas": {"V": value}}}) is None


def test_backtracking_pattern_is_named_and_real_findings_survive(repo: Path) -> None:
    p, doc = _with(repo, {"Evil": {"type": "string", "pattern": "^(a+)+$", "default": "a" * 40 + "!"},
                          # a real error, elsewhere
                          "Zed": {"allOf": [{"type": "object"}], "required": ["not-a-property"]}})
    text = _write(p, doc)
    run = run_cli(repo, SVC, "--only", "artifacts.openapi", env={"PRODGATE_OPENAPI_SECONDS": "1"}, timeout=60)
    assert_clean(run)
    found = _validity(run)
    slow = [f for f in found if "'^(a+)+$' took more than 1 s of CPU time" in f["message"]]
    assert len(slow) == 1 and "rewrite it" in slow[0]["message"]
    assert slow[0]["line"] == _line(text, "pattern: ^(a+)+$")
    (real,) = [f for f in found if "not-a-property" in f["message"]]  # the real finding is kept, at its line
    assert real["message"] == ("invalid OpenAPI at components.schemas.Zed.required: Required list has not defined "
                               "properties: ['not-a-property']")
    assert real["line"] == _line(text, "required:", after="  Zed:")
    assert len(found) == 2, found  # the value the pattern could not answer is not called wrong


def test_a_slow_machine_never_blames_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child sleeps 3 s of wall-clock time before validating (as on a loaded machine) under a
    1 s limit: the limit is CPU time, so the real findings come out and no pattern is blamed."""
    (tmp_path / "sitecustomize.py").write_text("import time\ntime.sleep(3)\n", encoding="utf-8")
    root_dir = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{root_dir}")
    doc: dict[str, Any] = {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"200x": {"description": "ok"}}}}},
        "components": {"schemas": {"Code": {"type": "string", "pattern": "^[a-z]+$", "default": "abc"}}},
    }
    problems = oa._validate_in_child(doc, "3.0.3", 1.0)
    assert problems and all("CPU" not in p.message and "backtrack" not in p.message for p in problems)
    assert any("200x" in p.message for p in problems)
