"""Text longer than RENDER_LIMIT is not rendered: its judgement (``_certainly_shown``,
``_certain_list_items``, ``_certain_fences``) must never be more generous than rendering. Compared
with markdown-it-py on real Markdown (docs/, README.md, examples/) and generated hostile documents
(the fallbacks run on them directly, under the limit, where rendering is affordable)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from gate.sources.markdown.parse import (
    _certain_fences,
    _certain_list_items,
    _certainly_shown,
    _html_visible,
    _renderer,
    visible_fences,
    visible_list_items,
    visible_text,
)

ROOT = Path(__file__).resolve().parents[1]
ATOMS = [
    '[a](u "hidden x")', '[x]: http://e.com "t"\n', "[x]", "![alt](src)", "<!-- c -->", "<span hidden>s</span>",
    "&#8203;", "&amp;", "\\[", "`code`", "*em*", "_u_", "# h\n", "- item\n", "1. one\n", "2. two\n",
    "```py\ncode\n```\n", "~~~\n~~~\n", "\n\n", "\n", "a|b\n-|-\n|c|d|e\n", "> q\n", "    ind\n", "[\u200b]",
    "[\u200b]: x\n", "---\n", "===\n", "<div hidden>\n", "</div>\n", "[a][x]", "[a\nb](u 'hidden z')", "<http://x.y>",
    "<1@x.io>", "\u200b", "word ", "Restart the service. ", '[a `]` b](u "hidden q")', "]( x)", "]: y",
    "- [ ] task\n", "10) ten\n", ">" * 40 + " deep\n", "- " * 30 + "deep\n", "  " * 20 + "- deep\n", "\t\tx\n",
    "|a|\n---\n|b|c|s\n", "1. a\n\n   ```\n   x\n```\n", "- a\n\n  ```\n\nb\n```\n", '[a](u (t) "x")',
    '[a](<u v> "hidden")', "\u00a0\n", "\r\n", "a\r", "[[b]](u)", "[a]: <u>\n", "x < y ", "&lt;span hidden&gt;",
    "\t", "* ", "+ b\n", "1) c\n", "<details>\n", "</details>\n", "<!--\n", "-->\n", "\\\n", "***\n",
    "| x | y |\n", "|---|---|\n", '[foo]\n\n[foo]: /u "hidden t"\n', "~~~~\n", "````\n", "   ```\n", "  - n\n",
    "    - nn\n", "\u2800", "&ZeroWidthSpace;", "![", "](", "[", "]", "\\]",
]


def _corpus() -> list[str]:
    files = sorted({*ROOT.glob("docs/**/*.md"), *ROOT.glob("*.md"), *ROOT.glob("examples/**/*.md")})
    rng = random.Random(20260601)
    generated = ["".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 40))) for _ in range(1500)]
    return [f.read_text(encoding="utf-8") for f in files] + generated


def _rendered(text: str) -> str:
    md = _renderer()
    return _html_visible(md.renderer.render(md.parse(text), md.options, {}))


def test_the_fallbacks_never_show_more_than_rendering() -> None:
    corpus = _corpus()
    assert len(corpus) > 1500
    for text in corpus:
        shown = Counter(_certainly_shown(text).replace(" ", ""))
        assert shown <= Counter(_rendered(text).replace(" ", "")), repr(text[:300])
        assert _certain_list_items(text) <= visible_list_items(text), repr(text[:300])
        assert _certain_fences(text) <= visible_fences(text), repr(text[:300])


def test_the_body_fallback_never_shows_more_than_the_rendered_body() -> None:
    """Without headings (a section's own text, :func:`visible_body`): the fallback drops heading
    lines, turning one that holds a ``<`` into a tag that hides what follows."""
    from gate.sources.markdown.parse import _certainly_shown_body, _rendered_body

    for text in _corpus():
        shown = Counter(_certainly_shown_body(text).replace(" ", ""))
        assert shown <= Counter(_rendered_body(text).replace(" ", "")), repr(text[:300])


def test_the_fallbacks_keep_plain_prose() -> None:
    text = "## Steps\n\n1. Restart the [service](https://x.example/s); check `pods`.\n2. Page *the lead*.\n\n```sh\nkubectl rollout restart\n```\n"
    # a link's destination may hide the rest of its paragraph (a title can span lines): all of it goes
    assert _certainly_shown(text) == "Steps Restart the kubectl rollout restart"
    assert _certain_list_items(text) == 2 and _certain_fences(text) == 1


@pytest.mark.parametrize("unit", ["[", "[](", "[\n\n", "- [\n", "```\n", "<!--", "a|b\n-|-\n", "> " * 60 + "a\n"])
def test_a_megabyte_of_crafted_text_is_read(unit: str) -> None:
    text = unit * (1_000_000 // len(unit))  # linear: well under a second each (see docs/reliability.md)
    assert isinstance(visible_text(text), str)
    assert visible_list_items(text) >= 0 and visible_fences(text) >= 0
