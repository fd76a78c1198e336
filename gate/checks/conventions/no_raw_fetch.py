"""conventions.no-raw-fetch: no call of the global ``fetch``; outbound HTTP goes through
``@platform/http``.

``fetch(...)`` counts when ``fetch`` is not declared or imported in scope; ``globalThis.fetch``,
``window.fetch`` and ``self.fetch`` always count.
"""

from gate.checks._code import code_model, judge, nothing, plural
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources import code_files as cf

GLOBALS = ("globalThis", "window", "self", "global")


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.has_code:
        return nothing(m, "no TypeScript code in src/")
    out: list[Finding] = []
    for c in m.calls:
        if c.tagged or c.callee is None:
            continue
        info = m.info(c.path)
        raw = False
        if c.callee == "fetch":
            raw = cf.is_global(info, "fetch", c.node)
        elif c.callee in {f"{g}.fetch" for g in GLOBALS}:
            raw = cf.is_global(info, c.callee.split(".")[0], c.node)
        if raw:
            out.append(Finding(f"{c.callee}(...) calls the global fetch: use http from @platform/http instead",
                               c.path, c.line, c.line))
    return judge(m, out, f"no call of the global fetch in {plural(len(m.files), 'file')}")
