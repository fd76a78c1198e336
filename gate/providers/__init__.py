"""Live evidence: optional, read-only providers for the live halves of items.

A check calls one tiny function of ``live(ctx)`` and combines the answer with its repository
verdict through :func:`combine`::

    res = ...repository half...
    return combine(ctx, res, live(ctx).dns())

Providers (``gate/providers/<name>.py``), configured under ``providers:`` in
``.github/prod-readiness.yml``: ``http`` (deployment.dev-healthz), ``dns`` (deployment.dns),
``aws`` (CloudWatch: observability.alarms, deployment.staging-soak, promotion.prod-monitor; SSM:
deployment.secrets, observability.sentry), ``pagerduty`` (oncall.pagerduty-schedule),
``github_packages`` (sdk.package). See docs/providers.md.

The combination rule (docs/providers.md, "How a live verdict combines"):

- the repository half does not pass → it stands (a fail stays a fail, pending stays pending);
- live proves it → ``pass``, the reason says what the provider saw;
- live disproves it → ``fail`` with the provider's findings — except in ``pr`` mode, where live
  halves are reported, not judged: the item keeps its verdict with the findings as warnings;
- no live verdict (offline, not configured, unreachable) → ``unverified`` in ``promote`` and
  with ``--strict`` (``check``, ``catalog``; never in ``pr``); elsewhere the repository verdict
  stands and the reason says why live was not checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gate.context import Ctx, Providers, RunInfo
from gate.model import Finding, Result, Status
from gate.providers.live import ServiceLive, for_run, prefetch, warn
from gate.providers.session import Live, LiveVerdict

if TYPE_CHECKING:
    from gate.services import Service

__all__ = ["Live", "LiveVerdict", "Providers", "ServiceLive", "combine", "live", "start", "strict_live"]


def live(ctx: Ctx) -> ServiceLive:
    """The live halves of ``ctx``'s service: ``.healthz()``, ``.dns()``, ``.alarms()``,
    ``.alarm_history(stage, since)``, ``.secrets(names)``, ``.pagerduty()``, ``.package()``."""
    return ServiceLive(for_run(ctx.run), ctx)


def start(run: RunInfo, services: Iterable[Service]) -> Live:
    """Make the run's providers and prefetch every live query of ``services`` (those judged)."""
    lv = for_run(run)
    prefetch(lv, run, list(services))
    return lv


def strict_live(run: RunInfo) -> bool:
    """Is a missing live verdict ``unverified`` here (``promote``, ``--strict`` outside ``pr``)?"""
    return run.mode == "promote" or (run.strict and run.mode != "pr")


def combine(ctx: Ctx, repo: Result, lv: LiveVerdict, checked: str | None = None) -> Result:
    """The item's result from its repository (or GitHub) verdict ``repo`` and its live verdict.

    ``repo.reason`` may say that the live half was not checked (shown when no provider was
    asked); ``checked`` is the repository reason to show when a provider was asked (default
    ``repo.reason``)."""
    if repo.status != Status.PASS:
        return repo
    run = ctx.run
    base = repo.reason if checked is None else checked
    if not lv.asked:  # offline, or no provider configured for it
        return Result(Status.UNVERIFIED if strict_live(run) else Status.PASS, repo.findings, repo.reason)
    if lv.proven is True:
        return Result(Status.PASS, repo.findings, f"{base}; live ({lv.provider}): {lv.message}")
    if lv.proven is False:
        findings = lv.findings or (Finding(f"{lv.provider}: {lv.message}"),)
        if run.mode == "pr":
            return Result(Status.PASS, repo.findings + warn(findings),
                          f"{base}; live ({lv.provider}, judged by promote, not on a pull request): {lv.message}")
        return Result(Status.FAIL, findings, f"{base}; live ({lv.provider}) disproves it: {lv.message}")
    if strict_live(run):
        return Result(Status.UNVERIFIED, repo.findings,
                      f"{base}; live half unverified ({lv.provider}): {lv.message}")
    return Result(Status.PASS, repo.findings, f"{base}; live half not verified ({lv.provider}): {lv.message}")
