"""Route paths as Hono builds and matches them.

- :func:`merge_path` is Hono's ``mergePath``: how ``basePath``, ``route(prefix, sub)`` and each
  registration join a prefix and a path (``/api`` + ``/`` → ``/api``; ``use(mw)`` registers
  ``/*``).
- :func:`covers` decides statically whether a ``use`` pattern applies to *every* request a route
  template serves: the gate credits a middleware to a route only then (a pattern that matches
  some of the route's paths — ``/users/:id{[0-9]+}/*`` for ``/users/:name/x`` — does not protect
  the others, so it is not credited).
- :func:`pattern_matches` is Hono's matching of a pattern against a route template (as
  ``publicPaths`` entries are matched); :func:`template_matches` matches a concrete path (a
  test's request) against a template; :func:`normal_template` writes a template so that
  ``/a/:id`` and OpenAPI's ``/a/{x}`` compare equal (:func:`same_template`).
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


# -- templates ---------------------------------------------------------------------------------
def pattern_matches(pattern: str, path: str) -> bool:
    """Hono's matching of a ``use`` pattern against a route template: ``*`` matches any rest
    (a trailing ``/*`` also matches the bare prefix), ``:name`` one segment, anything else the
    exact segment."""
    if pattern in ("*", "/*"):
        return True
    ps = [s for s in pattern.split("/") if s != ""]
    rs = [s for s in path.split("/") if s != ""]
    i = 0
    for j, seg in enumerate(ps):
        if seg == "*":
            if j == len(ps) - 1:
                return True
            if i >= len(rs):
                return False
            i += 1
            continue
        if i >= len(rs):
            return False
        if seg.startswith(":") or seg == rs[i]:
            i += 1
            continue
        return False
    return i == len(rs)


def template_matches(template: str, concrete: str) -> bool:
    """Does a concrete path (``/payments/42``) match a route template (``/payments/:id``)?
    Segments of the concrete path that are ``*`` (an interpolation) match anything; a trailing
    ``/`` must be on both or neither (Hono routes strictly: ``/payments/42/`` is a 404 there)."""
    if len(concrete) > 1 and len(template) > 1 and concrete.endswith("/") != template.endswith("/"):
        return False
    ts_ = [s for s in template.split("/") if s != ""]
    cs = [s for s in concrete.split("/") if s != ""]
    if len(ts_) != len(cs):
        return False
    return all(t.startswith(":") or c == "*" or t == c for t, c in zip(ts_, cs, strict=True))


def same_template(a: str, b: str) -> bool:
    """Two templates with parameters in the same places (``:id`` ≡ ``{id}`` ≡ ``:paymentId``)."""
    return normal_template(a) == normal_template(b)


def normal_template(p: str) -> str:
    """``p`` with each parameter written ``{}``. A trailing ``/`` is kept: Hono routes strictly by
    default (``app.post("/cron/reconcile")`` answers 404 to ``/cron/reconcile/``, and a router
    mounted with ``app.route("/payments", r)`` serves ``r.get("/")`` at ``/payments`` only)."""
    segs = []
    for s in p.split("/"):
        if s.startswith(":") or (s.startswith("{") and s.endswith("}")):
            segs.append("{}")
        else:
            segs.append(s)
    return "/".join(segs) or "/"
