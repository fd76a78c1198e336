import { requireScope } from "@platform/auth";
export const canRead = requireScope("docs:read");
export const canWrite = requireScope("docs:write");
