"""A service's generated SDK package (``packages/sdk-<name>``): where it is and its package.json.

A service without an SDK package fails every ``sdk.*`` item (:func:`missing_finding`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gate.context import Ctx
from gate.model import Finding
from gate.sources.yamlfile import Key, YamlDoc
from gate.workspace import SourceProblem


@dataclass(frozen=True)
class PackageJson:
    path: str
    data: dict[str, Any]
    lines: YamlDoc  # for :meth:`line` only

    def line(self, *keys: Key) -> int:
        return self.lines.line(keys)


def package_name(ctx: Ctx) -> str:
    return f"@platform/sdk-{ctx.service.name}"


def package_dir(ctx: Ctx) -> str:
    return ctx.package(f"sdk-{ctx.service.name}")


def manifest(ctx: Ctx) -> PackageJson | None:
    """The SDK package's package.json (None when absent); SourceProblem when it is not JSON."""
    path = f"{package_dir(ctx)}/package.json"

    def make() -> PackageJson | None:
        text = ctx.ws.text(path)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceProblem(Finding(f"{path} is not valid JSON ({exc.msg}): fix it", path, exc.lineno)) from None
        if not isinstance(data, dict):
            raise SourceProblem(Finding(f"{path} is not a JSON object", path, 1))
        return PackageJson(path, data, YamlDoc(path, text, data))

    return ctx.ws.derive("sdk.package-json", path, make)


def missing_finding(ctx: Ctx) -> Finding:
    path = f"{package_dir(ctx)}/package.json"
    return Finding(f"{ctx.service.name} has no SDK package ({path} is missing): generate it with `pnpm sdk:gen` "
                   f"and commit it as {package_name(ctx)}", path)
