"""conventions.no-todo: no work-left marker comments in critical paths (acceptable in stubs and
tests).

The markers are :data:`gate.sources.code.MARKERS`, as whole words, in comments only
(tree-sitter comment nodes: the words in strings do not count), in ``src/`` outside tests and
``src/stubs/``.
"""

from gate.checks._code import code_model, judge, nothing, plural
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources import code as cm
from gate.sources import code_files as cf

WORDS = "/".join(cm.MARKERS)


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.has_code:
        return nothing(m, "no TypeScript code in src/")
    out: list[Finding] = []
    for c in m.comments:
        if cf.is_stub_or_test(m.service_dir, c.path):  # imported by production code, judged by the others
            continue
        for line in cm.marker_lines(c):
            out.append(Finding(f"{WORDS} comment in service code: do the work, or track it in an issue and "
                               "remove the comment", c.path, line, line))
    return judge(m, out, f"no {WORDS} comment in {plural(len(m.files), 'file')} of src/")
