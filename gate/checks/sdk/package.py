"""Repo half: `packages/sdk-<name>/package.json` has `name` `@platform/sdk-<name>`, a semver `version`, a `build` script and `publishConfig.registry` = `https://npm.pkg.github.com`, and is not `"private": true` (npm refuses to publish a private package). Whether the version is published to GitHub Packages comes from the `github_packages` provider ([providers.md](../providers.md)): an unpublished version fails the item at the `version` line; without an answer it is `unverified` in `promote`.

## Evidence

repo: package.json; live: the `github_packages` provider.

## How to fix

Findings are at the package.json key's line: fix the name, version, script or registry.
"""

from __future__ import annotations

import re

from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.providers import combine, live
from gate.sources.ts import sdkpkg

REGISTRY = "https://npm.pkg.github.com"
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")


def check(ctx: Ctx) -> Result:
    pkg = sdkpkg.manifest(ctx.ws, ctx.config, ctx.service.name)
    if pkg is None:
        return failed(sdkpkg.missing_finding(ctx.config, ctx.service.name))
    want = sdkpkg.package_name(ctx.service.name)
    findings: list[Finding] = []

    def add(msg: str, *keys: str) -> None:
        line = pkg.line(*keys)
        findings.append(Finding(msg, pkg.path, line, line))

    d = pkg.data
    if d.get("name") != want:
        add(f"package name is {d.get('name')!r}, not {want!r}: set `\"name\": \"{want}\"`", "name")
    v = d.get("version")
    if not isinstance(v, str) or not _SEMVER.match(v):
        add(f"package version is {v!r}: set a semver `\"version\"` (e.g. \"1.2.0\")", "version")
    scripts = d.get("scripts")
    build = scripts.get("build") if isinstance(scripts, dict) else None
    if not isinstance(build, str) or not build.strip():
        add("package has no build script: add `\"scripts\": {\"build\": ...}`", "scripts", "build")
    if d.get("private") is True:  # npm and pnpm refuse to publish a private package
        add("package is `\"private\": true`, which npm refuses to publish: remove `private` so the SDK can be "
            "published to GitHub Packages", "private")
    pc = d.get("publishConfig")
    reg = pc.get("registry") if isinstance(pc, dict) else None
    if not isinstance(reg, str) or reg.rstrip("/") != REGISTRY:
        now = f"publishConfig.registry is {reg!r}" if reg is not None else "package.json has no publishConfig.registry"
        add(f"{now}: set `\"publishConfig\": {{\"registry\": \"{REGISTRY}\"}}` "
            "to publish to GitHub Packages", "publishConfig", "registry")
    ok = f"{want}@{v}: package.json declares a build script and publishConfig for GitHub Packages (it is not built here)"
    return combine(ctx, verdict(findings, f"{ok} (publication is not checked live: no GitHub Packages provider)"),
                   live(ctx).package(), ok)
