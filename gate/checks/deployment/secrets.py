"""Every `Resource.<X>` the service's code reads (`Resource` imported from `sst`, under any local name or through a namespace import; `Resource["X"]` and `const { X } = Resource` read `X` too; files under `src/` except tests and `src/stubs/`; `Resource.App` is SST's built-in and not a secret) is declared in infra.ts as `new sst.Secret("<X>")` and linked to the service (`link: [...]` of its `new sst.aws.Service`) in dev, staging and prod. A linked resource of another kind constructed with the name `<X>` (`new sst.aws.Bucket("<X>")`) satisfies the read too. No `Resource.<X>` read → `skip`. A use of `Resource` that does not write the resource's name (`Resource[key]`, `const r = Resource`, `f(Resource)`) fails at that use: which secret it needs cannot be verified statically.

Findings are at the `link` property's line in infra.ts and name the read: "secret PaymentsStripeKey is read in src/charge.ts:12 but not linked to the service".

A secret the code reads that is declared with a placeholder value (`new sst.Secret("X", "placeholder")`) gives a notice: a stage where it was never set runs with the placeholder.

## Evidence

repo: the code analysis of `src/` and infra.ts, evaluated per stage (a `link` that differs per stage is judged per stage; a link entry imported from another file cannot be verified statically and is reported as such).

Live (each secret is set in each stage) comes from the `aws` provider's SSM lookup ([providers.md](../providers.md)): a missing one fails the item at its `new sst.Secret` line; without an answer it is `unverified` in `promote`.

## How to fix

`const stripeKey = new sst.Secret("PaymentsStripeKey");` and `link: [..., stripeKey]`; then `sst secret set PaymentsStripeKey <value> --stage <stage>` for dev, staging and prod.
"""

from __future__ import annotations

from gate.checks._code import resource_reads
from gate.checks._infra import infra_model
from gate.context import Ctx
from gate.model import Finding, Level, Result, failed, passed, skipped
from gate.providers import combine, live
from gate.sources.ts.infra import (
    UNVERIFIABLE,
    StageFindings,
    check_secret,
    missing_infra,
    no_service,
    read_location,
)

BUILTIN = frozenset({"App"})


def check(ctx: Ctx) -> Result:
    reads: dict[str, str] = {}
    opaque: list[Finding] = []
    for r in sorted(resource_reads(ctx), key=lambda r: (r.path, r.line)):
        if r.opaque:
            opaque.append(Finding(f"{r.name} reads SST's Resource without naming the resource: which "
                                  f"secret it needs {UNVERIFIABLE}; read it as Resource.<Name>", r.path, r.line,
                                  r.line))
        elif r.name not in BUILTIN:
            reads.setdefault(r.name, read_location(ctx.service.dir, r.path, r.line))
    if not reads and not opaque:
        return skipped("the code reads no Resource.<X> besides Resource.App: no secret to declare")
    if not reads:
        return failed(*opaque)
    infra = infra_model(ctx)
    if infra.file is None:
        return failed(missing_infra(infra))
    if infra.service is None:
        return failed(*infra.errors, no_service(infra))
    sf = StageFindings(infra)
    for name, where in reads.items():
        check_secret(infra, sf, name, where)
    findings = sf.findings()
    notes = [Finding(f'secret {name} is declared with a placeholder value (new sst.Secret("{name}", ...)): a stage '
                     "where it was never set runs with the placeholder; prefer no placeholder outside dev",
                     infra.path, line, line, Level.NOTICE)
             for name, line in sorted(infra.placeholders.items()) if name in reads]
    if findings or opaque:
        return failed(*infra.errors, *opaque, *findings, *notes)
    names = ", ".join(sorted(reads))
    ok = (f"{len(reads)} resource(s) read by the code ({names}) are declared in infra.ts and linked in dev, "
          "staging and prod")
    declared = [n for n in reads if n in infra.secrets]  # other linked resources are not secrets
    return combine(ctx, passed(f"{ok}; whether each secret is set in each stage was not checked live", *notes),
                   live(ctx).secrets(declared), ok)
