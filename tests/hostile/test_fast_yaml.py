"""The fast YAML path (rapidyaml, for documents of ``FAST_MIN_CHARS`` and more) refuses whatever
PyYAML's reference loader refuses: it returns the reference's data or declines (the reference
then reads the document and words the refusal). Known classes first, then a differential test
over seeded mutations of real documents (verdict and data compared)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from gate.sources.yaml import parse as y
from tests.hostile.conftest import EXAMPLE, assert_clean, run_cli
from tests.test_differential import OAS_BASE

pytest.importorskip("ryml")

SVC = "services/payments"

#: documents rapidyaml read although PyYAML refuses them (each found by the differential test)
REFUSED = {
    "at-sign": "a: @x\n",
    "backtick": "a: `x\n",
    "at-sign-key": "@x: 1\n",
    "at-sign-in-flow": "a: {b: @c}\n",
    "at-sign-entry": "- @x\n",
    "stray-bracket-value": "a: ][b]\n",
    "stray-brace-key": "a:\n  }b: 1\n",
    "percent-in-flow": "a: {b: 1,% c: 2}\n",
    "colon-question-in-flow": "a: {b:? c}\n",
    "empty-value-before-comma": "a: {b:, c}\n",
    "empty-value-before-brace": "a: {b:}\n",
    "empty-value-in-sequence": "a: [b:]\n",
    "header-with-content": "a:\n | - x\n  - y\n",
    "entry-after-flow": "- {a: 1}     - b\n",
    "comment-kept-in-flow": 'json: {"a": [1, 2], "b": {"c": nul #l}}\n',
    "key-split-in-flow": 'x: {"ti\n  tle": 1}\n',
    "plain-key-split-in-flow": "a: {b: c, d\n  e: f}\n",
    "value-indicator-line": "a: {b\n  : c}\n",
    "indented-root-key": "      p:\n      - {a: 1}\n        c: {b: 2}\n",
    "tab-after-entry": "- \tx\n",
    "next-line": "a: b\x85c\n",
    "directive-line": "%{a: 1}\n",
    "document-end-first": "...\na: 1\n",
    "root-folded-scalar": ">\na: 1\n",
}

#: documents both read, where rapidyaml gave other data than PyYAML
DIFFERENT = {
    "tab-in-flow": "a: {b: c\t, d: e}\n",
    "tab-after-colon-in-flow": "a: {b:\t 1}\n",
    "tab-at-end-of-entry": "a: [x, y\t]\n",
    "bom-inside": "a: 2026-\ufeff11-20\n",
    "double-colon-in-flow": "a: {b:: c}\n",
    "header-with-comment-digits": "a: [1]\nb: > #-\n  x\n  y\n",
    "line-separator": "a: b\u2028c: d\n",
    "lone-cr": "a: x\rb: y\n",
}


def _reference(text: str) -> Any:
    try:
        return y.reference_load(text)
    except y.YamlError:
        return y.YamlError


def _fast(text: str) -> Any:
    try:
        return y.fast_load(text)
    except y.YamlError:
        return y.YamlError


def _agree(text: str) -> None:
    """The fast path gives the reference's verdict and data, or declines."""
    fast = _fast(text)
    if fast is y.DECLINED:
        return
    ref = _reference(text)
    assert fast == ref and type(fast) is type(ref), (text[:400], fast if fast is y.YamlError else "data", ref)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_pyyaml_refuses_is_refused(case: str) -> None:
    text = REFUSED[case]
    assert _reference(text) is y.YamlError
    assert _fast(text) in (y.DECLINED, y.YamlError)
    # above the fast path's threshold, through the loader every reader uses: the reference's words
    big = text + "".join(f"\nk{i}: v" for i in range(y.FAST_MIN_CHARS // 6)) + "\n" if not text.startswith("...") else text
    if len(big) >= y.FAST_MIN_CHARS:
        with pytest.raises(y.YamlError):
            y.load(big)


@pytest.mark.parametrize("case", sorted(DIFFERENT))
def test_what_pyyaml_reads_otherwise_is_read_as_pyyaml_does(case: str) -> None:
    text = DIFFERENT[case]
    _agree(text)
    assert y.load(text) == y.reference_load(text)


def test_ordinary_documents_still_take_the_fast_path() -> None:
    for text in ["a: |\n  | a | b |\n  | --- | --- |\n  > [!NOTE]\n  > quoted\nb: 1\n",
                 "a: >-\n  folded\n  text\nb: {c: [1, 2], d: 'x: y'}\n",
                 '{"a": {"b": [1, 2]},\n "c": "d"}\n',
                 "a: x\r\nb: 'y'\r\n"]:
        got = y.fast_load(text)
        assert got is not y.DECLINED, text
        assert got == y.reference_load(text)


# -- differential testing over seeded mutations ------------------------------------------------
#: block and quoted scalars, the styles OAS_BASE lacks
SCALARS = """description: |
  Returns the item.
    indented: [x]
  - not a list
summary: >-
  folded
  text
example: {id: "a\\tb \\u00e9 \\"q\\"", note: 'it''s: fine', url: http://x.y/z?a=b#f, t: 12:30:45}
list:
  - a: 1
    b: [1, 2, {c: d}]
  - - x
    - -17
"""
JSON = ('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},\n'
        ' "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "x": [1, -2.5, null, true]}}}}}}\n')
BASES = [OAS_BASE.lstrip(), SCALARS, JSON, (EXAMPLE / SVC / "service.yaml").read_text(encoding="utf-8"),
         (EXAMPLE / SVC / "openapi.yaml").read_text(encoding="utf-8")]
PIECES = [*"@`]}[{,:#&*!|>?-%'\"\\ \t\n\r.0a~",
    "\n  ", ": ", "- ", " #", "@x", "`x", "...", "---", "\ufeff", "\u2028", "\x85", "!!str ", "&a ", "*a",
    "<<: ", "? ", "|-", ">+", "\r\n"]


def _mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(text) + 1)
        op = rng.random()
        if op < 0.6:
            text = text[:i] + rng.choice(PIECES) + text[i:]
        elif op < 0.75:
            text = text[:i] + text[i + rng.randint(1, 3):]
        else:
            lines = text.split("\n")
            j = rng.randrange(len(lines))
            if op < 0.9:  # re-indent a line
                lines[j] = rng.choice(["", " ", "  ", "- "]) + lines[j][rng.choice([0, 0, 1, 2]):]
            else:  # a line repeated elsewhere
                lines.insert(rng.randrange(len(lines)), lines[j])
            text = "\n".join(lines)
    return text


def test_bases_take_the_fast_path() -> None:
    for text in BASES:
        assert y.fast_load(text) is not y.DECLINED


@pytest.mark.parametrize("seed", range(6))
def test_fast_path_agrees_with_pyyaml_on_mutated_documents(seed: int) -> None:
    rng = random.Random(seed)
    for n in range(500):
        _agree(_mutate(rng, BASES[n % len(BASES)]))


def test_a_large_openapi_with_a_plain_at_sign_is_refused_at_its_line(repo: Path) -> None:
    rel = f"{SVC}/openapi.yaml"
    p = repo / rel
    text = p.read_text(encoding="utf-8")
    assert len(text) >= y.FAST_MIN_CHARS  # read by the fast path
    p.write_text(text + "x-owner: @team-payments\n", encoding="utf-8")
    line = text.count("\n") + 1
    run = run_cli(repo, SVC)
    assert_clean(run)
    it = run.item("payments", "artifacts.openapi")
    assert it["status"] == "fail"
    f = next(f for f in it["findings"] if "cannot start any token" in f["message"])
    assert (f["path"], f["line"]) == (rel, line)
