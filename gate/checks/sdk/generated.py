"""`packages/sdk-<name>/.openapi-sha256` holds the sha256 of the current `services/<name>/openapi.yaml` bytes: the committed SDK was generated from the spec as it is (no drift). A service without an SDK package fails.

## Evidence

repo.

## How to fix

Run `pnpm sdk:gen` and commit the regenerated SDK with its `.openapi-sha256`.
"""

from __future__ import annotations

import re

from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.sources.openapi import document as openapi
from gate.sources.ts import sdkpkg

_HEX = re.compile(r"^[0-9a-fA-F]{64}$")


def check(ctx: Ctx) -> Result:
    if sdkpkg.manifest(ctx.ws, ctx.config, ctx.service.name) is None:
        return failed(sdkpkg.missing_finding(ctx.config, ctx.service.name))
    spec = openapi.spec_path(ctx.ws, ctx.service.dir, ctx.manifest)
    current = ctx.ws.sha256(spec)
    if current is None:
        return failed(Finding(f"{spec} is missing: the SDK cannot be checked against it", spec))
    sha_path = f"{sdkpkg.package_dir(ctx.config, ctx.service.name)}/.openapi-sha256"
    text = ctx.ws.text(sha_path)
    if text is None:
        return failed(Finding(f"{sha_path} is missing: run `pnpm sdk:gen` and commit the SDK with the sha256 of "
                              "the openapi.yaml it was generated from", sha_path))
    recorded = text.strip().split()[0] if text.strip() else ""
    if not _HEX.match(recorded):
        return failed(Finding(f"{sha_path} does not hold a sha256 (64 hex digits): run `pnpm sdk:gen` and commit "
                              "its output", sha_path, 1, 1))
    if recorded.lower() != current:
        return failed(Finding(f"the SDK was generated from another openapi.yaml (sha256 {recorded[:12]}…, current "
                              f"{current[:12]}…): run `pnpm sdk:gen` and commit the regenerated SDK", sha_path, 1, 1))
    return passed(f"{sha_path} matches the sha256 of {spec}")
