"""Who consumes whom: ``contracts.consumes`` of every service of the repository, read once.

Used by ``docs.cross-links`` (pages of consuming services link back) and usable by
``auth.m2m-client`` (callers need an M2M client). A service whose service.yaml cannot be read
is left out (its own items report why).
"""

from __future__ import annotations

from dataclasses import dataclass

from gate.services import Service
from gate.sources.yaml.parse import YamlDoc
from gate.workspace import SourceProblem, Workspace


@dataclass(frozen=True)
class Consumption:
    """``consumer`` lists ``service`` at ``contracts.consumes[index]`` (``line`` in ``path``)."""

    consumer: str
    service: str
    index: int
    path: str
    line: int
    fallback: str


def manifest(ws: Workspace, svc: Service) -> YamlDoc | None:
    """A service's parsed service.yaml, None when missing, unreadable, not a mapping or holding a
    value of the wrong type."""
    from gate.sources.yaml.manifest import checked

    try:
        doc = checked(ws, svc.manifest_path)
    except SourceProblem:
        return None
    return doc if doc is not None and isinstance(doc.data, dict) else None


def consumptions(ws: Workspace, services: list[Service]) -> list[Consumption]:
    """Every ``contracts.consumes`` entry of every service (computed once per run)."""

    def make() -> list[Consumption]:
        out: list[Consumption] = []
        for svc in services:
            doc = manifest(ws, svc)
            if doc is None:
                continue
            entries = doc.get(["contracts", "consumes"], [])
            if not isinstance(entries, list):
                continue
            for i, e in enumerate(entries):
                if isinstance(e, dict) and isinstance(e.get("service"), str):
                    fb = e.get("fallback")
                    out.append(Consumption(svc.name, e["service"], i, svc.manifest_path,
                                           doc.line(["contracts", "consumes", i]), fb if isinstance(fb, str) else ""))
        return out

    key = "|".join(s.manifest_path for s in services)
    return ws.derive("consumers.all", key, make)


def consumers_of(ws: Workspace, services: list[Service], name: str) -> list[Consumption]:
    """The entries of *other* services that consume ``name``."""
    return [c for c in consumptions(ws, services) if c.service == name and c.consumer != name]
