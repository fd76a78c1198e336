"""A small platform repository where every item of the core checks passes for ``payments``
(tests change one file at a time to make one item fail)."""

from __future__ import annotations

import hashlib
import textwrap

from gate.model import ItemResult
from tests.helpers import item, write_tree

OPENAPI = """\
openapi: 3.1.0
info:
  title: Payments
  version: 1.0.0
paths:
  /payments/{id}:
    get:
      operationId: getPayment
      description: Read one payment.
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
      responses:
        "200":
          description: The payment.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Payment"}
  /payments:
    post:
      operationId: createPayment
      description: Create a payment.
      parameters:
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        content:
          application/json:
            schema: {type: object}
            example: {amount: 100}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {type: object}
              examples:
                created: {value: {id: p_1}}
components:
  parameters:
    IdempotencyKey:
      name: Idempotency-Key
      in: header
      required: true
      schema: {type: string}
  schemas:
    Payment:
      type: object
      example: {id: p_1, amount: 100}
"""

SERVICE_YAML = """\
name: payments
description: Card and ACH payments for all brands.
owner: team-payments
status: stable
tier: 1
brand_scope: [loop, loop-rx]
phi: false
on_call:
  primary: alice
  secondary: bob
  pagerduty_schedule: P1A2B3C
dashboards:
  - https://grafana.platform.loop.health/d/payments
contracts:
  openapi: openapi.yaml
  consumes:
    - service: identity
      fallback: Serve cached tokens for up to 5 minutes.
  events:
    publishes: [payment.captured]
    subscribes: []
scopes:
  - name: payments:read
    partner: true
  - name: payments:write
rate_limits:
  read: 600/min
cron:
  - schedule: "0 * * * *"
    route: POST /cron/reconcile
domain_primitives: [payment-intent]
readiness:
  attestations:
    - item: oncall.notified
      by: dave
      at: 2026-11-20
      evidence: https://loop.slack.com/archives/C123/p456
    - item: oncall.dashboard-access
      by: dave
      at: 2026-11-21
"""

IDENTITY_YAML = """\
name: identity
description: Tokens.
owner: team-identity
status: stable
brand_scope: [all]
on_call: {primary: carol, secondary: erin, pagerduty_schedule: P9Z8Y7X}
contracts: {openapi: openapi.yaml}
"""

README = """\
# Payments

## Run locally

```sh
pnpm dev
```
"""

RUNBOOK = """\
# Payments runbook

## Alarms
- error rate > 1%

## Dashboards
- https://grafana.platform.loop.health/d/payments

## Remediation
Restart the service.

## Escalation
1. alice (primary)
2. team-payments lead

## Recent incidents
None.

## Rollback
Redeploy the previous image; migrations are expand-only.
"""

PAGE = """\
---
title: Payments
description: Card and ACH payments.
status: stable
owner: team-payments
dashboards:
  - https://grafana.platform.loop.health/d/payments
---

# Payments

See [identity](identity.md#tokens), the [concept](../concepts/payment-intent.md) and [below](#api).

## API

Nothing here.
"""

IDENTITY_PAGE = """\
# Identity

## Tokens

Used by [payments](payments.md).
"""

SDK_PACKAGE = """\
{
  "name": "@platform/sdk-payments",
  "version": "1.2.0",
  "scripts": {"build": "tsc -p ."},
  "publishConfig": {"registry": "https://npm.pkg.github.com"}
}
"""

APP = """\
import { Hono } from "hono";
import { requireScope } from "@platform/auth";
import { rateLimit } from "@platform/rate-limit";
import { idempotent } from "@platform/idempotency";
import { audit } from "@platform/audit";

export const publicPaths = ["/healthz"];
export const app = new Hono();

app.get("/payments/:id", requireScope("payments:read"), rateLimit("read"), async (c) => c.json({ id: c.req.param("id") }));

app.post("/payments", requireScope("payments:write"), rateLimit("read"), idempotent(), async (c) => {
  await audit(c, "payment.created", {});
  return c.json({ id: "p_1" }, 201);
});
"""

CONSUMER = """\
import { PaymentsClient } from "@platform/sdk-payments";

const client = new PaymentsClient({ baseUrl: "https://payments.dev.platform.loop.health" });

export async function charge() {
  return client.createPayment({ amount: 100 });
}
"""


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree(**over: str | None) -> dict[str, str | bytes]:
    """The repository's files (repo path → text); ``over`` replaces files by key name below
    (``None`` deletes)."""
    files: dict[str, str | None] = {
        "service_yaml": SERVICE_YAML,
        "openapi": OPENAPI,
        "readme": README,
        "runbook": RUNBOOK,
        "page": PAGE,
        "identity_page": IDENTITY_PAGE,
        "identity_yaml": IDENTITY_YAML,
        "concept": "# Payment intent\n\nIntroduced by [payments](../services/payments.md).\n",
        "event": "# payment.captured\n",
        "connect": "# Connect\n\nScopes: `payments:read`.\n",
        "sdk_package": SDK_PACKAGE,
        "sdk_sha": None,
        "sdk_page": "# @platform/sdk-payments\n\n## getPayment\n\n## createPayment\n",
        "consumer": CONSUMER,
        "app": APP,
    }
    files.update(over)
    where = {
        "service_yaml": "services/payments/service.yaml",
        "openapi": "services/payments/openapi.yaml",
        "readme": "services/payments/README.md",
        "runbook": "services/payments/RUNBOOK.md",
        "page": "docs/services/payments.md",
        "identity_page": "docs/services/identity.md",
        "identity_yaml": "services/identity/service.yaml",
        "concept": "docs/concepts/payment-intent.md",
        "event": "docs/events/payment.captured.md",
        "connect": "docs/connect/scopes.md",
        "sdk_package": "packages/sdk-payments/package.json",
        "sdk_sha": "packages/sdk-payments/.openapi-sha256",
        "sdk_page": "docs/sdk/payments.md",
        "consumer": "apps/canary/src/payments.ts",
        "app": "services/payments/src/app.ts",
    }
    out: dict[str, str | bytes] = {}
    for key, text in files.items():
        if key == "sdk_sha" and text is None:
            text = sha(files["openapi"] or "") + "\n"
        if text is not None:
            # bytes: written as is (write_tree dedents str content)
            out[where[key]] = textwrap.dedent(text).encode("utf-8")
    return out


def evaluate(root: object, item_id: str, service: str = "payments", **over: str | None) -> ItemResult:
    """Write :func:`tree` (with ``over``) under ``root`` and evaluate one item of ``service``."""
    from pathlib import Path

    assert isinstance(root, Path)
    write_tree(root, tree(**over))
    return item(root, service, item_id)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` (dedented) containing ``needle``."""
    for i, line in enumerate(textwrap.dedent(text).splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in text")
