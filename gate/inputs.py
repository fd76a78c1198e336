"""Touched means "its inputs changed": the services a pull request affects through the repository
inputs their items read besides their own folder (the declaration is ``gate.catalog.INPUTS``).

``gate.modes.pr.evidence.touched_services`` gives the services whose own files changed (their folder, docs
page, SDK package, events, concepts, changesets). Here, each changed file that is an input of some
item adds the services it can affect:

- ``sst.config.ts`` (``sst-config``): every service (each one's registration is read from it);
- identity's M2M client registry (``identity-m2m``): every service (who may call whom);
- another service's ``service.yaml`` (``manifests``): the services it consumes, at the head and
  at the base (adding or dropping a caller changes theirs);
- a TypeScript file of another service, of ``packages/`` or ``apps/`` (``consumers``): every
  service whose SDK (``@platform/sdk-<name>``) it imports, at the head or at the base;
- a docs page (``docs``): the services whose page links to it (a link or an anchor may break),
  the services related to a service page that changed (cross-links), every service for the
  connect docs;
- a shared package (``packages``, other than an SDK package): every service.

What cannot be read fails closed: every service that reads that kind of input is touched.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gate import catalog
from gate.config import Config
from gate.services import Service
from gate.sources.yaml.consumers import consumptions
from gate.sources.yaml.parse import YamlError, load
from gate.workspace import BaseFiles, RemoteError, SourceProblem, Workspace

TS_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx")
APPS_ROOT = "apps"
_SDK_IMPORT = re.compile(r"@platform/sdk-([a-z][a-z0-9-]*)")
#: at most this many changed files are read at the base commit (each may be one API request when
#: the base commit is not in the checkout); beyond it, the kind's services are all touched
MAX_BASE_READS = 200


class Unreadable(Exception):
    """A base-commit file that could not be read (an API error)."""


@dataclass
class Touched:
    names: set[str] = field(default_factory=set)
    #: why services were added, one line per input that changed
    notes: list[str] = field(default_factory=list)

    def add(self, names: Iterable[str], why: str) -> None:
        new = set(names) - self.names
        if new:
            self.names |= new
            self.notes.append(f"{why}: {', '.join(sorted(new))} touched.")


def _text(ws: Workspace, path: str) -> str | None:
    try:
        return ws.text(path)
    except SourceProblem:
        return None


def _consumes(text: str | None) -> set[str]:
    if not text:
        return set()
    try:
        data = load(text)
    except YamlError:
        return set()
    contracts = data.get("contracts") if isinstance(data, dict) else None
    raw = contracts.get("consumes") if isinstance(contracts, dict) else None
    out = set()
    for c in raw if isinstance(raw, list) else []:
        name = c.get("service") if isinstance(c, dict) else c
        if isinstance(name, str):
            out.add(name)
    return out


def _link_targets(ws: Workspace, page: str) -> set[str]:
    """The repo paths that the relative links of ``page`` point at."""
    try:
        doc = ws.markdown(page)
    except SourceProblem:
        return set()
    if doc is None:
        return set()
    base = posixpath.dirname(page)
    out = set()
    for link in doc.links:
        href = link.href.split("#", 1)[0].split("?", 1)[0]
        if not href or "://" in href or href.startswith(("mailto:", "/")):
            continue
        out.add(posixpath.normpath(posixpath.join(base, href)))
    return out


def touched_by_inputs(
    files: Iterable[str],
    status: dict[str, str],
    services: list[Service],
    ws: Workspace,
    config: Config,
    base_text: Callable[[str], str | None],
    removed: Callable[[list[str]], str | None] | None = None,
) -> Touched:
    """The services the changed ``files`` affect through the inputs their items read.
    ``base_text`` reads a file at the base commit (None when absent there; raises
    :class:`Unreadable` when it cannot be read); ``removed`` gives the lines the PR removes from
    some files in one go (None when it cannot: then each file is read at the base)."""
    out = Touched()
    names = {s.name for s in services}
    everyone = sorted(names)
    root = config.path("services")
    docs = config.path("docs")
    packages = config.path("packages")
    prefix = f"{root}/" if root else ""
    budget = [MAX_BASE_READS]

    def j(*parts: str) -> str:
        return "/".join(p for p in parts if p)

    def at_base(path: str) -> tuple[bool, str | None]:
        """(known, text) of ``path`` at the base commit."""
        if status.get(path) == "added":
            return True, None
        if budget[0] <= 0:
            return False, None
        budget[0] -= 1
        try:
            return True, base_text(path)
        except Unreadable:
            return False, None

    def owner(path: str) -> str | None:
        if not path.startswith(prefix):
            return None
        name, _, rest = path[len(prefix):].partition("/")
        return name if rest else None

    relations: dict[str, set[str]] | None = None

    def related(name: str) -> set[str]:
        nonlocal relations
        if relations is None:
            relations = {}
            for c in consumptions(ws, services):
                relations.setdefault(c.consumer, set()).add(c.service)
                relations.setdefault(c.service, set()).add(c.consumer)
        return relations.get(name, set())

    pages = {s.name: j(docs, "services", f"{s.name}.md") for s in services}
    files = list(files)
    code = [f for f in files if f.endswith(TS_SUFFIXES) and (
        owner(f) is not None or f.startswith(j(packages) + "/") or f.startswith(APPS_ROOT + "/"))]
    gone = removed(code) if removed is not None and code and catalog.reads("consumers") else None
    if gone is not None:
        hit = {m for m in _SDK_IMPORT.findall(gone) if m in names}
        out.add(hit, "the pull request removes an import of the SDK of (sdk.consumer)")
    linked: dict[str, set[str]] | None = None

    def linking(target: str) -> set[str]:
        nonlocal linked
        if linked is None:
            linked = {}
            for n, page in pages.items():
                for t in _link_targets(ws, page):
                    linked.setdefault(t, set()).add(n)
        return linked.get(target, set())

    for f in files:
        if catalog.reads("sst-config") and f == "sst.config.ts":
            out.add(everyone, "sst.config.ts changed (deployment.sst-registered reads it for every service)")
            continue
        if catalog.reads("identity-m2m") and f == j(root, "identity", "m2m-clients.yaml"):
            out.add(everyone, f"{f} changed (auth.m2m-client reads identity's M2M client registry)")
            continue
        svc = owner(f)
        if catalog.reads("manifests") and svc is not None and f == j(root, svc, "service.yaml"):
            known, old = at_base(f)
            if not known:
                out.add(everyone, f"{f} changed and its base version could not be read")
            else:
                hit = (_consumes(_text(ws, f)) | _consumes(old)) & names
                out.add(hit - {svc}, f"{f} changed what {svc} consumes (auth.m2m-client, docs.cross-links)")
        in_code_root = svc is not None or f.startswith(j(packages) + "/") or f.startswith(APPS_ROOT + "/")
        if catalog.reads("consumers") and in_code_root and f.endswith(TS_SUFFIXES):
            known, old = (True, None) if gone is not None else at_base(f)
            text = (_text(ws, f) or "") + "\n" + (old or "")
            if not known:
                out.add(everyone, f"{f} changed and its base version could not be read (sdk.consumer)")
            else:
                hit = {m for m in _SDK_IMPORT.findall(text) if m in names and m != svc}
                out.add(hit, f"{f} imports the SDK of (sdk.consumer)")
        if catalog.reads("docs") and (not docs or f.startswith(docs + "/")):
            if f.startswith(j(docs, "connect") + "/"):
                out.add(everyone, f"{f} changed (docs.connect reads the connect docs for every service)")
            elif f.endswith(".md"):
                out.add(linking(f) - {n for n, page in pages.items() if page == f}, f"{f} changed and the service pages of these services link to it (artifacts.docs-page)")
                page_of = next((n for n, page in pages.items() if page == f), None)
                if page_of is not None:
                    out.add(related(page_of), f"{f} changed: the pages related to {page_of} (docs.cross-links)")
        if (catalog.reads("packages") and packages and f.startswith(packages + "/")
                and not f.startswith(j(packages, "sdk-"))):
            out.add(everyone, f"{f} changed (a shared package: code items resolve imports into it)")
    return out


def base_reader(base: BaseFiles) -> Callable[[str], str | None]:
    """A ``base_text`` for :func:`touched_by_inputs` from the base commit's files."""

    def read(path: str) -> str | None:
        if not base.sha:
            raise Unreadable(path)
        try:
            return base.text(path)
        except RemoteError as exc:
            raise Unreadable(str(exc)) from None

    return read


def removed_reader(root: Path, base: BaseFiles, head: str) -> Callable[[list[str]], str | None] | None:
    """A ``removed`` for :func:`touched_by_inputs`: one ``git diff-tree`` when both commits are in
    the checkout, else None."""
    from gate import gitrepo

    sha = base.sha
    if not base.local or not sha or not head:
        return None

    def read(paths: list[str]) -> str | None:
        try:
            return gitrepo.removed_lines(root, sha, head, paths)
        except gitrepo.GitError:
            return None

    return read
