"""OpenAPI descriptions written as YAML stay on the fast path (rapidyaml) where libyaml reads the
same data: a colon before a flow indicator in block context (GitHub's ``pattern:
^(?:[A-Za-z0-9+/]{4})*``, Blockfrost's ``'magnet:?xt=…'``) and a block scalar header followed by
text inside a quoted scalar (GitHub's Markdown tables after a colon) are text, not reasons to send
a 10 MB description to PyYAML; inside a flow collection, or with a block scalar, they still are.
Compared with PyYAML's reference loader on corpus-like texts and seeded mutations."""

from __future__ import annotations

import random

import pytest

from gate.sources.yaml import parse as y

pytest.importorskip("ryml")

BLOCK = """\
openapi: 3.0.3
info:
  title: t
  version: '1'
  description: 'The following fields are included in the `verification` object:


    | Name | Type | Description |

    | ---- | ---- | ----------- |'
paths:
  /a:
    get:
      parameters:
      - name: v
        in: query
        schema:
          type: string
          pattern: ^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$
          example: 'magnet:?xt=urn:sha1:YNCK'
      responses: {}
"""


def test_block_text_with_colons_before_flow_indicators_is_read_fast() -> None:
    assert y.fast_load(BLOCK) is not y.DECLINED
    assert y.fast_load(BLOCK) == y.reference_load(BLOCK)


@pytest.mark.parametrize("text", [
    "a: {b: x:]}\n" + BLOCK,  # a flow collection that is not empty, and a colon before a flow indicator
    "a: [b:]\n",
    "a: |\n  x\n" + BLOCK,  # a block scalar, and a header followed by text (in a quoted scalar)
    "a:\n | - x\n  - y\n",
    "'a:\n\n  | t]': 1\n",  # a quoted key over several lines: libyaml refuses it
    "k: {a: b\n    - |'\n    \n  }\n",  # a header-like text in a flow collection: rapidyaml keeps a line break
])
def test_what_libyaml_may_read_otherwise_is_still_declined(text: str) -> None:
    assert y.fast_load(text) is y.DECLINED


def test_fast_path_reads_what_pyyaml_reads_on_mutations_of_colons_headers_and_flows() -> None:
    """Texts holding a colon before a flow indicator or a block header followed by text (which
    the fast path declined whatever their context): where it now reads one, it reads PyYAML's
    data (no refusal, no other data). 60,000 texts built from colons, flow indicators, block
    headers and quotes in block, flow and quoted contexts."""
    rng = random.Random(23)
    pieces = [":", ",", "?", "[", "]", "{", "}", "a", " ", "-", "x:y", "'", '"', "#", "\n  ", "\n", "|", ">",
              "| x", ": |", ":\n\n  | t", "- |", "? >", "''"]
    templates = ["k: a%s\n", "k:\n  - a%s\n", "a%s: 1\n", "k: |\n  a%s\n", "k: 'x\n  %s\n  y'\n",
                 'k: "x\n  %s\n  y"\n', "k: [a%s]\n", "k: {a: b%s}\n", "e: {}\nk: a%s\nf: []\n", "k: %s\nz: {q: 1}\n"]
    read = 0
    for _ in range(6000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        for tmpl in templates:
            text = tmpl % s
            if not (y._FLOW_COLON.search(text) or y._HEADER_TEXT.search("\n" + text)):
                continue  # not this change's subject
            data = y.fast_load(text)
            if data is y.DECLINED:
                continue
            read += 1
            try:
                ref = y.reference_load(text)
            except y.YamlError as exc:
                raise AssertionError(f"{text!r}: the fast path read {data!r}, PyYAML refuses: {exc.message}") from None
            assert repr(ref) == repr(data), text
    assert read > 2_000
