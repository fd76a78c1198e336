"""Some other service (`services/*/src`), package (`packages/*`, the SDK itself excluded) or app (`apps/*`) imports `@platform/sdk-<name>` by value and calls a member of what it imported — directly (`getPayment()`, `sdk.getPayment()`) or through a client built from it (`const c = new PaymentsClient(); c.payments.get()`). Read with tree-sitter; nothing is run. A service without an SDK package fails.

## Evidence

repo (cross-service).

## How to fix

Call the SDK from a canary or an internal app. A file that imports without calling is reported at its import; with no importer at all, the finding is at the SDK's package.json `name`.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.sources.ts import sdkconsumers, sdkpkg
from gate.sources.ts.imports import ModuleUse, file_uses

APPS_ROOT = "apps"


def _candidates(ctx: Ctx) -> list[str]:
    own_pkg = sdkpkg.package_dir(ctx.config, ctx.service.name) + "/"
    out: list[str] = []
    for svc in ctx.run.all_services:
        if svc.name != ctx.service.name:
            out += ctx.ws.files(svc.rel("src"), (".ts", ".tsx", ".mts"))
    for root in (ctx.config.path("packages"), APPS_ROOT):
        if root:
            out += [p for p in ctx.ws.files(root, (".ts", ".tsx", ".mts")) if not p.startswith(own_pkg)]
    return [p for p in dict.fromkeys(out) if not p.endswith(".d.ts") and "/dist/" not in p]


def check(ctx: Ctx) -> Result:
    pkg = sdkpkg.manifest(ctx.ws, ctx.config, ctx.service.name)
    if pkg is None:
        return failed(sdkpkg.missing_finding(ctx.config, ctx.service.name))
    module = sdkpkg.package_name(ctx.service.name)
    importers: list[ModuleUse] = []
    # the files of _candidates(ctx) whose text contains the module, in its order, from one
    # reading of the repository's files per run (sdkconsumers), not one per service
    for path in sdkconsumers.candidates(ctx.ws, ctx.config, ctx.run.all_services, ctx.service.name,
                                        sdkpkg.package_dir(ctx.config, ctx.service.name) + "/", module):
        for use in file_uses(ctx.ws, path):
            if use.module == module or use.module.startswith(module + "/"):
                if use.call_line is not None:
                    return passed(f"{use.file}:{use.call_line} imports {module} and calls {use.callee}")
                importers.append(use)
    line = pkg.line("name")
    if importers:
        u = importers[0]
        return failed(Finding(f"{u.file} imports {module} but never calls it; no consumer calls the SDK: call it from "
                              "a canary or an internal app", u.file, u.import_line, u.import_line),
                      Finding(f"no other service, package or app calls {module}", pkg.path, line, line))
    return failed(Finding(f"no other service, package or app imports and calls {module}: add a consumer (a canary "
                          "or an internal app) that calls it", pkg.path, line, line))
