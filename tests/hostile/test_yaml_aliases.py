"""Recursive YAML aliases (``&a [*a]``, a known YAML-bomb variant) and aliases that expand past
the bounds, wherever YAML is read: a finding (or, for the configuration, exit 2) naming the file
and the alias's line, never a RecursionError, an internal error or a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.sources.yaml.parse import MAX_NODES, YamlError, load, reference_load
from tests.hostile.conftest import assert_clean, run_cli

SVC = "services/payments"

#: (document, line of the faulty alias, words of the message)
RECURSIVE = {
    "sequence": ("name: payments\nx: &a [*a]\n", 2),
    "mapping": ("name: payments\nx: &a {b: *a}\n", 2),
    "nested": ("name: payments\nx: &a\n  - b:\n      - c: [1, 2]\n      - *a\n", 5),
    "block-mapping": ("name: payments\nx: &m\n  k: 1\n  self: *m\n", 4),
}

BOMB = ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
        + "name: *i\n")


@pytest.mark.parametrize("case", sorted(RECURSIVE))
def test_recursive_alias_is_refused_at_its_line(case: str) -> None:
    text, line = RECURSIVE[case]
    for loader in (load, reference_load):
        with pytest.raises(YamlError) as e:
            loader(text)
        assert e.value.line == line
        assert "recursive alias" in e.value.message and "remove the alias" in e.value.message


def test_alias_expansion_past_the_bound_names_the_alias() -> None:
    with pytest.raises(YamlError) as e:
        load(BOMB)
    assert e.value.line == 7  # g: &g [*f, ...]: 10**6 nodes with what came before
    assert f"alias *f: the document expands to more than {MAX_NODES} nodes here" in e.value.message


def test_alias_nesting_past_the_depth_bound_names_the_alias() -> None:
    deep = "[" * 300 + "x" + "]" * 300
    text = f"a: &a {deep}\nb: [{deep[:250]}*a{deep[-250:]}]\n"
    with pytest.raises(YamlError) as e:
        load(text)
    assert e.value.line == 2
    assert "alias *a: the document nests deeper than 500 levels here" in e.value.message


def test_shared_aliases_that_stay_in_bounds_still_load() -> None:
    assert load("a: &a [1, 2]\nb: [*a, *a]\n") == {"a": [1, 2], "b": [[1, 2], [1, 2]]}


def _put(repo: Path, rel: str, text: str) -> None:
    p = repo / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def _append(repo: Path, rel: str, text: str) -> int:
    """Append ``text`` to the file; the 1-based line where it starts."""
    p = repo / rel
    old = p.read_text(encoding="utf-8")
    if not old.endswith("\n"):
        old += "\n"
    p.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


@pytest.mark.parametrize("rel,item", [(f"{SVC}/service.yaml", "artifacts.service-yaml"),
                                      (f"{SVC}/openapi.yaml", "artifacts.openapi")])
def test_recursive_alias_in_service_files_is_a_finding_at_the_line(repo: Path, rel: str, item: str) -> None:
    line = _append(repo, rel, "x-loop: &loop\n  - *loop\n") + 1
    run = run_cli(repo, SVC)
    assert_clean(run)
    assert run.code == 1
    it = run.item("payments", item)
    assert it["status"] == "fail"
    f = next(f for f in it["findings"] if "recursive alias" in f["message"])
    assert (f["path"], f["line"]) == (rel, line)
    assert not [f for f in run.findings() if "internal error" in f["message"] or "ecursion" in f["message"]]


def test_recursive_alias_in_the_configuration_is_exit_2_with_the_line(repo: Path) -> None:
    _put(repo, ".github/prod-readiness.yml", "check_name: prod-readiness\nadvisory: &a [*a]\n")
    run = run_cli(repo)
    assert_clean(run, codes=(2,))
    assert ".github/prod-readiness.yml:2:" in run.stderr and "recursive alias" in run.stderr
    assert len(run.stderr) < 2000


def test_recursive_alias_in_docs_front_matter_is_a_finding(repo: Path) -> None:
    rel = "docs/services/payments.md"
    body = (repo / rel).read_text(encoding="utf-8")
    assert body.startswith("---\n")
    _put(repo, rel, "---\nloop: &l {next: *l}\n" + body[4:])
    run = run_cli(repo, SVC)
    assert_clean(run)
    it = run.item("payments", "artifacts.docs-page")
    assert it["status"] == "fail"
    assert any("recursive alias" in f["message"] and f["path"] == rel and f["line"] == 2 for f in it["findings"]), it


def test_recursive_alias_in_a_changeset_is_a_problem_at_its_line(repo: Path) -> None:
    from gate.sources.markdown import changeset
    from gate.workspace import Workspace

    _put(repo, ".changeset/loop.md", "---\n\"@platform/payments\": minor\nx: &a [*a]\n---\n\nPartners can refund.\n")
    cs = changeset.read(Workspace(repo), ".changeset/loop.md")
    assert cs is not None and cs.problem is not None
    assert "recursive alias" in cs.problem[0]
    assert cs.problem[1] == 3
