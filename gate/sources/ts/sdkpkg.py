"""A service's generated SDK package (``packages/sdk-<name>``): where it is and its package.json.

A service without an SDK package fails every ``sdk.*`` item (:func:`missing_finding`). Each
function takes the service's name (and the configuration for the packages root).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gate.model import Finding
from gate.sources.yaml.parse import Key, YamlDoc
from gate.workspace import SourceProblem

if TYPE_CHECKING:
    from gate.config import Config
    from gate.workspace import Workspace


@dataclass(frozen=True)
class PackageJson:
    path: str
    data: dict[str, Any]
    lines: YamlDoc  # for :meth:`line` only

    def line(self, *keys: Key) -> int:
        return self.lines.line(keys)


def package_name(service: str) -> str:
    """``@platform/sdk-<service>``."""
    return f"@platform/sdk-{service}"


def package_dir(config: Config, service: str) -> str:
    """``<packages root>/sdk-<service>``."""
    root = config.path("packages")
    return f"{root}/sdk-{service}" if root else f"sdk-{service}"


def manifest(ws: Workspace, config: Config, service: str) -> PackageJson | None:
    """The SDK package's package.json (None when absent); SourceProblem when it is not JSON."""
    path = f"{package_dir(config, service)}/package.json"

    def make() -> PackageJson | None:
        text = ws.text(path)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceProblem(Finding(f"{path} is not valid JSON ({exc.msg}): fix it", path, exc.lineno)) from None
        if not isinstance(data, dict):
            raise SourceProblem(Finding(f"{path} is not a JSON object", path, 1))
        return PackageJson(path, data, YamlDoc(path, text, data))

    return ws.derive("sdk.package-json", path, make)


def missing_finding(config: Config, service: str) -> Finding:
    """The finding of a service without an SDK package."""
    path = f"{package_dir(config, service)}/package.json"
    return Finding(f"{service} has no SDK package ({path} is missing): generate it with `pnpm sdk:gen` "
                   f"and commit it as {package_name(service)}", path)
