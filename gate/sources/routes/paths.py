"""Route paths as Hono builds and matches them.

- :func:`merge_path` is Hono's ``mergePath``: how ``basePath``, ``route(prefix, sub)`` and each
  registration join a prefix and a path (``/api`` + ``/`` → ``/api``; ``use(mw)`` registers
  ``/*``).
- :func:`covers` decides statically whether a ``use`` pattern applies to *every* request a route
  template serves: the gate credits a middleware to a route only then (a pattern that matches
  some of the route's paths — ``/users/:id{[0-9]+}/*`` for ``/users/:name/x`` — does not protect
  the others, so it is not credited).
"""

from __future__ import annotations

import fnmatch
import functools
import re


def merge_path(base: str, sub: str) -> str:
    """Hono's ``mergePath(base, sub)``."""
    head = "" if base.startswith("/") else "/"
    if sub == "/":
        return f"{head}{base}"
    sep = "" if base.endswith("/") else "/"
    return f"{head}{base}{sep}{sub[1:] if sub.startswith('/') else sub}"


_PARAM = re.compile(r"^:([A-Za-z0-9_$]+)(\{.*\})?(\?)?$")


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s != ""]


def expand_optional(template: str) -> list[str]:
    """A template with optional parameters (``/a/:b?``) as the templates it stands for."""
    segs = _segments(template)
    out = [[]]  # type: list[list[str]]
    for i, s in enumerate(segs):
        m = _PARAM.match(s)
        if m and m.group(3) and i == len(segs) - 1:
            base = [list(o) for o in out]
            out = [[*o, s[:-1]] for o in out] + base
        else:
            out = [[*o, s] for o in out]
    return ["/" + "/".join(o) for o in out]


@functools.lru_cache(maxsize=4096)
def _constraint(seg: str) -> re.Pattern[str] | None:
    m = _PARAM.match(seg)
    if m is None or not m.group(2):
        return None
    try:
        return re.compile(m.group(2)[1:-1])
    except re.error:
        return re.compile(r"(?!)")


def _seg_covers(p: str, r: str) -> bool:
    """Does pattern segment ``p`` match every value of route segment ``r``?"""
    pm = _PARAM.match(p)
    rm = _PARAM.match(r)
    if pm is not None:
        if not pm.group(2):
            return True  # :name matches any one segment
        if rm is not None:
            return (rm.group(2) or "") == pm.group(2)  # same constraint only
        c = _constraint(p)
        return c is not None and c.fullmatch(r) is not None
    if rm is not None or r == "*":
        return p == "*"
    if "*" in p:
        return fnmatch.fnmatchcase(r, p)
    return p == r


def covers(pattern: str, template: str) -> bool:
    """Does the ``use`` pattern match every request path the route template serves?"""
    if pattern in ("*", "/*"):
        return True
    return all(_covers(_segments(pattern), _segments(t)) for t in expand_optional(template))


def _covers(ps: list[str], rs: list[str]) -> bool:
    # iterative over (i, j) states; '*' as the last pattern segment matches any rest (also none)
    todo = [(0, 0)]
    seen: set[tuple[int, int]] = set()
    while todo:
        i, j = todo.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(ps):
            if j == len(rs):
                return True
            continue
        p = ps[i]
        if p == "*":
            if i == len(ps) - 1:
                return True
            # a '*' inside a pattern matches exactly one segment (as Hono's routers do)
            if j < len(rs) and (rs[j] != "*" or j < len(rs) - 1):
                todo.append((i + 1, j + 1))
            continue
        if "*" in p and i == len(ps) - 1 and p.endswith("*") and "*" not in p[:-1] and ":" not in p:
            # '/v2*': the literal prefix, then anything (slashes included)
            if "/".join(rs[j:]).startswith(p[:-1]):
                return True
            continue
        pm = _PARAM.match(p)
        if pm is not None and pm.group(3) and i == len(ps) - 1:
            if j == len(rs) or (j == len(rs) - 1 and _seg_covers(p[:-1], rs[j])):
                return True
            continue
        if j < len(rs) and _seg_covers(p, rs[j]):
            todo.append((i + 1, j + 1))
    return False
