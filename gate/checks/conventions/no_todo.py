"""No work-left marker comment (the two uppercase words of the item's title, as whole words) in `src/`, outside tests (`*.test.ts`, `test/`) and `src/stubs/`. Only comments count (strings do not); each finding is at the comment line holding the word.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: comment nodes of the TypeScript tree.

## How to fix

Do the work, or track it in an issue and remove the comment.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import code_model, judge, nothing, plural
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import code as cm
from gate.sources.ts import files as cf

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
