"""The service's code (`src/`, not tests or stubs) calls `Sentry.init({ dsn: Resource.<Secret>.value, environment: ... })` (`Sentry` from an `@sentry/*` package):

- the call is Sentry's: `<X>.init(...)` where `<X>` is a namespace or default import of an `@sentry/*` package (`import * as Sentry from "@sentry/node"`, any local name), or `init` imported by name from one (`import { init } from "@sentry/node"`), also through the service's own re-exports (`export * as Sentry from "@sentry/node"` in a local module); a `Sentry.init` whose `Sentry` is a local module, a global or anything else is not credited (the finding names it);

- `dsn` is read from an SST secret (`Resource.<Secret>.value`, directly or through a module-level const), not a literal, and nothing after it in the options may set it again (JavaScript applies entries in order: a spread after `dsn` that the gate cannot follow, or a constant one that sets `dsn`, is a finding at the spread);
- it is not switched off with `enabled: false`;
- `environment` is set and is not a constant string (use `Resource.App.stage`), so each stage reports as itself;
- infra.ts declares `new sst.Secret("<Secret>")` and links it to the service in dev, staging and prod (same rules and messages as `deployment.secrets`, at the `link` line).

## Evidence

repo: the code analysis and infra.ts. Live (the secret is set in each stage) comes from the `aws` provider's SSM lookup ([providers.md](../providers.md)): a stage without it fails the item at the secret's declaration; without an answer it is `unverified` in `promote`.

## How to fix

`Sentry.init({ dsn: Resource.PaymentsSentryDsn.value, environment: Resource.App.stage })`, `const sentryDsn = new sst.Secret("PaymentsSentryDsn")` and `link: [sentryDsn, ...]`.
"""

from __future__ import annotations

from tree_sitter import Node

from gate.checks._code import code_model, sentry_inits
from gate.checks._infra import infra_model
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.providers import combine, live
from gate.sources.ts import parse as ts
from gate.sources.ts.files import object_keys, value_of_pair
from gate.sources.ts.infra import StageFindings, check_secret, missing_infra, no_service, read_location

EXAMPLE = "Sentry.init({ dsn: Resource.<Service>SentryDsn.value, environment: Resource.App.stage })"


def check(ctx: Ctx) -> Result:
    model = code_model(ctx)
    inits = sentry_inits(ctx)
    if not inits:
        path = next((p for p in model.files if p.endswith(("/index.ts", "/main.ts"))),
                    model.files[0] if model.files else ctx.path("src"))
        fake = next((c for c in model.calls if c.callee is not None and c.callee.endswith("Sentry.init")), None)
        if fake is not None:
            return failed(Finding(f"{fake.callee}(...) is not Sentry's init: `Sentry` there is not imported from an "
                                  f"@sentry/* package (import * as Sentry from \"@sentry/node\"), so the service "
                                  f"never calls Sentry.init; call {EXAMPLE} at startup", fake.path, fake.line,
                                  fake.line))
        return failed(Finding(f"the service's code never calls Sentry.init: call {EXAMPLE} at startup", path))
    findings: list[Finding] = []
    secrets: dict[str, str] = {}
    for call in inits:
        f = model.info(call.path).f
        line = call.line
        opts = call.args[0] if call.args else None
        if opts is not None and opts.type == "identifier":
            _, opts = model.value(call.path, opts)
        if opts is None or opts.type != "object":
            findings.append(Finding(f"Sentry.init is not given an options object: call {EXAMPLE}", call.path, line, line))
            continue
        keys = object_keys(f, opts)
        dsn = keys.get("dsn")
        entries = model.members(call.path, opts)
        last = max((i for i, e in enumerate(entries) if e.key == "dsn"), default=-1)
        later = [e for e in entries[last + 1:] if e.key is None] if dsn is not None else []
        if later:
            sline = ts.line_of(later[0].node)
            shown = " ".join(model.text(later[0].path, later[0].node).split())
            findings.append(Finding(f"Sentry.init options spread {shown} after dsn, which may override it and which "
                                    "the gate cannot follow: put the spread first, or set dsn after it",
                                    later[0].path, sline, sline))
        elif dsn is not None and last >= 0 and entries[last].node.id != dsn.id:
            dline = ts.line_of(entries[last].node)
            findings.append(Finding("Sentry.init's dsn is overridden by a later spread: set dsn: "
                                    "Resource.<Secret>.value after it", entries[last].path, dline, dline))
        if dsn is None:
            findings.append(Finding(f"Sentry.init sets no dsn: call {EXAMPLE}", call.path, line, line))
        else:
            name = _secret_of(ctx, call.path, dsn)
            dline = ts.line_of(dsn)
            if name is None:
                text = " ".join(f.text(value_of_pair(dsn)).split())
                findings.append(Finding(f"Sentry.init dsn is {text}, not an SST secret: read it with "
                                        "dsn: Resource.<Secret>.value", call.path, dline, dline))
            else:
                secrets.setdefault(name, read_location(ctx.service.dir, call.path, dline))
        off = keys.get("enabled")
        if off is not None and ts.literal(f, value_of_pair(off)) is False:
            oline = ts.line_of(off)
            findings.append(Finding("Sentry.init sets enabled: false: no stage reports to Sentry; remove it",
                                    call.path, oline, oline))
        env = keys.get("environment")
        if env is None:
            findings.append(Finding("Sentry.init sets no environment: set environment: Resource.App.stage so each "
                                    "stage reports as itself", call.path, line, line))
        else:
            ev = ts.literal(f, value_of_pair(env))
            if isinstance(ev, str):
                eline = ts.line_of(env)
                findings.append(Finding(f'Sentry.init environment is the constant "{ev}": every stage would report '
                                        "as it; set environment: Resource.App.stage", call.path, eline, eline))
    if secrets:
        infra = infra_model(ctx)
        if infra.file is None:
            findings.append(missing_infra(infra))
        elif infra.service is None:
            findings.append(no_service(infra))
        else:
            sf = StageFindings(infra)
            for name, where in secrets.items():
                check_secret(infra, sf, name, where)
            findings.extend(sf.findings())
    if findings:
        return failed(*findings)
    names = ", ".join(sorted(secrets))
    ok = (f"Sentry.init reads its dsn from {names} (declared in infra.ts and linked in dev, staging and prod) "
          "and sets environment per stage")
    return combine(ctx, passed(f"{ok}; whether the secret is set in each stage was not checked live"),
                   live(ctx).secrets(secrets), ok)


def _secret_of(ctx: Ctx, path: str, pair: Node) -> str | None:
    """``X`` when the dsn is ``Resource.X.value`` (directly, or through a module-level const)."""
    model = code_model(ctx)
    info = model.info(path)
    f = info.f
    node = value_of_pair(pair)
    if node.type == "shorthand_property_identifier":
        bound = info.top_values.get(f.text(node))
        if bound is None:
            return None
        node = bound
    if node.type == "identifier":
        path, node = model.value(path, node)
        f = model.info(path).f
    dn = ts.dotted_name(f, node)
    if dn is None:
        return None
    parts = dn.split(".")
    if len(parts) == 3 and parts[0] == "Resource" and parts[2] == "value" and parts[1] != "App":
        return parts[1]
    return None
