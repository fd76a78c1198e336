"""The registry: every catalog id and the function that judges it, in catalog order.

Explicit on purpose: a newcomer finds a check from its id here or by its path
(``artifacts.service-yaml`` → ``gate/checks/artifacts/service_yaml.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from gate.checks.artifacts import docs_page as artifacts_docs_page
from gate.checks.artifacts import openapi as artifacts_openapi
from gate.checks.artifacts import readme as artifacts_readme
from gate.checks.artifacts import runbook as artifacts_runbook
from gate.checks.artifacts import service_yaml as artifacts_service_yaml
from gate.checks.auth import baa_gate as auth_baa_gate
from gate.checks.auth import m2m_client as auth_m2m_client
from gate.checks.auth import public_paths as auth_public_paths
from gate.checks.auth import require_scope as auth_require_scope
from gate.checks.conventions import audit as conventions_audit
from gate.checks.conventions import brand_scoping as conventions_brand_scoping
from gate.checks.conventions import conformance as conventions_conformance
from gate.checks.conventions import no_phi_logging as conventions_no_phi_logging
from gate.checks.conventions import no_raw_fetch as conventions_no_raw_fetch
from gate.checks.conventions import no_todo as conventions_no_todo
from gate.checks.conventions import route_tests as conventions_route_tests
from gate.checks.conventions import scope_enforcement as conventions_scope_enforcement
from gate.checks.data import brand_id as data_brand_id
from gate.checks.data import expand_contract as data_expand_contract
from gate.checks.data import grants as data_grants
from gate.checks.data import no_long_locks as data_no_long_locks
from gate.checks.data import rollback_doc as data_rollback_doc
from gate.checks.deployment import dev_healthz as deployment_dev_healthz
from gate.checks.deployment import dns as deployment_dns
from gate.checks.deployment import infra as deployment_infra
from gate.checks.deployment import secrets as deployment_secrets
from gate.checks.deployment import sst_registered as deployment_sst_registered
from gate.checks.deployment import staging_smoke as deployment_staging_smoke
from gate.checks.deployment import staging_soak as deployment_staging_soak
from gate.checks.docs import concepts as docs_concepts
from gate.checks.docs import connect as docs_connect
from gate.checks.docs import cross_links as docs_cross_links
from gate.checks.docs import events as docs_events
from gate.checks.docs import service_page as docs_service_page
from gate.checks.idempotency import cron_retry as idempotency_cron_retry
from gate.checks.idempotency import event_dedupe as idempotency_event_dedupe
from gate.checks.idempotency import mutation_key as idempotency_mutation_key
from gate.checks.observability import alarms as observability_alarms
from gate.checks.observability import log_fields as observability_log_fields
from gate.checks.observability import otel as observability_otel
from gate.checks.observability import paging as observability_paging
from gate.checks.observability import sentry as observability_sentry
from gate.checks.observability import service_name as observability_service_name
from gate.checks.oncall import dashboard_access as oncall_dashboard_access
from gate.checks.oncall import escalation as oncall_escalation
from gate.checks.oncall import notified as oncall_notified
from gate.checks.oncall import pagerduty_schedule as oncall_pagerduty_schedule
from gate.checks.oncall import primary as oncall_primary
from gate.checks.oncall import secondary as oncall_secondary
from gate.checks.promotion import approved as promotion_approved
from gate.checks.promotion import changeset as promotion_changeset
from gate.checks.promotion import ci_green as promotion_ci_green
from gate.checks.promotion import freeze as promotion_freeze
from gate.checks.promotion import prod_monitor as promotion_prod_monitor
from gate.checks.promotion import rollback as promotion_rollback
from gate.checks.resilience import circuit_breakers as resilience_circuit_breakers
from gate.checks.resilience import degradation as resilience_degradation
from gate.checks.resilience import rate_limits as resilience_rate_limits
from gate.checks.resilience import retries as resilience_retries
from gate.checks.sdk import consumer as sdk_consumer
from gate.checks.sdk import generated as sdk_generated
from gate.checks.sdk import package as sdk_package
from gate.checks.sdk import reference_page as sdk_reference_page
from gate.context import ChangeCtx, Ctx
from gate.model import Result

SERVICE_CHECKS: dict[str, Callable[[Ctx], Result]] = {
    "artifacts.service-yaml": artifacts_service_yaml.check,
    "artifacts.readme": artifacts_readme.check,
    "artifacts.runbook": artifacts_runbook.check,
    "artifacts.openapi": artifacts_openapi.check,
    "artifacts.docs-page": artifacts_docs_page.check,
    "conventions.scope-enforcement": conventions_scope_enforcement.check,
    "conventions.audit": conventions_audit.check,
    "conventions.brand-scoping": conventions_brand_scoping.check,
    "conventions.no-raw-fetch": conventions_no_raw_fetch.check,
    "conventions.no-phi-logging": conventions_no_phi_logging.check,
    "conventions.no-todo": conventions_no_todo.check,
    "conventions.route-tests": conventions_route_tests.check,
    "conventions.conformance": conventions_conformance.check,
    "auth.require-scope": auth_require_scope.check,
    "auth.m2m-client": auth_m2m_client.check,
    "auth.public-paths": auth_public_paths.check,
    "auth.baa-gate": auth_baa_gate.check,
    "data.brand-id": data_brand_id.check,
    "data.expand-contract": data_expand_contract.check,
    "data.no-long-locks": data_no_long_locks.check,
    "data.rollback-doc": data_rollback_doc.check,
    "data.grants": data_grants.check,
    "observability.otel": observability_otel.check,
    "observability.service-name": observability_service_name.check,
    "observability.sentry": observability_sentry.check,
    "observability.log-fields": observability_log_fields.check,
    "observability.alarms": observability_alarms.check,
    "observability.paging": observability_paging.check,
    "idempotency.mutation-key": idempotency_mutation_key.check,
    "idempotency.event-dedupe": idempotency_event_dedupe.check,
    "idempotency.cron-retry": idempotency_cron_retry.check,
    "resilience.rate-limits": resilience_rate_limits.check,
    "resilience.circuit-breakers": resilience_circuit_breakers.check,
    "resilience.retries": resilience_retries.check,
    "resilience.degradation": resilience_degradation.check,
    "deployment.infra": deployment_infra.check,
    "deployment.sst-registered": deployment_sst_registered.check,
    "deployment.secrets": deployment_secrets.check,
    "deployment.dns": deployment_dns.check,
    "deployment.dev-healthz": deployment_dev_healthz.check,
    "deployment.staging-smoke": deployment_staging_smoke.check,
    "deployment.staging-soak": deployment_staging_soak.check,
    "sdk.generated": sdk_generated.check,
    "sdk.package": sdk_package.check,
    "sdk.reference-page": sdk_reference_page.check,
    "sdk.consumer": sdk_consumer.check,
    "oncall.primary": oncall_primary.check,
    "oncall.secondary": oncall_secondary.check,
    "oncall.pagerduty-schedule": oncall_pagerduty_schedule.check,
    "oncall.escalation": oncall_escalation.check,
    "oncall.dashboard-access": oncall_dashboard_access.check,
    "oncall.notified": oncall_notified.check,
    "docs.service-page": docs_service_page.check,
    "docs.concepts": docs_concepts.check,
    "docs.connect": docs_connect.check,
    "docs.events": docs_events.check,
    "docs.cross-links": docs_cross_links.check,
    "promotion.changeset": promotion_changeset.check,
    "promotion.rollback": promotion_rollback.check,
    "promotion.prod-monitor": promotion_prod_monitor.check,
}

CHANGE_CHECKS: dict[str, Callable[[ChangeCtx], Result]] = {
    "promotion.approved": promotion_approved.check,
    "promotion.ci-green": promotion_ci_green.check,
    "promotion.freeze": promotion_freeze.check,
}
