"""Reports built by hand for the catalog renderers: ready and not-ready services, owners,
findings, and hostile strings where the repository supplies text."""

from __future__ import annotations

import datetime as dt

from gate import catalog
from gate.model import Finding, ItemResult, Report, ServiceReport, Status

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)

#: strings an attacker controls in a repository (service.yaml, file names, messages)
PAYLOADS: tuple[str, ...] = (
    '<script>document.documentElement.setAttribute("data-pwned","script")</script>',
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">",
    "\"><svg onload=\"document.documentElement.setAttribute('data-pwned','svg')\">",
    "' onmouseover='document.documentElement.setAttribute(\"data-pwned\",\"attr\")' x='",
    'javascript:document.documentElement.setAttribute("data-pwned","js")',
    '</title><script>document.documentElement.setAttribute("data-pwned","title")</script>',
    '</style></script></textarea><b id="pwned">injected</b>',
    "&lt;b&gt;already-escaped&amp;",
)


def items(fail: dict[str, list[Finding]] | None = None, statuses: dict[str, Status] | None = None) -> tuple[ItemResult, ...]:
    """Every service item: ``pass`` unless named in ``fail`` (with findings) or ``statuses``."""
    fail = fail or {}
    statuses = statuses or {}
    out = []
    for it in catalog.SERVICE_ITEMS:
        if it.id in fail:
            out.append(ItemResult(it.id, it.section, it.title, Status.FAIL, tuple(fail[it.id])))
        elif it.id in statuses:
            out.append(ItemResult(it.id, it.section, it.title, statuses[it.id], (), f"{statuses[it.id]} here"))
        else:
            out.append(ItemResult(it.id, it.section, it.title, Status.PASS, (), "proved"))
    return tuple(out)


def service(
    name: str,
    owner: str,
    *,
    ready: bool,
    message: str = "RUNBOOK.md has no 'Recent incidents' section",
    tier: int | None = 1,
    status: str = "stable",
) -> ServiceReport:
    pm = {catalog.PROD_MONITOR: Status.PENDING}
    if ready:
        its = items(statuses=pm)
    else:
        its = items(
            fail={"artifacts.runbook": [Finding(message, f"services/{name}/RUNBOOK.md", 7, 7)]},
            statuses={**pm, "deployment.dns": Status.UNVERIFIED},
        )
    return ServiceReport(name, f"services/{name}", its, status, owner, tier)


def report(*services: ServiceReport, notes: tuple[str, ...] = ()) -> Report:
    return Report("catalog", NOW, (), tuple(services), notes=notes)


def mixed() -> Report:
    """Four services, two owners, both verdicts for each owner."""
    return report(
        service("billing", "team-x", ready=True),
        service("ledger", "team-x", ready=False, message="ledger: the runbook lacks a rollback section"),
        service("payments", "team-y", ready=False),
        service("search", "team-y", ready=True, tier=None, status="beta"),
    )


def hostile() -> Report:
    """A service per payload: the payload is its name, owner, status, path and finding message."""
    out = []
    for n, p in enumerate(PAYLOADS):
        name = p.replace("/", "")  # a service name is a folder name: never a slash
        its = items(
            fail={"artifacts.runbook": [Finding(p, p, 3, 3)]},
            statuses={catalog.PROD_MONITOR: Status.PENDING},
        )
        out.append(ServiceReport(name, p, its, p, p, None))
        out.append(ServiceReport(f"plain-{n}", p, items(), "stable", p, 2))
    return report(*out, notes=PAYLOADS)
