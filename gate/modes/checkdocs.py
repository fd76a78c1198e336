"""``python -m gate.modes.checkdocs``: write ``docs/checks/<id>.md``, the page of each catalog item.

The pages are generated, never edited by hand. A page is made of:

- its heading and checklist line: the item's catalog entry (``gate/catalog.py``);
- what the item checks, its evidence, how to fix it, and any section of its own: the module
  docstring of its check (``gate/checks/<section>/<name>.py``), written in Markdown;
- how to waive it: one template for every item (:func:`how_to_waive`), chosen by the catalog
  entry (a change-level item is not waived in ``service.yaml``, an attestation item is attested).

A check's docstring starts with what it checks (prose, no heading), may add sections of its own
(``## <heading>``), then has ``## Evidence`` and ``## How to fix``; it may end with
``## How to waive``, which holds only what is the item's own: a ```` ```yaml ```` block with the
``targets:`` line of the waiver example, then notes printed after the template. The docstrings
are read from the source files (:func:`ast.get_docstring`), without importing the checks.

``tests/test_checkdocs.py`` asserts that the committed pages are the generated ones; after
changing a docstring, the template or the catalog, run ``python -m gate.modes.checkdocs``.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from gate import catalog

GATE = Path(__file__).resolve().parent.parent
#: the pages, in a source checkout (``gate/checkdocs`` links to them; the wheel ships them)
PAGES = GATE.parent / "docs" / "checks"
COMMAND = "python -m gate.modes.checkdocs"

#: the sections every check's docstring has, in this order, after its "what it checks" prose
REQUIRED = ("Evidence", "How to fix")
WAIVE = "How to waive"

# -- how to waive: the one template ---------------------------------------------------------------
WAIVER = """\
Add to `service.yaml`:

```yaml
readiness:
  waivers:
    - item: {item}
      reason: <why this does not apply or may fail for now>
      approved_by: <github login>
      expires: 2027-01-31
{targets}```

{only_fail}An expired waiver is ignored and reported."""
#: said of the items that can be ``pending`` or ``unverified`` for want of GitHub or a person
ONLY_FAIL = "A waiver turns only `fail` into `waived` (not `pending` or `unverified`). "
CHANGE_LEVEL = (
    "It cannot be waived in `service.yaml`: it is a change-level item, reported once at the top of the "
    "report for the pull request, not for one service. A repository that does not want it to block can "
    "list it in `advisory` in `.github/prod-readiness.yml` (`fail` is then reported as `warn`); that "
    "configuration is read from the PR's base commit, so a PR cannot relax it for itself.")
ATTESTED = ("Attest instead; an attestation item cannot be failed, so a waiver does not apply (it turns "
            "only `fail` into `waived`).")

_HEADING = re.compile(r"## (\S.*)")
_FENCE = re.compile(r"```|~~~")


class DocError(ValueError):
    """A check's docstring that does not have the shape of a page."""


def source(item: catalog.Item) -> Path:
    """The file of the item's check module."""
    return GATE.parent.joinpath(*item.module.split(".")).with_suffix(".py")


def docstring(item: catalog.Item) -> str:
    """The module docstring of the item's check, read without importing it."""
    path = source(item)
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    if not doc:
        raise DocError(f"{path}: no module docstring (it is the item's page: what it checks, evidence, how to fix)")
    return doc


def sections(doc: str) -> list[tuple[str, str]]:
    """``doc`` cut at its ``## `` headings outside fenced code: (heading, text) pairs, the text
    before the first heading under the heading ``""``."""
    out: list[tuple[str, list[str]]] = [("", [])]
    fence = ""
    for line in doc.split("\n"):
        if fence:
            if line.startswith(fence):
                fence = ""
        elif m := _FENCE.match(line):
            fence = m.group(0)
        elif m := _HEADING.fullmatch(line):
            out.append((m.group(1), []))
            continue
        out[-1][1].append(line)
    return [(heading, "\n".join(lines).strip("\n")) for heading, lines in out]


def how_to_waive(item: catalog.Item, targets: tuple[str, ...] = (), notes: str = "") -> str:
    """The "How to waive" section of ``item``: the shared template, with the waiver ``targets``
    line(s) the item accepts and the notes of its own after it."""
    if item.change_level or item.evidence == "attest":
        if targets:
            raise DocError(f"{source(item)}: {item.id} is not waived in service.yaml: no waiver targets")
        text = CHANGE_LEVEL if item.change_level else ATTESTED
    else:
        only_fail = ONLY_FAIL if {"github", "attest"} & set(item.evidence.split("+")) else ""
        text = WAIVER.format(item=item.id, targets="".join(f"      {t}\n" for t in targets), only_fail=only_fail)
    return f"{text}\n\n{notes}" if notes else text


def _waiver_part(item: catalog.Item, text: str) -> tuple[tuple[str, ...], str]:
    """The docstring's ``## How to waive`` section: its ```` ```yaml ```` targets, its notes."""
    if not text.startswith("```yaml\n"):
        return (), text
    block, sep, notes = text.removeprefix("```yaml\n").partition("\n```")
    targets = tuple(block.split("\n"))
    if not sep or not all(t.startswith("targets: ") for t in targets):
        raise DocError(f"{source(item)}: the ```yaml block of '## {WAIVE}' holds only `targets:` lines")
    return targets, notes.strip("\n")


def page(item: catalog.Item) -> str:
    """The page ``docs/checks/<id>.md`` of ``item``."""
    parts = sections(docstring(item))
    where = f"{source(item)}: the docstring"
    if not parts[0][1]:
        raise DocError(f"{where} starts with what the item checks, before any heading")
    headings = [h for h, _ in parts[1:]]
    if [h for h in headings if h in REQUIRED] != list(REQUIRED):
        raise DocError(f"{where} has the sections {', '.join(f'## {h}' for h in REQUIRED)}, once each, in this order")
    if WAIVE in headings[:-1] or headings.count(WAIVE) > 1:
        raise DocError(f"{where}'s '## {WAIVE}' is its last section (the item's targets and notes only)")
    targets, notes = _waiver_part(item, parts[-1][1]) if headings[-1] == WAIVE else ((), "")
    body = "\n\n".join([parts[0][1]] + [f"## {h}\n\n{t}" for h, t in parts[1:] if h != WAIVE])
    return (f"# {item.id}\n\n> {item.title}\n\n## What it checks\n\n{body}\n\n"
            f"## {WAIVE}\n\n{how_to_waive(item, targets, notes)}\n")


def pages() -> dict[str, str]:
    """Every page by file name, in catalog order."""
    return {f"{item.id}.md": page(item) for item in catalog.ITEMS}


def write(folder: Path = PAGES) -> list[str]:
    """Rewrite the pages in ``folder``: the names of the pages written or removed (a page of no item)."""
    want = pages()
    changed: list[str] = []
    for name, text in want.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    for path in sorted(folder.glob("*.md")):
        if path.name not in want:
            path.unlink()
            changed.append(path.name)
    return changed


def main() -> int:
    if not PAGES.is_dir():
        print(f"{COMMAND}: no {PAGES}: run it in a source checkout of prodgate", file=sys.stderr)
        return 2
    try:
        changed = write()
    except DocError as exc:
        print(f"{COMMAND}: {exc}", file=sys.stderr)
        return 1
    print(f"{COMMAND}: {len(changed)} of {len(catalog.ITEMS)} page(s) rewritten in {PAGES}"
          + "".join(f"\n  {name}" for name in changed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
