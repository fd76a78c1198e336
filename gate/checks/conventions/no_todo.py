"""conventions.no-todo: No TODO / FIXME comments in critical paths (acceptable in stubs and tests).

Comments only (tree-sitter comment nodes: the words in strings do not count), in ``src/``
outside tests and ``src/stubs/``.
"""

from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources import code as cm
from gate.sources.code_rules import judge, nothing, plural


def check(ctx: Ctx) -> Result:
    m = cm.code_model(ctx)
    if not m.has_code:
        return nothing(m, "no TypeScript code in src/")
    out: list[Finding] = []
    for c in m.comments:
        for line in cm.todo_lines(c):
            out.append(Finding("TODO/FIXME comment in service code: do the work, or track it in an issue and "
                               "remove the comment", c.path, line, line))
    return judge(m, out, f"no TODO or FIXME comment in {plural(len(m.files), 'file')} of src/")
