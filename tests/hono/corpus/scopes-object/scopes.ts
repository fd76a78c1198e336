export const SCOPES = { read: "svc:read", write: "svc:write" } as const;
