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
