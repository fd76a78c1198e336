"""``prodgate explain ID``: an item's documentation (what it checks, the evidence, how to fix
it, how to waive it) in the terminal.

The pages are ``docs/checks/<id>.md``; the package ships them as ``gate/checkdocs/`` (a link
to ``docs/checks`` in the source tree, real files in an installed wheel: see pyproject's
package data). Where they are absent (a build that left the docs out), the item's catalog
entry and the address of its published page are printed instead.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from gate import UsageError, catalog
from gate.config import DOCS_URL
from gate.render.common import docs_link

DOCS_DIR = Path(__file__).resolve().parent.parent / "checkdocs"


def page(item_id: str) -> str:
    """The documentation of ``item_id`` as text (UsageError for an unknown id)."""
    item = catalog.BY_ID.get(item_id)
    if item is None:
        close = difflib.get_close_matches(item_id, list(catalog.BY_ID), n=1, cutoff=0.6)
        hint = f": did you mean {close[0]}?" if close else " (`prodgate explain --list` lists them)"
        raise UsageError(f"explain: unknown item id {item_id!r}{hint}")
    try:
        text = (DOCS_DIR / f"{item.id}.md").read_text(encoding="utf-8")
    except OSError:
        text = (f"# {item.id}\n\n> {item.title}\n\n## Evidence\n\n{item.evidence}.\n\n"
                f"(This installation has no copy of the item's page.)\n")
    return text.rstrip("\n") + f"\n\nOnline: {docs_link(item.id, DOCS_URL)}\n"


def listing() -> str:
    width = max(len(i.id) for i in catalog.ITEMS)
    return "".join(f"{i.id.ljust(width)}  {i.title}\n" for i in catalog.ITEMS)


def run_explain(args: argparse.Namespace) -> int:
    if args.list or not args.id:
        if not args.list:
            raise UsageError("explain: give an item id (e.g. prodgate explain sdk.generated), or --list")
        sys.stdout.write(listing())
        return 0
    sys.stdout.write(page(args.id))
    return 0
