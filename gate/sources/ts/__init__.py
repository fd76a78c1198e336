"""TypeScript: tree-sitter (``parse``), imports, the per-service analysis, routes, infra.ts, SDKs."""
