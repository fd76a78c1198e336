"""deployment.secrets: SST Secrets set for dev / staging / prod.

Repo half, per the conventions: every ``Resource.<X>`` the service's code reads (``src/``
without tests and stubs; ``Resource.App`` is SST's built-in) is a ``new sst.Secret("<X>")``
declared in infra.ts and linked to the service (``link: [...]``) in dev, staging and prod (a
linked resource of another kind constructed with the name ``X`` also satisfies the read). The
live half (each secret is set in each stage) comes from the SSM provider (``gate.providers``; docs/providers.md), combined with ``gate.providers.combine``.
"""

from __future__ import annotations

from gate.checks._code import resource_reads
from gate.checks._infra import infra_model
from gate.context import Ctx
from gate.model import Finding, Level, Result, failed, passed, skipped
from gate.providers import combine, live
from gate.sources.infra import (
    StageFindings,
    check_secret,
    missing_infra,
    no_service,
    read_location,
)

BUILTIN = frozenset({"App"})


def check(ctx: Ctx) -> Result:
    reads: dict[str, str] = {}
    for r in sorted(resource_reads(ctx), key=lambda r: (r.path, r.line)):
        if r.name not in BUILTIN:
            reads.setdefault(r.name, read_location(ctx.service.dir, r.path, r.line))
    if not reads:
        return skipped("the code reads no Resource.<X> besides Resource.App: no secret to declare")
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
    if findings:
        return failed(*infra.errors, *findings, *notes)
    names = ", ".join(sorted(reads))
    ok = (f"{len(reads)} resource(s) read by the code ({names}) are declared in infra.ts and linked in dev, "
          "staging and prod")
    declared = [n for n in reads if n in infra.secrets]  # other linked resources are not secrets
    return combine(ctx, passed(f"{ok}; whether each secret is set in each stage was not checked live", *notes),
                   live(ctx).secrets(declared), ok)
