"""Text that says nothing does not count: a README/RUNBOOK section or a changeset summary counts
only by what it renders to (HTML comments, hidden elements, link definitions, zero-width
characters are not text). Played through ``prodgate check`` (and the helper directly)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gate.sources.markdown.changeset import summary_problem
from gate.sources.markdown.parse import RENDER_LIMIT, visible_list_items, visible_text
from tests.checks.core_fixture import README, RUNBOOK, line_of, tree
from tests.helpers import write_tree

ROOT = Path(__file__).resolve().parents[1]

#: ways to write a section body that renders to nothing
NOTHING = {
    "comment": "<!-- Restart the service, then page the lead. -->",
    "multi-line comment": "<!--\nRestart the service.\n-->",
    "hidden div": "<div hidden>Restart the service.</div>",
    "hidden div with markdown": "<div hidden>\n\nRestart the service.\n\n</div>",
    "display none": '<span style="display: none">Restart the service.</span>',
    "aria-hidden": '<p aria-hidden="true">Restart the service.</p>',
    "empty details": "<details></details>",
    "template": "<template>Restart the service.</template>",
    "link definition": "[restart]: https://runbooks.example.com/restart",
    "zero-width": "\u200b\u200c\u200d\u2060\ufeff",
    "entities": "&#8203;&nbsp;&zwj;",
    "braille blank": "\u2800",
    "empty list": "-\n-",
    "rule": "---",
    "image without alt": "![](https://example.com/pixel.png)",
}


def _check(root: Path, only: str) -> dict[str, Any]:
    p = subprocess.run([sys.executable, "-m", "gate", "check", str(root), "--format", "json", "--only", only],
                       capture_output=True, text=True, cwd=root, timeout=120, check=False,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert p.returncode in (0, 1), p.stderr
    report = json.loads(p.stdout)
    svc = next(s for s in report["services"] if s["name"] == "payments")
    return next(i for i in svc["items"] if i["id"] == only)


@pytest.mark.parametrize("how", sorted(NOTHING))
def test_helper_sees_nothing(how: str) -> None:
    assert visible_text(NOTHING[how]) == ""


def test_helper_keeps_what_shows() -> None:
    assert visible_text("<details><summary>Steps</summary>Restart it.</details>") == "Steps Restart it."
    assert visible_text("Restart <!-- not this --> the service") == "Restart the service"
    assert visible_text("<div hidden><p>x</p></div> shown") == "shown"
    assert visible_text("None.") == "None."
    assert visible_list_items("1. alice\n2. <!-- lead -->\n3. \u200b\n4. bob\n   - nested") == 2
    assert visible_list_items("<div hidden>\n\n- alice\n- bob\n\n</div>\n\n- carol") == 1


@pytest.mark.parametrize("how", sorted(NOTHING))
def test_runbook_section_that_renders_to_nothing_fails(how: str, tmp_path: Path) -> None:
    text = RUNBOOK.replace("## Remediation\nRestart the service.\n", f"## Remediation\n{NOTHING[how]}\n")
    write_tree(tmp_path, tree(runbook=text))
    it = _check(tmp_path, "artifacts.runbook")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert f["message"].startswith("RUNBOOK.md section 'Remediation' is empty")
    assert f["path"] == "services/payments/RUNBOOK.md" and f["line"] == line_of(text, "## Remediation")


def test_runbook_rollback_that_renders_to_nothing_fails_promotion_rollback(tmp_path: Path) -> None:
    text = RUNBOOK.replace("Redeploy the previous image; migrations are expand-only.",
                           "<!-- Redeploy the previous image. -->\n\u200b")
    write_tree(tmp_path, tree(runbook=text))
    it = _check(tmp_path, "promotion.rollback")
    assert it["status"] == "fail"
    assert it["findings"][0]["message"].startswith("RUNBOOK.md section 'Rollback' is empty")
    assert it["findings"][0]["line"] == line_of(text, "## Rollback")


def test_escalation_levels_that_show_nothing_do_not_count(tmp_path: Path) -> None:
    text = RUNBOOK.replace("2. team-payments lead", "2. <!-- team-payments lead -->\n3. <span hidden>cto</span>")
    write_tree(tmp_path, tree(runbook=text))
    it = _check(tmp_path, "oncall.escalation")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert "lists 1 escalation level(s)" in f["message"] and f["line"] == line_of(text, "## Escalation")


@pytest.mark.parametrize("body", ["```sh\n\u200b\n```", "```sh\n```", "<!--\n```sh\npnpm dev\n```\n-->",
                                  "<div hidden>\n\n```sh\npnpm dev\n```\n\n</div>"])
def test_readme_run_locally_block_that_shows_nothing_fails(body: str, tmp_path: Path) -> None:
    text = README.replace("```sh\npnpm dev\n```", body)
    write_tree(tmp_path, tree(readme=text))
    it = _check(tmp_path, "artifacts.readme")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert "has no code block" in f["message"] and f["line"] == line_of(text, "## Run locally")


@pytest.mark.parametrize("summary", [
    "<!-- Partners can now issue partial refunds. -->",
    "<div hidden>Partners can now issue partial refunds.</div>",
    "[refunds]: https://example.com/partners/can/now/issue/partial/refunds",
    "\u200b\u200b\u200b\u200b",
])
def test_changeset_summary_that_renders_to_nothing(summary: str) -> None:
    why = summary_problem(summary, 4, ["wip"])
    assert why is not None and why.startswith("its summary renders to nothing")


def test_changeset_words_count_only_what_shows() -> None:
    why = summary_problem("Refunds. <!-- Partners can now issue partial refunds -->", 4, ["wip"])
    assert why == "its summary has 1 word(s) ('Refunds'); changeset.min_words is 4"
    assert summary_problem("Partners can now issue <b>partial</b> refunds.", 4, ["wip"]) is None


@pytest.mark.parametrize("text, shown", [
    ('<div title="a>b" hidden>secret</div>', ""),
    ("<div title = 'x>y' style='display:none'>secret</div> after", "after"),
    ('<span title="a>b">shown</span>', "shown"),
    ('<p title="x>y">one</p><p hidden title="q>r">two</p>three', "one three"),
])
def test_a_quoted_greater_than_does_not_end_the_tag(text: str, shown: str) -> None:
    assert visible_text(text) == shown
    # long text is not rendered: past the first tag nothing is certain, nothing is shown
    assert visible_text(text + " " * 16_001) == ""


# -- text longer than RENDER_LIMIT is not rendered: only what surely shows counts (fail closed) --
#: Markdown that renders to nothing, repeated past the limit (each was text on the raw path)
PADDING = {
    "empty links": "[](" + "a" * 40 + ")\n",
    "images": "![](https://example.com/pixel.png)\n",
    "reference images": "![][p]\n\n[p]: https://example.com/pixel.png\n",
    "link titles": '[\u200b](u "restart the service")\n',
    "entities": "&#8203;&nbsp;&zwj;\n",
    "autolink with a hidden part": "<span hidden>restart the service</span>\n",
    "fence info strings": "```restart-the-service\n```\n",
    "escapes and emphasis": "\\* ** __ `` \\_\n",
}


def _padded(unit: str) -> str:
    return unit * (RENDER_LIMIT // len(unit) + 1)


@pytest.mark.parametrize("how", sorted(PADDING))
def test_long_text_that_renders_to_nothing_shows_nothing(how: str) -> None:
    text = _padded(PADDING[how])
    assert len(text) > RENDER_LIMIT
    assert visible_text(text) == ""


@pytest.mark.parametrize("how", sorted(PADDING))
def test_runbook_section_padded_past_the_limit_fails(how: str, tmp_path: Path) -> None:
    text = RUNBOOK.replace("## Remediation\nRestart the service.\n", f"## Remediation\n{_padded(PADDING[how])}\n")
    write_tree(tmp_path, tree(runbook=text))
    it = _check(tmp_path, "artifacts.runbook")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert f["message"].startswith("RUNBOOK.md section 'Remediation' is empty")
    assert f["path"] == "services/payments/RUNBOOK.md" and f["line"] == line_of(text, "## Remediation")


@pytest.mark.parametrize("padding, shown", [
    ("2. [](https://example.com/lead)\n", 1),
    ("2. ![lead](x) &#8203;\n", 1),
    # HTML may hide the end of the item before it: not even alice is certain (fail closed)
    ("2. <!-- lead -->\n", 0),
])
def test_escalation_items_padded_past_the_limit_do_not_count(padding: str, shown: int, tmp_path: Path) -> None:
    levels = "1. alice (primary)\n" + padding * (RENDER_LIMIT // len(padding) + 1)
    text = RUNBOOK.replace("1. alice (primary)\n2. team-payments lead\n", levels)
    assert len(levels) > RENDER_LIMIT
    write_tree(tmp_path, tree(runbook=text))
    it = _check(tmp_path, "oncall.escalation")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert f"lists {shown} escalation level(s)" in f["message"] and f["line"] == line_of(text, "## Escalation")


def test_run_locally_empty_fences_padded_past_the_limit_fail(tmp_path: Path) -> None:
    body = "```sh\n\u200b\n```\n\n" * 1_500
    text = README.replace("```sh\npnpm dev\n```", body)
    assert len(body) > RENDER_LIMIT
    write_tree(tmp_path, tree(readme=text))
    it = _check(tmp_path, "artifacts.readme")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert "has no code block" in f["message"] and f["line"] == line_of(text, "## Run locally")


def test_changeset_summary_padded_past_the_limit_renders_to_nothing() -> None:
    why = summary_problem(_padded("![partners can now issue partial refunds](x) "), 4, ["wip"])
    assert why is not None and why.startswith("its summary renders to nothing")


def test_a_long_legitimate_runbook_still_passes(tmp_path: Path) -> None:
    steps = "".join(f"{n}. Check the [dashboard](https://grafana.example.com/d/{n}) for step {n}; "
                    f"then restart `payments-{n}` with **care**.\n" for n in range(1, 400))
    text = (RUNBOOK.replace("## Remediation\nRestart the service.\n", f"## Remediation\n{steps}\n")
            .replace("1. alice (primary)\n2. team-payments lead\n",
                     "".join(f"{n}. on-call level {n} (see [policy](https://example.com/{n}))\n" for n in range(1, 600))))
    assert len(text) > 40_000 and len(steps) > RENDER_LIMIT
    write_tree(tmp_path, tree(runbook=text))
    assert _check(tmp_path, "artifacts.runbook")["status"] == "pass"
    assert _check(tmp_path, "oncall.escalation")["status"] == "pass"
