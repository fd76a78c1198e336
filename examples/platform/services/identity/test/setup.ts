import { vi } from "vitest";

vi.mock("@platform/db", () => import("@platform/db/testing"));
vi.mock("@platform/events", () => import("@platform/events/testing"));
vi.mock("@platform/auth", () => import("@platform/auth/testing"));
vi.mock("@aws-sdk/client-kms", () => import("@platform/testing/kms"));
vi.mock("sst", () => ({
  Resource: {
    App: { stage: "test" },
    IdentitySentryDsn: { value: "" },
    IdentityDatabaseUrl: { value: "postgres://localhost/identity_test" },
  },
}));
