/// <reference path="../../.sst/platform/config.d.ts" />
import { cluster } from "../../infra/cluster";
import { alarms } from "../../infra/alarms";

const sentryDsn = new sst.Secret("LabsSentryDsn");
const databaseUrl = new sst.Secret("LabsDatabaseUrl");

const scaling = {
  dev: { min: 1, max: 1 },
  staging: { min: 1, max: 1 },
  prod: { min: 1, max: 3 },
};

export const labs = new sst.aws.Service("Labs", {
  cluster,
  image: { context: "services/labs" },
  link: [sentryDsn, databaseUrl],
  scaling: scaling[$app.stage],
  loadBalancer: {
    domain: { name: `labs.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() },
    rules: [{ listen: "443/https", forward: "3000/http" }],
    health: { "3000/http": { path: "/healthz", interval: "10 seconds" } },
  },
});

alarms("labs", labs, {
  errorRatePercent: 1,
  latencyP99Ms: 1000,
  dlqDepth: 0,
  critical: "pagerduty",
  warn: "slack",
});
