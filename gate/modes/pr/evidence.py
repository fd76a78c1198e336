"""What a pull request is judged on besides the GitHub evidence (:mod:`gate.github.gather`): the
services it touches (its own files and, through :mod:`gate.inputs`, the inputs their items read),
the stable services of the base commit it makes disappear (:mod:`gate.baseline`), and which
services only advise (stable neither on the base nor on the head)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate import baseline, inputs
from gate import config as cfg
from gate.github import client as gh
from gate.model import Report, ServiceReport
from gate.modes.pr.event import Change
from gate.services import Service
from gate.sources.yaml.parse import YamlError, load
from gate.workspace import BaseFiles, RemoteError, SourceProblem, Workspace


@dataclass
class Scope:
    """The services a pull request is judged on, and what the base commit says about the others."""

    touched: list[Service]
    #: the stable services of the base commit gone at the head, and what could not be known
    gone: baseline.Baseline
    notes: list[str]


def scope(change: Change, all_services: list[Service], ws: Workspace, config: cfg.Config, base: BaseFiles,
          root: Path) -> Scope:
    """The services ``change`` touches (all when its files are not all listed) and the base's
    stable services it removes."""
    notes: list[str] = []
    touched = all_services if change.unlisted else touched_services(change.files, all_services, ws, config)
    if not change.unlisted:  # touched means "its inputs changed" (gate.catalog.INPUTS)
        more = inputs.touched_by_inputs(change.files, change.status, all_services, ws, config,
                                        inputs.base_reader(base),
                                        inputs.removed_reader(root, base, change.pr.head_sha))
        touched = [s for s in all_services if s in touched or s.name in more.names]
        notes.extend(more.notes)
    gone = baseline.compare(ws, base, config, all_services)
    if change.unlisted:
        gone.problems.append(baseline.unlisted_files_finding(change.declared, gh.MAX_API_FILES))
    notes.extend(gone.notes)
    return Scope(touched, gone, notes)


#: a package key of a changeset's front matter; horizontal white space only (``\s*`` spanned
#: newlines and made 500,000 blank lines quadratic)
_CHANGESET_KEY = re.compile(r"""^[ \t]*["']?(@[^"':\s]+)["']?[ \t]*:""", re.M)


def _manifest(ws: Workspace, svc: Service) -> dict[str, Any]:
    try:
        doc = ws.yaml(svc.manifest_path)
    except SourceProblem:
        return {}
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def touched_services(files: Iterable[str], services: list[Service], ws: Workspace, config: cfg.Config) -> list[Service]:
    """The services a change touches: a file under the service folder, its docs page
    (``docs/services/<name>.md``), its SDK reference page and package (``packages/sdk-<name>/``),
    the event pages of the events it publishes, the concept pages of its primitives, and a
    changeset naming its package or SDK package."""
    by_name = {s.name: s for s in services}
    root = config.path("services")
    docs = config.path("docs")
    packages = config.path("packages")
    changesets = config.path("changesets")

    def j(*parts: str) -> str:
        return "/".join(p for p in parts if p)

    hit: set[str] = set()
    events: dict[str, set[str]] = {}
    primitives: dict[str, set[str]] = {}
    loaded = False

    def index() -> None:
        nonlocal loaded
        if loaded:
            return
        loaded = True
        for s in services:
            m = _manifest(ws, s)
            contracts = m.get("contracts") if isinstance(m.get("contracts"), dict) else {}
            ev = (contracts or {}).get("events")
            pubs = ev.get("publishes") if isinstance(ev, dict) else None
            for e in pubs if isinstance(pubs, list) else []:
                events.setdefault(str(e), set()).add(s.name)
            prims = m.get("domain_primitives")
            for p in prims if isinstance(prims, list) else []:
                primitives.setdefault(str(p), set()).add(s.name)

    for f in files:
        parts = f.split("/")
        if root and f.startswith(root + "/") and len(parts) > len(root.split("/")) + 0:
            name = f[len(root) + 1 :].split("/", 1)[0]
            if name in by_name and "/" in f[len(root) + 1 :]:
                hit.add(name)
            continue
        if not root and parts[0] in by_name and len(parts) > 1:
            hit.add(parts[0])
            continue
        for sub in ("services", "sdk"):
            prefix = j(docs, sub) + "/"
            if f.startswith(prefix) and f.endswith(".md") and "/" not in f[len(prefix) :]:
                name = f[len(prefix) : -3]
                if name in by_name:
                    hit.add(name)
        prefix = j(packages, "sdk-")
        if f.startswith(prefix):
            name = f[len(prefix) :].split("/", 1)[0]
            if name in by_name:
                hit.add(name)
        for sub, table in (("events", events), ("concepts", primitives)):
            prefix = j(docs, sub) + "/"
            if f.startswith(prefix) and f.endswith(".md"):
                index()
                hit.update(table.get(f[len(prefix) : -3], set()))
        if changesets and f.startswith(changesets + "/") and f.endswith(".md"):
            try:
                text = ws.text(f)
            except SourceProblem:
                text = None
            if text and text.startswith("---"):
                front = text.split("---", 2)[1] if text.count("---") >= 2 else ""
                for pkg in _CHANGESET_KEY.findall(front):
                    m = re.fullmatch(r"@platform/(?:sdk-)?([a-z][a-z0-9-]*)", pkg)
                    if m and m.group(1) in by_name:
                        hit.add(m.group(1))
    return [s for s in services if s.name in hit]


def _status_of(text: str | None) -> str:
    if not text:
        return ""
    try:
        data = load(text)
    except YamlError:
        return ""
    return str(data.get("status", "")) if isinstance(data, dict) else ""


def mark_advisory(report: Report, base: BaseFiles) -> Report:
    """A service stable neither on the base nor on the head is advisory ("service is beta").
    When the base commit's status cannot be read (an API error) the service may be stable in
    prod: it stays blocking, never advisory on a guess."""
    out: list[ServiceReport] = []
    for s in report.services:
        head = s.status
        try:
            base_status = _status_of(base.text(f"{s.path}/service.yaml"))
        except RemoteError:
            out.append(s)  # unknown on the base: judged as blocking (fail closed)
            continue
        if head != "stable" and base_status != "stable":
            shown = head or base_status or "not stable"
            out.append(dataclasses.replace(s, advisory=f"service is {shown}: reported, does not block this PR"))
        else:
            out.append(s)
    return dataclasses.replace(report, services=tuple(out))
