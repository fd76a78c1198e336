"""OpenAPI documents written as JSON: read with orjson only when YAML would read the same data, and
located (key path -> line) from the JSON text exactly as PyYAML's node tree locates them."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from gate.model import Status
from gate.sources.yaml import jsondoc
from gate.sources.yaml.parse import Key, YamlDoc, reference_load
from tests.checks.core_fixture import OPENAPI, SERVICE_YAML, evaluate
from tests.helpers import ROOT, write_tree

ID = "artifacts.openapi"
GITHUB = ROOT / ".cache" / "node" / "node_modules" / "@octokit" / "openapi" / "generated" / "ghes-3.17.json"
DOC: dict[str, Any] = yaml.safe_load(OPENAPI)


def _paths(data: Any, prefix: tuple[Key, ...] = ()) -> list[tuple[Key, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
        out.append((*prefix, "no-such-key"))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
        out.append((*prefix, len(data)))
    return out


def _walk(data: Any, rng: random.Random) -> tuple[Key, ...]:
    """A random key path from the root to some node."""
    keys: list[Key] = []
    while isinstance(data, (dict, list)) and data and rng.random() < 0.85:
        k: Key = rng.choice(list(data)) if isinstance(data, dict) else rng.randrange(len(data))
        keys.append(k)
        data = data[k]  # type: ignore[index]
    return tuple(keys)


TEXTS = {
    "indented": json.dumps(DOC, indent=2),
    "compact": json.dumps(DOC),
    "spaced": json.dumps(DOC, indent="\t", separators=(" ,", " : ")),
    "escapes": json.dumps({**DOC, "x-k\"ey": {"a\\b": ["\u00e9", {"c": "d\":\"e"}], "e,f": [[], {}, [1, [2]]]}}, indent=1),
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_json_lines_are_the_yaml_node_trees(name: str) -> None:
    text = TEXTS[name]
    doc = jsondoc.load("openapi.json", text)
    assert doc is not None and doc.data == reference_load(text)
    ref = YamlDoc("openapi.json", text, doc.data)
    for keys in _paths(doc.data):
        assert doc.line(keys) == ref.tree_line(keys), keys


@pytest.mark.parametrize(("text", "why"), [
    ('{"openapi": "3.1.0", "info": {"title": "a", "title": "b"}}', "duplicate key"),
    ('{"openapi": "3.1.0", "x-n": 1e5}', "exponent: a string for PyYAML"),
    ('{"openapi": "3.1.0", "x-n": [1.5E3]}', "exponent: a string for PyYAML"),
    ('{"openapi": "3.1.0", "x-s": "\\ud83d\\ude00"}', "surrogate escapes"),
    ('{"openapi": "3.1.0", "x-s": "tab\tinside"}', "JSON refuses, YAML may accept"),
    ("openapi: 3.1.0\n", "not JSON"),
    ('["openapi"]', "not an object"),
])
def test_json_is_declined_where_yaml_may_differ(text: str, why: str) -> None:
    assert jsondoc.load("openapi.json", text) is None, why


def test_json_read_by_yaml_is_located_as_json() -> None:
    text = json.dumps({**DOC, "x-n": 1e-05}, indent=2)  # an exponent: PyYAML reads a string
    assert jsondoc.load("openapi.json", text) is None
    doc = jsondoc.locating(YamlDoc("openapi.json", text, reference_load(text)))
    assert isinstance(doc, jsondoc.JsonDoc) and doc.data["x-n"] == "1e-05"
    ref = YamlDoc("openapi.json", text, doc.data)
    for keys in _paths(doc.data):
        assert doc.line(keys) == ref.tree_line(keys), keys


def test_a_json_spec_is_judged_like_the_yaml_one_with_lines(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(DOC))
    bad["components"]["schemas"]["Payment"]["required"] = "id"
    del bad["paths"]["/payments/{id}"]["get"]["description"]
    text = json.dumps(bad, indent=2)
    write_tree(tmp_path, {"services/payments/openapi.json": text})
    r = evaluate(tmp_path, ID, openapi=None,
                 service_yaml=SERVICE_YAML.replace("openapi: openapi.yaml", "openapi: openapi.json"))
    assert r.status == Status.FAIL
    lines = text.splitlines()
    found = {f.message.split(":")[0]: f.line for f in r.findings}
    assert found["invalid OpenAPI at components.schemas.Payment.required"] == next(
        i for i, s in enumerate(lines, 1) if '"required": "id"' in s)
    assert found["GET /payments/{id} has no description"] == next(
        i for i, s in enumerate(lines, 1) if s == '      "get": {')


@pytest.mark.skipif(not GITHUB.is_file(), reason="GitHub's OpenAPI descriptions are not installed")
def test_github_enterprise_json_is_read_as_yaml_reads_it_and_located_alike() -> None:
    text = GITHUB.read_text(encoding="utf-8")
    doc = jsondoc.load("ghes.json", text)
    assert doc is not None
    some = dict(list(doc.data["paths"].items())[:40])
    part = json.dumps({"paths": some}, indent=2)  # PyYAML reads a part in seconds (all 11 MB: minutes)
    part_doc = jsondoc.load("part.json", part)
    assert part_doc is not None and part_doc.data == yaml.load(part, Loader=yaml.CSafeLoader)
    ref = YamlDoc("part.json", part, part_doc.data)
    for keys in random.Random(17).sample(_paths(some, ("paths",)), 300):
        assert part_doc.line(keys) == ref.tree_line(keys), keys
    rng = random.Random(17)
    sample = [_walk(doc.data, rng) for _ in range(400)]
    lines = text.splitlines()
    for keys in sample:
        if keys and isinstance(keys[-1], str):  # the key is written on the line found
            assert json.dumps(keys[-1], ensure_ascii=False) + ":" in lines[doc.line(keys) - 1], keys
