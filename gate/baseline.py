"""``pr`` mode: the base commit is the reference for which services exist.

A pull request must not make a stable service disappear from the verdict: deleting or renaming
its ``service.yaml``, replacing its folder by a symlink or a git submodule, or moving the folder
makes discovery at the head skip it ("Ready — 0 services"). Here the services of the **base**
commit are listed (``git ls-tree`` when the base commit is in the checkout, else one request to
the contents API), and every one that was ``stable`` on the base and is not discovered at the
head is reported as a failing service, unless the configuration (of the base commit)
allows its removal (``services.allow_removal``).

What cannot be known fails closed: the base listing that could not be read, or a PR whose
changed files GitHub does not list completely and git cannot diff (a shallow checkout), blocks
with a finding saying how to make it knowable.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from gate import catalog, gitrepo
from gate.config import Config
from gate.model import Finding, ItemResult, Level, Report, ServiceReport, Status
from gate.services import Service
from gate.sources.yaml.parse import YamlError, load
from gate.workspace import BaseFiles, RemoteError, SourceProblem, Workspace

#: the change-level item that carries the findings about the run's own evidence (the checkout)
RUN_ITEM = "promotion.ci-green"


@dataclass
class Baseline:
    """What the base commit says about the services the head no longer has."""

    #: one failing report per stable service of the base that is gone at the head
    reports: list[ServiceReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: findings about what could not be known (they block the pull request)
    problems: list[Finding] = field(default_factory=list)


def _status(text: str | None) -> tuple[str, str]:
    """(status, owner) of a service.yaml text; empty strings when it says nothing usable."""
    if not text:
        return "", ""
    try:
        data = load(text)
    except YamlError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    st, owner = data.get("status"), data.get("owner")
    return (st if isinstance(st, str) else ""), (owner if isinstance(owner, str) else "")


def base_service_dirs(root: Path, base: BaseFiles, services_root: str) -> list[str]:
    """Repo-relative folders of the base commit's services root that may hold a service (local
    git: the folders holding a ``service.yaml``; the contents API: every folder). Raises
    ``gitrepo.GitError`` / ``RemoteError`` when the listing cannot be read."""
    sha = base.sha or ""
    prefix = f"{services_root}/" if services_root else ""
    if base.local:
        files = gitrepo.ls_tree(root, sha, services_root)
        out = set()
        for path in files:
            rest = path[len(prefix):] if path.startswith(prefix) else None
            if rest is None:
                continue
            name, _, tail = rest.partition("/")
            if tail == "service.yaml":
                out.add(f"{prefix}{name}")
        return sorted(out)
    return sorted(f"{prefix}{name}" for name in base.folders(services_root))


def _why_gone(ws: Workspace, folder: str) -> str:
    """What became of the folder at the head, in words."""
    full = ws.root / folder
    if full.is_symlink():
        return f"{folder} is now a symlink (a service folder must be a real folder of this repository)"
    if not full.exists():
        return f"its folder {folder} was removed or renamed"
    if (full / ".git").exists() or (full / ".git").is_symlink():
        return f"{folder} is now a git submodule or a nested repository (not this repository's content)"
    for other in ("service.yml", "Service.yaml", "service.yaml.bak", "service.json"):
        if (full / other).exists() or (full / other).is_symlink():
            return f"service.yaml was renamed ({folder}/{other} is not read: the file must be named service.yaml)"
    try:
        empty = not any(full.iterdir())
    except OSError:
        return f"{folder} cannot be read"
    if empty:
        return f"{folder} is empty (a git submodule that is not checked out?)"
    return f"{folder}/service.yaml was deleted"


def _allowed(config: Config, name: str) -> bool:
    return config.services.may_remove(name)


def _gone_report(name: str, folder: str, status: str, owner: str, why: str) -> ServiceReport:
    manifest = f"{folder}/service.yaml"
    message = (
        f"stable service {name} ({manifest} on the base commit) is gone in this pull request: {why}. "
        f"A service in production cannot leave the gate's view: restore {manifest} (named service.yaml, in a real "
        f"folder of this repository), or retire the service on purpose by adding {name} to services.allow_removal "
        "in the configuration (merged first: the base commit's configuration judges this pull request)")
    reason = "not evaluated: the service is gone at the head commit"
    items = []
    for item in catalog.SERVICE_ITEMS:
        if item.id == "artifacts.service-yaml":
            items.append(ItemResult(item.id, item.section, item.title, Status.FAIL,
                                    (Finding(message, manifest, None, None, Level.FAILURE),),
                                    "the stable service of the base commit is gone"))
        else:
            items.append(ItemResult(item.id, item.section, item.title, Status.UNVERIFIED, (), reason))
    return ServiceReport(name, folder, tuple(items), status, owner)


def compare(ws: Workspace, base: BaseFiles, config: Config, head: list[Service]) -> Baseline:
    """The stable services of the base commit that the head does not have."""
    out = Baseline()
    if not base.sha:
        out.problems.append(Finding(
            "the pull request's base commit is unknown: the services it had cannot be listed, so a stable "
            "service this pull request removes would go unseen; re-run the gate on a pull_request or "
            "merge_group event", None, None, None, Level.FAILURE))
        return out
    services_root = config.path("services")
    try:
        dirs = base_service_dirs(ws.root, base, services_root)
    except (gitrepo.GitError, RemoteError) as exc:
        out.problems.append(Finding(
            f"the services of the base commit {base.sha[:12]} could not be listed ({exc}): a stable service this "
            "pull request removes would go unseen; re-run the gate (with actions/checkout, fetch-depth: 0 lets it "
            "read the base commit locally)", None, None, None, Level.FAILURE))
        return out
    present = {s.dir for s in head}
    for folder in dirs:
        if folder in present:
            continue
        name = folder.rsplit("/", 1)[-1]
        try:
            status, owner = _status(base.text(f"{folder}/service.yaml"))
        except RemoteError as exc:
            out.problems.append(Finding(
                f"{folder}/service.yaml of the base commit could not be read ({exc}) and the service is gone at the "
                "head: re-run the gate", f"{folder}/service.yaml", None, None, Level.FAILURE))
            continue
        if not status:
            if base.text(f"{folder}/service.yaml") is not None:
                out.notes.append(f"{folder}: the base commit's service.yaml has no status; the folder is gone or "
                                 "no longer a service at the head.")
            continue
        try:
            why = _why_gone(ws, folder)
        except (OSError, SourceProblem):
            why = f"{folder} cannot be read"
        if status != "stable":
            out.notes.append(f"Service {name} ({status} on the base commit) is gone in this pull request: {why}.")
            continue
        if _allowed(config, name):
            out.notes.append(f"Stable service {name} is removed by this pull request ({why}); "
                             "services.allow_removal allows it.")
            continue
        out.reports.append(_gone_report(name, folder, status, owner, why))
    return out


def unlisted_files_finding(declared: int, limit: int) -> Finding:
    """The PR's changed files could not all be listed: which services it touches is unknown."""
    return Finding(
        f"the pull request changes {declared} files; GitHub lists at most {limit} and git could not diff "
        "base...head in the workspace (the checkout is shallow), so the gate cannot tell which services it "
        "touches; every service was judged and this pull request is blocked until the list is complete: check out "
        "with `fetch-depth: 0` (actions/checkout) so that the gate diffs the base and head commits locally",
        None, None, None, Level.FAILURE)


def block(report: Report, problems: list[Finding]) -> Report:
    """Fail the run item (``promotion.ci-green``) with ``problems``: evidence about the pull request
    itself that could not be had. The change-level items block whenever a judged service blocks."""
    if not problems:
        return report
    items = []
    for it in report.items:
        if it.id == RUN_ITEM:
            it = dataclasses.replace(it, status=Status.FAIL, findings=(*problems, *it.findings),
                                     reason="the gate could not know everything this pull request changes")
        items.append(it)
    return dataclasses.replace(report, items=tuple(items), scope_unknown=True)
