import { vi } from "vitest";

vi.mock("@platform/db", () => import("@platform/db/testing"));
vi.mock("@platform/auth", () => import("@platform/auth/testing"));
vi.mock("sst", () => ({ Resource: { App: { stage: "test" }, LabsSentryDsn: { value: "" } } }));
