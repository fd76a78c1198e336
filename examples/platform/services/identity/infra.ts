/// <reference path="../../.sst/platform/config.d.ts" />
import { cluster } from "../../infra/cluster";
import { alarms } from "../../infra/alarms";

const sentryDsn = new sst.Secret("IdentitySentryDsn");
const databaseUrl = new sst.Secret("IdentityDatabaseUrl");

const scaling = {
  dev: { min: 1, max: 1 },
  staging: { min: 2, max: 4 },
  prod: { min: 3, max: 20 },
};

export const identity = new sst.aws.Service("Identity", {
  cluster,
  image: { context: "services/identity" },
  link: [sentryDsn, databaseUrl],
  permissions: [
    { actions: ["kms:CreateKey", "kms:GetPublicKey", "kms:Sign", "kms:ListResourceTags", "kms:ScheduleKeyDeletion"], resources: ["*"] },
  ],
  scaling: scaling[$app.stage],
  loadBalancer: {
    domain: { name: `identity.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() },
    rules: [{ listen: "443/https", forward: "3000/http" }],
    health: { "3000/http": { path: "/healthz", interval: "10 seconds" } },
  },
});

alarms("identity", identity, {
  errorRatePercent: 1,
  latencyP99Ms: 1000,
  dlqDepth: 0,
  critical: "pagerduty",
  warn: "slack",
});
