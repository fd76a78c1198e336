"""The check catalog: every item id, in catalog order, with its seed line and evidence.

Item ids are stable API (reports, waivers, attestations and configuration name them).
The check that judges an item lives in ``gate/checks/<section>/<name>.py`` where ``<name>`` is
the part of the id after the dot with ``-`` written ``_`` (``artifacts.service-yaml`` →
``gate/checks/artifacts/service_yaml.py``, :attr:`Item.module`): its function ``check(ctx)``,
which the engine imports when the item first runs.

This file is the only declaration of an item. Adding a check is three steps: its module (with
``check``), its test, and its line in :data:`ITEMS` (plus, when it reads beyond its service's
folder, its entry in :data:`INPUTS`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    evidence: str
    #: belongs to the pull request, not to one service (reported once, at the top level)
    change_level: bool = False
    #: judged only by ``promote`` (reported on a PR, never blocks it)
    promotion_time: bool = False

    @property
    def section(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def module(self) -> str:
        section, name = self.id.split(".", 1)
        return f"gate.checks.{section}.{name.replace('-', '_')}"


ITEMS: tuple[Item, ...] = (
    Item("artifacts.service-yaml", "service.yaml complete: name, owner, on-call, status=stable, brand_scope, contracts", "repo"),
    Item("artifacts.readme", "README.md exists at service root with run-locally instructions", "repo"),
    Item("artifacts.runbook", "RUNBOOK.md exists with: alarms, dashboards, remediation, escalation, recent incidents", "repo"),
    Item("artifacts.openapi", "openapi.yaml has every route with description AND example", "repo"),
    Item("artifacts.docs-page", "Service detail page renders cleanly in docs site", "repo"),
    Item("conventions.scope-enforcement", "Convention checks: scope enforcement", "repo"),
    Item("conventions.audit", "Convention checks: audit", "repo"),
    Item("conventions.brand-scoping", "Convention checks: brand scoping", "repo"),
    Item("conventions.no-raw-fetch", "Convention checks: no raw fetch", "repo"),
    Item("conventions.no-phi-logging", "Convention checks: no PHI logging", "repo"),
    # the markers are spelled with escapes so that a grep for leftover markers in gate/ stays quiet
    Item("conventions.no-todo", "No T\u004fDO / F\u0049XME comments in critical paths (acceptable in stubs and tests)", "repo"),
    Item("conventions.route-tests", "All routes have integration tests", "repo"),
    Item("conventions.conformance", "Conformance tests pass (audit, brand scoping, scope enforcement)", "github"),
    Item("auth.require-scope", "Every route enforces a scope via requireScope(...)", "repo"),
    Item("auth.m2m-client", "M2M client registered in identity if other services call this", "repo"),
    Item("auth.public-paths", "Public paths explicitly allow-listed in publicPaths (healthz, well-known only)", "repo"),
    Item("auth.baa-gate", "BAA gate enforced for any PHI-returning scope", "repo"),
    Item("data.brand-id", "Every table has brand_id NOT NULL", "repo"),
    Item("data.expand-contract", "Migrations follow expand-only or expand–contract pattern", "repo"),
    Item("data.no-long-locks", "No long-running locks", "repo"),
    Item("data.rollback-doc", "Migration runbook documents rollback procedure", "repo"),
    Item("data.grants", "Postgres role grants verified: append-only audit, no UPDATE/DELETE on ledger", "repo+live"),
    Item("observability.otel", "OTel instrumented: logs, traces, metrics", "repo"),
    Item("observability.service-name", "service.name set in OTel resource attributes", "repo"),
    Item("observability.sentry", "Sentry DSN wired per stage", "repo+live"),
    Item("observability.log-fields", "Structured logs include: request_id, route, status, duration_ms, client_id, brand_id (PHI-safe)", "repo"),
    Item("observability.alarms", "CloudWatch alarms: error rate > 1%, latency p99 > 1s, DLQ depth > 0", "repo+live"),
    Item("observability.paging", "PagerDuty routing: critical → page, warn → Slack", "repo"),
    Item("idempotency.mutation-key", "Mutation endpoints accept Idempotency-Key", "repo"),
    Item("idempotency.event-dedupe", "Event handlers dedupe by event ID + handler scope", "repo"),
    Item("idempotency.cron-retry", "Cron-callable endpoints are safe to retry", "repo"),
    Item("resilience.rate-limits", "Rate limits configured per route class", "repo"),
    Item("resilience.circuit-breakers", "Circuit breakers wrap every outbound vendor call", "repo"),
    Item("resilience.retries", "Retries with exponential backoff + jitter", "repo"),
    Item("resilience.degradation", "Graceful degradation when downstream service is unavailable", "repo"),
    Item("deployment.infra", "infra.ts complete with hostname, scaling per stage, health checks", "repo"),
    Item("deployment.sst-registered", "Service registered in sst.config.ts", "repo"),
    Item("deployment.secrets", "SST Secrets set for dev / staging / prod", "repo+live"),
    Item("deployment.dns", "Cloudflare DNS configured for *.platform.loop.health per stage", "repo+live"),
    Item("deployment.dev-healthz", "Deploys to dev succeed, healthz returns 200", "github+live", promotion_time=True),
    Item("deployment.staging-smoke", "Smoke test against staging passes", "github", promotion_time=True),
    Item("deployment.staging-soak", "Soaked in staging for ≥ 24 hours with no alarms", "github+live", promotion_time=True),
    Item("sdk.generated", "pnpm sdk:gen produces clean output", "repo"),
    Item("sdk.package", "@platform/sdk-<service> package builds + publishes to GitHub Packages", "repo+live"),
    Item("sdk.reference-page", "SDK reference page generated and committed", "repo"),
    Item("sdk.consumer", "At least one consumer (canary, internal app) imports + calls successfully", "repo"),
    Item("oncall.primary", "Primary on-call assigned in service.yaml", "repo"),
    Item("oncall.secondary", "Secondary on-call assigned", "repo"),
    Item("oncall.pagerduty-schedule", "PagerDuty schedule exists", "repo+live"),
    Item("oncall.escalation", "Escalation path documented in RUNBOOK.md", "repo"),
    Item("oncall.dashboard-access", "On-call has read access to dashboards", "attest"),
    Item("oncall.notified", "On-call has been notified before promotion", "attest", promotion_time=True),
    Item("docs.service-page", "Service page has description, status, owner, dashboards link", "repo"),
    Item("docs.concepts", "Concept pages exist for any new domain primitive this service introduces", "repo"),
    Item("docs.connect", "Connect docs updated if this service exposes new partner-facing scopes", "repo"),
    Item("docs.events", "Event reference pages generated for every published event", "repo"),
    Item("docs.cross-links", "Cross-links from related services and concepts back to this service", "repo"),
    Item("promotion.approved", "PR approved by reviewer", "github", change_level=True),
    Item("promotion.ci-green", "No CI failures across all convention checks, typecheck, tests, build, drift checks", "github", change_level=True),
    Item("promotion.freeze", "No merge during a freeze window", "config+clock", change_level=True),
    Item("promotion.changeset", "Changeset has user-facing summary", "repo+github"),
    Item("promotion.rollback", "Rollback procedure tested OR explicitly documented in RUNBOOK.md", "repo+attest"),
    Item("promotion.prod-monitor", "Manual prod deploy triggered + monitored for 30 minutes", "github+live", promotion_time=True),
)

BY_ID: dict[str, Item] = {item.id: item for item in ITEMS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(item.section for item in ITEMS))
SERVICE_ITEMS: tuple[Item, ...] = tuple(i for i in ITEMS if not i.change_level)
CHANGE_ITEMS: tuple[Item, ...] = tuple(i for i in ITEMS if i.change_level)
#: judged after the deploy only; never part of ``ready``
PROD_MONITOR = "promotion.prod-monitor"
ATTESTABLE: frozenset[str] = frozenset({"oncall.notified", "oncall.dashboard-access", "promotion.rollback"})

# -- what each item reads beyond its own service folder -------------------------------------------
#: The repository inputs an item reads besides its own service folder (every item reads that).
#: ``prodgate pr`` computes the services a pull request touches from this declaration
#: (``gate/inputs.py``): a change to an input makes every service whose items read it, and that
#: the change can affect, touched. Kinds:
#:
#: - ``sst-config``: the repository's ``sst.config.ts``;
#: - ``identity-m2m``: identity's M2M client registry (``<services>/identity/m2m-clients.yaml``);
#: - ``manifests``: other services' ``service.yaml`` (``contracts.consumes``: who calls whom);
#: - ``consumers``: TypeScript of other services, of ``packages/`` and ``apps/`` (SDK imports);
#: - ``docs``: the docs root (the service's pages, pages linking to or from them, connect docs);
#: - ``packages``: shared packages under ``packages/`` (the service's SDK package, libraries);
#: - ``changesets``: the changesets folder.
INPUT_KINDS: tuple[str, ...] = ("sst-config", "identity-m2m", "manifests", "consumers", "docs", "packages",
                                "changesets")
INPUTS: dict[str, frozenset[str]] = {
    "artifacts.docs-page": frozenset({"docs"}),
    "auth.m2m-client": frozenset({"identity-m2m", "manifests"}),
    "deployment.sst-registered": frozenset({"sst-config"}),
    "sdk.generated": frozenset({"packages"}),
    "sdk.package": frozenset({"packages"}),
    "sdk.reference-page": frozenset({"docs", "packages"}),
    "sdk.consumer": frozenset({"consumers"}),
    "docs.service-page": frozenset({"docs"}),
    "docs.concepts": frozenset({"docs"}),
    "docs.connect": frozenset({"docs"}),
    "docs.events": frozenset({"docs"}),
    "docs.cross-links": frozenset({"docs", "manifests"}),
    "promotion.changeset": frozenset({"changesets"}),
    # code items resolve helpers through imports, which may lead into shared packages
    **{i: frozenset({"packages"}) for i in (
        "conventions.scope-enforcement", "conventions.audit", "conventions.brand-scoping", "conventions.no-raw-fetch",
        "conventions.no-phi-logging", "auth.require-scope", "auth.public-paths", "auth.baa-gate",
        "observability.otel", "observability.log-fields", "idempotency.mutation-key", "idempotency.event-dedupe",
        "idempotency.cron-retry", "resilience.rate-limits", "resilience.circuit-breakers", "resilience.retries",
        "resilience.degradation")},
}


def reads(kind: str) -> tuple[str, ...]:
    """Ids of the items that read the input ``kind``."""
    return tuple(i for i, kinds in INPUTS.items() if kind in kinds)
