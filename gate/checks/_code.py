"""What the checks that read code are given: the service's code analysis, and the verdicts they share.

:func:`code_model` is the service's :class:`gate.sources.ts.code.CodeModel` (one analysis per
service and run); :func:`embedded_sql`, :func:`resource_reads` and :func:`sentry_inits` are the
parts other items read. :func:`judge`, :func:`nothing`, :func:`judge_routes` and
:func:`no_routes` turn findings into a verdict the same way for every code item: a file that
does not parse, or a route table the gate could not complete, never passes and never skips.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, skipped, verdict
from gate.sources.ts import code as cm
from gate.sources.ts.embedded_sql import EmbeddedStatement
from gate.sources.ts.files import Call, Member
from gate.sources.ts.routes.paths import pattern_matches
from gate.sources.ts.routes.table import Route

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
MUTATIONS = frozenset({"POST", "PUT", "PATCH", "DELETE", "ALL"})  # ALL: app.all / mount serve POST too


def code_model(ctx: Ctx) -> cm.CodeModel:
    """The service's code analysis (computed once per run)."""
    return cm.model(ctx.ws, ctx.config, ctx.service.dir)


def embedded_sql(ctx: Ctx) -> list[EmbeddedStatement]:
    """Every SQL statement embedded in the service's code (``sql`` tagged templates and strings
    given to ``db.query/one/many/none``), parsed with pglast, with the TypeScript file and the
    line of the statement's first keyword. Statements that do not parse are left out (the
    ``conventions.brand-scoping`` item reports them)."""
    return code_model(ctx).statements


def resource_reads(ctx: Ctx) -> list[cm.ResourceRead]:
    """Every ``Resource.<X>`` read in the service's code (``Resource`` imported from ``sst``)."""
    return code_model(ctx).resource_reads


def sentry_inits(ctx: Ctx) -> list[Call]:
    """Every ``Sentry.init(...)`` call (``Sentry`` imported from an ``@sentry/*`` package, or
    written ``Sentry.init``); ``call.args[0]`` is the options node, read it with
    :func:`gate.sources.ts.parse.literal` on ``code_model(ctx).info(call.path).f``."""
    return code_model(ctx).sentry_inits


def helper(ctx: Ctx, name: str) -> str:
    """The name the service's code calls a platform helper by (``helpers.<name>``)."""
    return ctx.config.helper(name)


def opaque_spreads(m: cm.CodeModel, entries: list[Member], most: int = 3) -> tuple[str, int]:
    """The spreads among an object's entries that the gate could not follow
    (:meth:`gate.sources.ts.code.CodeModel.members`), as written, each once: (``"...a, ...b
    and 4 more"``, how many); ``("", 0)`` when there is none."""
    seen: list[str] = []
    for e in entries:
        if e.key is None:
            t = " ".join(m.text(e.path, e.node).split())
            if t not in seen:
                seen.append(t)
    shown = ", ".join(seen[:most]) + (f" and {len(seen) - most} more" if len(seen) > most else "")
    return shown, len(seen)


# -- verdict helpers --------------------------------------------------------------------------
def judge(m: cm.CodeModel, findings: list[Finding], ok: str) -> Result:
    """``fail`` with the syntax errors of the service's files first, else ``pass``/``fail``."""
    return verdict([*m.errors, *findings], ok)


def nothing(m: cm.CodeModel, reason: str) -> Result:
    """"Nothing to judge": ``skip`` — unless a file could not be parsed (then nothing can be
    said about it, and the item fails at the syntax error)."""
    if m.errors:
        return failed(*m.errors)
    return skipped(reason)


def judge_routes(m: cm.CodeModel, findings: list[Finding], ok: str) -> Result:
    """:func:`judge` for an item that reads the route table: where the route analysis lost a
    trail (:attr:`gate.sources.ts.code.CodeModel.route_problems`), it fails there too — a route
    table the gate could not complete never passes."""
    return verdict([*m.errors, *m.route_problems, *findings], ok)


def no_routes(m: cm.CodeModel, reason: str) -> Result:
    """:func:`nothing` for an item that reads the route table: never ``skip`` when the route
    analysis lost a trail or a Hono app yields no route."""
    if m.route_problems:
        return failed(*m.errors, *m.route_problems)
    return nothing(m, reason)


def at(route: Route, message: str) -> Finding:
    return Finding(message, route.file, route.line, route.line)


def at_call(call: Call, message: str) -> Finding:
    return Finding(message, call.path, call.line, call.line)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def normal_name(s: str) -> str:
    """A name compared loosely: ``brand_id``, ``brandId`` and ``brand-id`` are one."""
    return s.replace("_", "").replace("-", "").lower()


# -- public routes ----------------------------------------------------------------------------
def public_set(m: cm.CodeModel) -> set[str]:
    """The literal entries of the service's ``publicPaths``."""
    return {v for v, _ in m.public_paths.entries} if m.public_paths else set()


def is_public(m: cm.CodeModel, route: Route) -> bool:
    """Is the route listed in ``publicPaths`` (exactly, or by a ``*`` pattern)?"""
    return any(p == route.path or ("*" in p and pattern_matches(p, route.path)) for p in public_set(m))
