/// <reference path="../../.sst/platform/config.d.ts" />
import { cluster } from "../../infra/cluster";
import { alarms } from "../../infra/alarms";

const sentryDsn = new sst.Secret("OrdersSentryDsn");
const databaseUrl = new sst.Secret("OrdersDatabaseUrl");
const shipEngineKey = new sst.Secret("OrdersShipEngineKey");
const twilioAccountSid = new sst.Secret("OrdersTwilioAccountSid");
const twilioToken = new sst.Secret("OrdersTwilioToken");

const scaling = {
  dev: { min: 1, max: 1 },
  prod: { min: 2, max: 6 },
};

export const orders = new sst.aws.Service("Orders", {
  cluster,
  image: { context: "services/orders" },
  link: [sentryDsn, databaseUrl, shipEngineKey, twilioAccountSid],
  scaling: scaling[$app.stage],
  loadBalancer: {
    domain: { name: `orders.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() },
    rules: [{ listen: "443/https", forward: "3000/http" }],
    health: { "3000/http": { path: "/health", interval: "10 seconds" } },
  },
});

alarms("orders", orders, {
  errorRatePercent: 1,
  latencyP99Ms: 2000,
  dlqDepth: 0,
  critical: "pagerduty",
  warn: "pagerduty",
});
