"""The repository's `sst.config.ts` `run()` (the `run` of the object given to `$config(...)`) imports `./services/<name>/infra` unconditionally (`await import("./services/<name>/infra")`, with or without an extension; a static top-level import also counts) exactly once, and that infra.ts exists. Findings:

- not imported: at `run()`'s line;
- imported twice (SST would declare the service's resources twice): at the second import;
- imported outside `run()` (in `app()`): at that import;
- commented out (`// await import(...)` or inside a `/* */` block; comments are read as comments, not code): at the comment's line. A commented-out copy beside a live import only gives a notice;
- imported only on some of run()'s paths: under an `if`, a `?:`, `&&`/`||`/`??`, in a loop, a `switch` case, a `catch` block, after a `return`, or inside a function that run() may never call. A condition on `$app.stage` is evaluated per stage (`if ($app.stage !== "prod")` registers the service in dev and staging only: a failure naming prod); any other condition cannot be evaluated statically and fails: at the import;
- an import of a computed path (`` import(`./services/${name}/infra`) ``) cannot be verified statically and is reported when the service has no literal import.

## Evidence

repo: `sst.config.ts` parsed with tree-sitter (the services root follows `paths.services`).

## How to fix

Add `await import("./services/<name>/infra");` to `run()` once, uncommented.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Level, Result, failed, passed, verdict
from gate.sources.ts.infra import SST_CONFIG, STAGES, sst_config, stages_text


def check(ctx: Ctx) -> Result:
    root = ctx.config.path("services")
    cfg = sst_config(ctx.ws, root)
    name = ctx.service.name
    module = f"./{root}/{name}/infra" if root else f"./{name}/infra"
    add = f'add await import("{module}") to run()'
    if not cfg.exists:
        return failed(Finding(f"{SST_CONFIG} is missing: add it at the repository root and {add}", SST_CONFIG))
    mine = cfg.of(name)
    live = [i for i in mine if i.in_run]
    outside = [i for i in mine if not i.in_run]
    commented = [i for i in cfg.commented if i.service == name]
    findings: list[Finding] = list(cfg.errors)
    for i in outside:
        findings.append(Finding(f"{module} is imported at line {i.line} outside run(): SST registers only what "
                                "run() imports; move the import into run()", SST_CONFIG, i.line, i.line))
    twice = [i for i in live if i.stages]  # imports of exclusive branches are not duplicates
    if any(sum(s in i.stages for i in live) > 1 for s in STAGES):
        lines = " and ".join(str(i.line) for i in twice) if len(twice) == 2 else ", ".join(str(i.line) for i in twice)
        for i in twice[1:]:
            findings.append(Finding(f"{module} is imported {len(live)} times in {SST_CONFIG} (lines {lines}): SST "
                                    "would declare its resources twice; keep one import", SST_CONFIG, i.line, i.line))
    covered = {s for i in live for s in i.stages}
    if live and len(covered) < len(STAGES):
        missing = [s for s in STAGES if s not in covered]
        for i in live:
            if len(i.stages) == len(STAGES):
                continue
            what = f"only in {stages_text(list(i.stages))}" if i.stages else "in no stage for sure"
            findings.append(Finding(f"{module} is imported at line {i.line} {i.unsure}: run() executes it {what}, so "
                                    f"the service is not surely registered for {stages_text(missing)}; import it "
                                    "unconditionally in run()", SST_CONFIG, i.line, i.line))
    if not live and not outside:
        if commented:
            for c in commented:
                findings.append(Finding(f"the import of {module} at line {c.line} is commented out: the service is "
                                        "not registered; restore it in run()", SST_CONFIG, c.line, c.line))
        elif cfg.computed:
            for line, text in cfg.computed:
                findings.append(Finding(f"{SST_CONFIG} imports a computed path at line {line} ({text}); whether it "
                                        f"registers {name} cannot be verified statically: {add}",
                                        SST_CONFIG, line, line))
        else:
            line = cfg.run_line or 1
            where = "run()" if cfg.run_line else f"{SST_CONFIG} (it has no run())"
            findings.append(Finding(f"{where} does not import {module}: {add}", SST_CONFIG, line, line))
    infra_path = ctx.path("infra.ts")
    if live and not ctx.ws.exists(infra_path):
        findings.append(Finding(f"{SST_CONFIG} imports {module} but {infra_path} does not exist",
                                SST_CONFIG, live[0].line, live[0].line))
    if findings:
        return verdict(findings, "")
    notes = [Finding(f"a commented-out import of {module} at line {c.line}: remove it", SST_CONFIG, c.line, c.line,
                     Level.NOTICE) for c in commented]
    return passed(f"{SST_CONFIG} run() imports {module} once (line {live[0].line})", *notes)
