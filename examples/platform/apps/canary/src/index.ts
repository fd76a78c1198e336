import { createPaymentsClient } from "@platform/sdk-payments";
import { createIdentityClient } from "@platform/sdk-identity";
import { serviceToken } from "@platform/auth";
import { logger } from "@platform/logger";

const stage = process.env.STAGE ?? "staging";
const token = () => serviceToken("canary");

const payments = createPaymentsClient({ baseUrl: `https://payments.${stage}.platform.loop.health`, token });
const identity = createIdentityClient({ baseUrl: `https://identity.${stage}.platform.loop.health`, token });

type Probe = { name: string; run: () => Promise<unknown> };

const probes: Probe[] = [
  { name: "payments.getHealth", run: () => payments.getHealth() },
  { name: "payments.listPayments", run: () => payments.listPayments({ limit: 1 }) },
  { name: "identity.getHealth", run: () => identity.getHealth() },
  { name: "identity.getJwks", run: () => identity.getJwks() },
  { name: "identity.getClient", run: () => identity.getClient("canary") },
];

let failed = 0;
for (const probe of probes) {
  const start = Date.now();
  try {
    await probe.run();
    logger.info({ probe: probe.name, stage, duration_ms: Date.now() - start }, "canary ok");
  } catch (err) {
    failed += 1;
    logger.error({ probe: probe.name, stage, duration_ms: Date.now() - start, err }, "canary failed");
  }
}

process.exitCode = failed === 0 ? 0 : 1;
