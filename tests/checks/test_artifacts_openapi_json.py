"""OpenAPI documents written as JSON: read as JSON only when YAML would read the same data (each
scalar as PyYAML reads it), and located (key path -> line) from the JSON text exactly as PyYAML's
node tree locates them."""

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


def _mixed(data: Any, depth: int = 0) -> str:
    """``data`` indented, except short containers written on one line and, every third member,
    a value on the line after its key or two members on one line (as hand-edited JSON is)."""
    pad = "  " * (depth + 1)
    if isinstance(data, (dict, list)) and data and len(json.dumps(data)) > 40:
        if isinstance(data, dict):
            parts = []
            for i, (k, v) in enumerate(data.items()):
                sep = ":\n" + pad + "  " if i % 3 == 1 else ": "
                parts.append(json.dumps(k) + sep + _mixed(v, depth + 1))
            body = (",\n" + pad).join(", ".join(parts[i:i + 2]) if i % 5 == 4 else parts[i]
                                       for i in range(len(parts)) if (i - 1) % 5 != 4)
            return "{\n" + pad + body + "\n" + "  " * depth + "}"
        return "[\n" + pad + (",\n" + pad).join(_mixed(v, depth + 1) for v in data) + "\n" + "  " * depth + "]"
    return json.dumps(data)


