"""Which TypeScript files of the repository mention a module, answered for every service from
one reading of the files (``sdk.consumer`` asks it once per service).

The files that may consume a service's SDK are the sources of every *other* service and every
file under the packages and apps roots (the service's own SDK package excepted). Asking each
service "which of them contain ``@platform/sdk-<name>``" file by file costs services × files;
here every candidate file is read once per run and joined into one text, and each question is
one substring search over it, answered in the order :func:`candidates` defines.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gate.workspace import SourceProblem

if TYPE_CHECKING:
    from gate.config import Config
    from gate.services import Service
    from gate.workspace import Workspace

TS_SUFFIXES = (".ts", ".tsx", ".mts")
APPS_ROOT = "apps"


@dataclass
class _Universe:
    #: (owning service or "" for packages/apps, path), in listing order, repeats kept
    entries: list[tuple[str, str]] = field(default_factory=list)
    #: path → its positions in ``entries``
    where: dict[str, list[int]] = field(default_factory=dict)
    #: the distinct readable files' texts joined with NUL (which no text holds), and their starts
    joined: str = ""
    starts: list[int] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    #: files that could not be read: asking about them raises their problem, in order
    problems: dict[str, SourceProblem] = field(default_factory=dict)


def _universe(ws: Workspace, config: Config, services: list[Service]) -> _Universe:
    def make() -> _Universe:
        u = _Universe()
        for svc in services:
            u.entries += [(svc.name, p) for p in ws.files(svc.rel("src"), TS_SUFFIXES)]
        for root in (config.path("packages"), APPS_ROOT):
            if root:
                u.entries += [("", p) for p in ws.files(root, TS_SUFFIXES)]
        texts: list[str] = []
        pos = 0
        for n, (_, path) in enumerate(u.entries):
            if path in u.where:
                u.where[path].append(n)
                continue
            u.where[path] = [n]
            try:
                text = ws.text(path)
            except SourceProblem as exc:
                u.problems[path] = exc
                continue
            if text is None:
                continue
            u.paths.append(path)
            u.starts.append(pos)
            texts.append(text)
            pos += len(text) + 1
        u.joined = "\0".join(texts)
        return u

    key = "|".join(s.name for s in services) + "|" + (config.path("packages") or "")
    return ws.derive("sdk.consumer-files", key, make)


def candidates(ws: Workspace, config: Config, services: list[Service], own: str, own_pkg: str,
               module: str) -> Iterator[str]:
    """The candidate files mentioning ``module`` (and those that cannot be read, whose problem
    is raised when reached), in this order: the sources of ``services`` other than ``own`` (in
    repository order), then the packages and apps roots without ``own_pkg``; each path once, no
    ``.d.ts``, nothing under ``dist/``. The same files, in the same order, as listing every
    candidate and keeping those whose text contains ``module``."""
    u = _universe(ws, config, services)
    hits: set[str] = set(u.problems)
    if module:
        at = u.joined.find(module)
        while at >= 0:
            hits.add(u.paths[bisect.bisect_right(u.starts, at) - 1])
            at = u.joined.find(module, at + 1)
    order = sorted(n for p in hits for n in u.where[p])
    seen: set[str] = set()
    for n in order:
        owner, path = u.entries[n]
        if owner == own or (not owner and path.startswith(own_pkg)):
            continue
        if path in seen or path.endswith(".d.ts") or "/dist/" in path:
            continue
        seen.add(path)
        if path in u.problems:
            raise u.problems[path]
        yield path
