"""Service discovery: a service is a folder under the services root holding a ``service.yaml``.

A symlinked folder, a git submodule (or nested repository) is not a service of this repository.
In ``pr`` mode the base commit's services are the reference (:mod:`gate.baseline`): a stable
service that discovery no longer finds at the head blocks the pull request."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.workspace import SourceProblem, Workspace

NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Service:
    name: str  # the folder name
    dir: str  # repo-relative POSIX path of the folder

    def rel(self, *parts: str) -> str:
        return "/".join((self.dir, *parts))

    @property
    def manifest_path(self) -> str:
        return self.rel("service.yaml")


def discover(ws: Workspace, services_root: str) -> list[Service]:
    """Every service of the repository, sorted by name."""

    def scan() -> list[Service]:
        base = ws.root / services_root
        if not ws.is_dir(services_root):
            return []
        out = []
        for child in sorted(base.iterdir()):
            if child.is_symlink() or not child.is_dir():
                continue
            if (child / ".git").exists() or (child / ".git").is_symlink():
                continue  # a git submodule or nested repository: not this repository's content
            rel = f"{services_root}/{child.name}" if services_root else child.name
            try:
                if ws.exists(f"{rel}/service.yaml"):
                    out.append(Service(child.name, rel))
            except SourceProblem:
                out.append(Service(child.name, rel))
        return out

    return ws.derive("services", services_root, scan)