TEXTS = {
    "indented": json.dumps(DOC, indent=2),
    "compact": json.dumps(DOC),
    "spaced": json.dumps(DOC, indent="\t", separators=(" ,", " : ")),
    "escapes": json.dumps({**DOC, "x-k\"ey": {"a\\b": ["\u00e9", {"c": "d\":\"e"}], "e,f": [[], {}, [1, [2]]]}}, indent=1),
    "crlf": json.dumps(DOC, indent=4).replace("\n", "\r\n"),
    "mixed": _mixed({**DOC, "x-deep": [{"a": [1, {"b": [2, 3, {"c": "long " * 12}]}]}, []]}),
    "leading lines": "\n\n" + json.dumps(DOC, indent=2) + "\n",
    "one line after a blank": "\n" + json.dumps(DOC),
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_json_lines_are_the_yaml_node_trees(name: str) -> None:
    text = TEXTS[name]
    doc = jsondoc.load("openapi.json", text)
    assert doc is not None and doc.data == reference_load(text)
    ref = YamlDoc("openapi.json", text, doc.data)
    for keys in _paths(doc.data):
        assert doc.line(keys) == ref.tree_line(keys), keys


@pytest.mark.parametrize("name", list(TEXTS))
def test_json_lines_read_from_the_layout_are_the_token_scanners(name: str) -> None:
    text = TEXTS[name]
    doc = jsondoc.load("openapi.json", text)
    assert doc is not None
    tokens = jsondoc._Tokens(text)
    for keys in _paths(doc.data):
        assert doc.line(keys) == tokens.line(keys), keys


def _typed(data: Any) -> str:
    """``data`` with the type of every scalar (``1``, ``1.0``, ``True`` and ``"1"`` differ)."""
    return repr(data)


#: numbers as JSON writes them: PyYAML reads some as floats, some as strings (an exponent
#: without a sign, or without a dot), every integer as an integer
NUMBERS = ["0", "-0", "7", "-12", "123456789012345678901234567890", "0.0", "-0.0", "1.5", "-2.25", "1e5",
           "1E5", "1e+5", "1e-05", "1.0e-05", "1.5e5", "1.5e+5", "1.5E-3", "-1.5e+3", "1.e5", "0.1e1",
           "2.5e+10", "1.7976931348623157e+308", "1e400", "-0e0", "NaN", "Infinity", "-Infinity"]


@pytest.mark.parametrize("number", NUMBERS)
def test_json_numbers_are_read_as_pyyaml_reads_them(number: str) -> None:
    text = f'{{"openapi": "3.0.0", "x-n": {number}, "x-l": [{number}, {{"v": {number}}}]}}'
    try:
        ref: Any = reference_load(text)
    except Exception:  # PyYAML refuses it (1.e5 is no JSON either): JSON must decline too
        assert jsondoc.load("openapi.json", text) is None
        return
    doc = jsondoc.load("openapi.json", text)
    if number in ("1.e5",):  # not JSON: declined, the YAML loader reads it
        assert doc is None
        return
    assert doc is not None, number  # read as JSON (ShipEngine's 1e-05 no longer sends 8 MB to YAML)
    assert _typed(doc.data) == _typed(ref), number


#: pieces of JSON texts that YAML reads otherwise, refuses, or reads alike
ODD = ["\t", "\x85", "\u2028", "\u2029", "\ufeff", "\x7f", "\x9f", "\ufffe", "\r", "\r\n", "\\ud83d\\ude00",
       "\\ud800", "\\u0000", "\\/", "\\t", "\\u00e9", "\u00e9", "\U0001F600", "#", ": ", "- ", "&a", "*a", "!!str",
       "{", "}", "[", "]", "'", '\\"', "%", "@", "`", "|", ">"]


def _mutant(rng: random.Random) -> str:
    """A JSON-like text built from odd pieces: in strings, keys, between tokens, around the root."""
    def s() -> str:
        return '"' + "".join(rng.choice([*ODD[9:], "a", "b", " "]) if rng.random() < 0.7 else rng.choice(ODD)
                             for _ in range(rng.randrange(0, 5))) + '"'

    def ws() -> str:
        return "".join(rng.choice([" ", " ", "\n", "\t", "\r\n", "\r", ""]) for _ in range(rng.randrange(0, 3)))

    def value(depth: int) -> str:
        r = rng.random()
        if depth > 3 or r < 0.4:
            return rng.choice([s(), rng.choice(NUMBERS), "true", "false", "null"])
        if r < 0.7:
            return "[" + ws() + ("," + ws()).join(value(depth + 1) for _ in range(rng.randrange(0, 3))) + ws() + "]"
        return obj(depth + 1)

    def obj(depth: int) -> str:
        keys = [s() if rng.random() < 0.8 else '"' + "k" * rng.choice([149, 150, 151, 1100]) + '"'
                for _ in range(rng.randrange(0, 4))]
        if keys and rng.random() < 0.1:
            keys.append(keys[0])  # a repeated key
        spacer = " " * rng.choice([0, 1, 63, 64, 1030]) if rng.random() < 0.1 else ws()
        return "{" + ws() + ("," + ws()).join(k + spacer + ":" + ws() + value(depth) for k in keys) + ws() + "}"

    return ws() + obj(0) + ws()


def test_json_read_as_json_is_what_yaml_reads_on_odd_texts() -> None:
    rng = random.Random(19)
    read = 0
    for _ in range(3000):
        text = _mutant(rng)
        doc = jsondoc.load("openapi.json", text)
        if doc is None:
            continue  # declined: the YAML loader reads it (or refuses it, at its line)
        read += 1
        assert _typed(doc.data) == _typed(reference_load(text)), text
    assert read > 300  # many are read as JSON


def test_json_nesting_and_size_are_refused_as_the_yaml_loader_refuses_them() -> None:
    from gate.sources.yaml.parse import MAX_DEPTH

    deep = '{"a": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}"
    assert jsondoc.load("openapi.json", deep) is None
    ok = '{"a": ' + "[" * 100 + "]" * 100 + "}"
    doc = jsondoc.load("openapi.json", ok)
    assert doc is not None and _typed(doc.data) == _typed(reference_load(ok))
    assert jsondoc._size({"a": [1, {"b": 2}], "c": []}) == (6, 3)


@pytest.mark.parametrize(("text", "why"), [
    ('{"openapi": "3.1.0", "info": {"title": "a", "title": "b"}}', "duplicate key"),
    ('{"openapi": "3.1.0", "x-s": "\\ud83d\\ude00"}', "surrogate escapes"),
    ('{"openapi": "3.1.0", "x-s": "nel\x85inside"}', "a line break for YAML"),
    ('{"openapi": "3.1.0", "x-s": "del\x7finside"}', "libyaml refuses control characters"),
    ('{"openapi": "3.1.0"\n, "x-k"\n: 1}', "a key whose colon is on the next line"),
    ('{"openapi": "3.1.0", "%s": 1}' % ("k" * 1100), "a key too long for a simple key"),
    ('\t{"openapi": "3.1.0"}', "a tab before the root"),
    ('{"openapi": "3.1.0"}\n\t', "a tab after the root, at a line's start"),
    ('{"openapi": "3.1.0", "x-s": "tab\tinside"}', "JSON refuses, YAML may accept"),
    ("openapi: 3.1.0\n", "not JSON"),
    ('["openapi"]', "not an object"),
])
def test_json_is_declined_where_yaml_may_differ(text: str, why: str) -> None:
    assert jsondoc.load("openapi.json", text) is None, why


def test_json_read_by_yaml_is_located_as_json() -> None:
    text = json.dumps({**DOC, "x-n": 1e-05}, indent=2).replace('"x-n":', '"x-n"' + " " * 70 + ":")
    assert jsondoc.load("openapi.json", text) is None  # 70 spaces before a colon: the YAML loader reads it
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
