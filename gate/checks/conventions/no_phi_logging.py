"""No call of `logger.*`, `log.*`, `console.*` or `c.var.logger.*` (config `loggers`; `c.var.logger` matches whatever the context parameter is called) whose arguments mention a PHI field (config `phi_fields`) as an identifier, a property name (`patient.dateOfBirth`) or an object key, compared case-insensitively without `_` (`date_of_birth` ≡ `dateOfBirth`). A property read with a string (`patient["email"]`) and a computed key with a string (`{ ["ssn"]: x }`) are names too. Words inside other string literals are not fields.

A logger reached through a local alias is a logger: `const l = logger; l.info(...)`, `const { info } = logger; info(...)`, `const child = logger.child({...}); child.info(...)`, and `logger.child({...}).info(...)`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: logging calls in `src/`.

## How to fix

Log an opaque identifier (`patient_id`) instead of the field.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import code_model, judge, normal_name, nothing, plural
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.has_code:
        return nothing(m, "no TypeScript code in src/")
    phi = {normal_name(str(p)): str(p) for p in ctx.config.phi_fields}
    out: list[Finding] = []
    for c in m.log_calls:
        f = m.info(c.path).f
        hits: list[str] = []
        for a in c.args:
            for name, _ in cf.names_in(f, a):
                key = normal_name(name)
                if key in phi and name not in hits:
                    hits.append(name)
        if hits:
            out.append(Finding(f"{c.callee}(...) logs PHI field{'s' if len(hits) > 1 else ''} {', '.join(hits)}: "
                               "remove it from the log (log an opaque id instead)", c.path, c.line, c.line))
    return judge(m, out, f"{plural(len(m.log_calls), 'logging call')}, none mentioning a PHI field")
