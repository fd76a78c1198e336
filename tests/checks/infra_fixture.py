"""A small platform repository whose ``payments`` service passes every infra item (infra.ts,
sst.config.ts, code reading secrets and calling Sentry.init); tests replace one file."""

from __future__ import annotations

import textwrap
from pathlib import Path

from gate.model import ItemResult
from tests.helpers import item, write_tree

SERVICE_YAML = """\
name: payments
description: Card payments.
owner: team-payments
status: stable
brand_scope: [loop]
on_call: {primary: alice, secondary: bob, pagerduty_schedule: P1A2B3C}
contracts: {openapi: openapi.yaml}
"""

INFRA = """\
/// <reference path="../../.sst/platform/config.d.ts" />
import { cluster } from "../../infra/cluster";
import { alarms } from "../../infra/alarms";

const sentryDsn = new sst.Secret("PaymentsSentryDsn");
const databaseUrl = new sst.Secret("PaymentsDatabaseUrl");
const stripeKey = new sst.Secret("PaymentsStripeKey");

const scaling = {
  dev: { min: 1, max: 1 },
  staging: { min: 1, max: 2 },
  prod: { min: 2, max: 10 },
};

export const payments = new sst.aws.Service("Payments", {
  cluster,
  image: { context: "services/payments" },
  link: [sentryDsn, databaseUrl, stripeKey],
  scaling: scaling[$app.stage],
  loadBalancer: {
    domain: { name: `payments.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() },
    rules: [{ listen: "443/https", forward: "3000/http" }],
    health: { "3000/http": { path: "/healthz", interval: "10 seconds" } },
  },
});

alarms("payments", payments, {
  errorRatePercent: 1,
  latencyP99Ms: 1000,
  dlqDepth: 0,
  critical: "pagerduty",
  warn: "slack",
});
"""

SST_CONFIG = """\
/// <reference path="./.sst/platform/config.d.ts" />
export default $config({
  app(input) {
    return { name: "platform", home: "aws" };
  },
  async run() {
    await import("./infra/cluster");
    await import("./services/payments/infra");
  },
});
"""

INDEX = """\
import * as Sentry from "@sentry/node";
import { Resource } from "sst";
import { Hono } from "hono";

Sentry.init({
  dsn: Resource.PaymentsSentryDsn.value,
  environment: Resource.App.stage,
});

export const app = new Hono();
app.get("/healthz", (c) => c.json({ ok: true, stage: Resource.App.stage }));
"""

CHARGE = """\
import { Resource } from "sst";
import { db } from "@platform/db";
import Stripe from "stripe";

export const stripe = new Stripe(Resource.PaymentsStripeKey.value);

export async function connect() {
  return db.connect(Resource.PaymentsDatabaseUrl.value);
}
"""


def repo(root: Path, **files: str | None) -> Path:
    """The passing repository, with ``files`` (keys: infra, sst, index, charge, or a repo path
    with ``/``) replaced; None removes a file."""
    base: dict[str, str | None] = {
        "services/payments/service.yaml": SERVICE_YAML,
        "services/payments/infra.ts": INFRA,
        "sst.config.ts": SST_CONFIG,
        "services/payments/src/index.ts": INDEX,
        "services/payments/src/charge.ts": CHARGE,
        "services/payments/src/charge.test.ts": 'import { Resource } from "sst";\nResource.TestOnly.value;\n',
        "services/payments/src/stubs/vendor.ts": 'import { Resource } from "sst";\nResource.StubOnly.value;\n',
    }
    alias = {"infra": "services/payments/infra.ts", "sst": "sst.config.ts",
             "index": "services/payments/src/index.ts", "charge": "services/payments/src/charge.ts"}
    for k, v in files.items():
        base[alias.get(k, k)] = v
    write_tree(root, {k: v for k, v in base.items() if v is not None})
    return root


def evaluate(root: Path, item_id: str, **files: str | None) -> ItemResult:
    return item(repo(root, **files), "payments", item_id)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` line containing ``needle`` in (dedented) ``text``."""
    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth - 1]
