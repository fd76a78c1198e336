"""Changesets (``.changeset/*.md``, the changesets tool's format): YAML front matter naming
packages and bump types, then a Markdown summary that becomes the changelog entry.

```md
---
"@platform/payments": minor
"@platform/sdk-payments": minor
---

Partners can now issue partial refunds with `POST /payments/{id}/refunds`.
```

:func:`read` parses one file through the workspace (front matter via the Markdown source, key
lines via the YAML source); :func:`summary_problem` says why a summary is not user-facing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.sources.markdown.frontmatter import key_line
from gate.sources.markdown.parse import visible_text
from gate.workspace import Workspace

BUMPS = frozenset({"major", "minor", "patch", "none"})
#: files of the changesets folder that are not changesets
NOT_CHANGESETS = frozenset({"readme.md"})

_URL = re.compile(r"<?https?://\S+>?", re.IGNORECASE)
#: a link with no bracket in its text and no parenthesis in its target: linear on "[[[[…" (the
#: general pattern was quadratic: 40,000 "[" took 8 s)
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
#: a ticket reference; it starts only where a run of ``[\w.-]`` starts (else every position of a
#: long ``a.a.a…`` run rescanned the run: quadratic)
_TICKET = re.compile(r"(?<![\w.-])(?:[A-Z][A-Z0-9]+-\d+|(?:[\w.-]+/[\w.-]+)?#\d+|GH-\d+)(?![\w-])")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Package:
    name: str
    bump: object
    line: int


@dataclass(frozen=True)
class Changeset:
    path: str
    packages: tuple[Package, ...]
    summary: str
    #: line of the summary's first non-blank line (the closing ``---`` when it is empty)
    summary_line: int
    #: line of the front matter's opening ``---`` (1 when there is none)
    front_line: int
    #: why the front matter cannot be used (with its line), None when it can
    problem: tuple[str, int] | None = None

    def names(self, *packages: str) -> bool:
        return any(p.name in packages for p in self.packages)


def is_changeset(path: str, folder: str) -> bool:
    """``path`` is a changeset file of ``folder`` (``.changeset``): a direct ``.md`` child, not README."""
    prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
    if not path.startswith(prefix):
        return False
    rest = path[len(prefix):]
    return "/" not in rest and rest.lower().endswith(".md") and rest.lower() not in NOT_CHANGESETS


def read(ws: Workspace, path: str) -> Changeset | None:
    """The changeset at ``path`` (None when the file is absent)."""
    doc = ws.markdown(path)
    if doc is None:
        return None
    lines = doc.text.splitlines()
    close = None
    if lines and lines[0].strip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if close is None:
        return Changeset(path, (), doc.text.strip(), 1, 1,
                         ("has no front matter: start it with a `---` block naming packages and bump types", 1))
    body_lines = lines[close + 1:]
    summary = "\n".join(body_lines).strip()
    first = next((n for n, ln in enumerate(body_lines) if ln.strip()), None)
    summary_line = close + 2 + first if first is not None else close + 1
    if doc.front_matter_error is not None:
        err = doc.front_matter_error
        return Changeset(path, (), summary, summary_line, 1,
                         (f"front matter is not valid YAML ({err.message})", err.line or 1))
    fm = doc.front_matter
    if fm is None or fm == {}:
        return Changeset(path, (), summary, summary_line, 1)
    if not isinstance(fm, dict):
        return Changeset(path, (), summary, summary_line, 1,
                         ("front matter is not a mapping of package names to bump types", 2))
    packages = tuple(Package(str(k), v, key_line(doc, str(k))) for k, v in fm.items())
    return Changeset(path, packages, summary, summary_line, 1)


def _plain(summary: str) -> str:
    """The summary's prose: Markdown links reduced to their text, URLs dropped."""
    text = _MD_LINK.sub(r"\1", summary)
    return _URL.sub(" ", text)


def words(summary: str) -> list[str]:
    """The summary's words as rendered (HTML comments, hidden elements, link definitions,
    zero-width characters show nothing), ticket references, URLs and Markdown markup not counted."""
    text = _TICKET.sub(" ", _plain(visible_text(summary)))
    return _WORD.findall(re.sub(r"[`*_>#~|]", " ", text))


def summary_problem(summary: str, min_words: int, placeholders: list[str]) -> str | None:
    """Why ``summary`` is not a user-facing changelog entry (None when it is)."""
    if not summary.strip():
        return "its summary is empty"
    if not visible_text(summary):
        return ("its summary renders to nothing (HTML comments, hidden elements, link definitions and zero-width "
                "characters are not text)")
    plain = _plain(summary)
    ws = words(summary)
    if not ws:
        refs = _TICKET.findall(plain) or _URL.findall(summary) or [summary.strip()[:40]]
        return f"its summary is only a reference ({', '.join(refs[:3])}), not a description of the change"
    holders = {p.lower() for p in placeholders}
    filler = {"a", "an", "the", "some", "minor", "small", "misc", "stuff", "and", "more", "see", "refs", "re"}
    lowered = [w.lower() for w in ws]
    if any(w in holders for w in lowered) and all(w in holders or w in filler for w in lowered):
        return f"its summary is a placeholder ({' '.join(ws)!r})"
    if len(ws) < min_words:
        return f"its summary has {len(ws)} word(s) ({' '.join(ws)!r}); changeset.min_words is {min_words}"
    return None
