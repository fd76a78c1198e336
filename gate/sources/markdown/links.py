"""Links of Markdown pages in the docs site: what a link points at, and whether it resolves.

A link with a scheme (``https:``, ``mailto:``) or ``//host`` is external and not judged. A
relative link resolves against the page's folder; a link starting with ``/`` against the docs
root (the docs site's root). A link without a file extension may name ``x.md`` or a folder with
``index.md`` / ``README.md``, as docs sites serve them. Nothing leaves the repository: a link
whose path climbs above the repository root is reported, never looked up.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from gate.workspace import Workspace

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Target:
    """Where a link points: ``kind`` is ``external``, ``self`` (an anchor of the same page),
    ``file`` (``path`` repo-relative, normalised) or ``outside`` (leaves the repository)."""

    kind: str
    path: str = ""
    fragment: str = ""


def target(page: str, href: str, docs_root: str) -> Target:
    """What ``href`` (a link on the page at repo path ``page``) points at."""
    href = href.strip()
    if not href or _SCHEME.match(href) or href.startswith("//"):
        return Target("external")
    raw, _, frag = href.partition("#")
    raw = raw.split("?", 1)[0]
    frag = unquote(frag)
    if not raw:
        return Target("self", page, frag)
    raw = unquote(raw)
    base = docs_root if raw.startswith("/") else posixpath.dirname(page)
    joined = posixpath.normpath(posixpath.join(base, raw.lstrip("/")))
    if joined == ".":
        joined = ""
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return Target("outside", joined, frag)
    return Target("file", joined, frag)


def existing(ws: Workspace, path: str) -> str | None:
    """The repo file a docs link to ``path`` names (``path`` itself, ``path.md``, or a folder's
    ``index.md``/``README.md``), None when there is none. Never leaves the repository."""
    candidates = [path]
    if not posixpath.splitext(path)[1] or ws.is_dir(path):
        candidates += [f"{path}.md", f"{path}/index.md", f"{path}/README.md"]
    for c in candidates:
        if c and ws.exists(c) and not ws.is_dir(c):
            return c
    if path == "" or ws.is_dir(path):
        return path if ws.is_dir(path) else None
    return None


def links_to(ws: Workspace, page: str, href: str, docs_root: str, wanted: str) -> bool:
    """Does ``href`` on ``page`` point at the repo file ``wanted``?"""
    t = target(page, href, docs_root)
    if t.kind != "file":
        return False
    return t.path == wanted or existing(ws, t.path) == wanted
