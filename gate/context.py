"""What a check is given: the service, the parsed-source cache, the configuration, the clock.

A check is a pure function ``check(ctx) -> Result``: it reads sources through ``ctx.ws`` (never
opens files or calls the network itself) and returns a status with findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gate.config import Config
from gate.model import Finding, Level
from gate.services import Service
from gate.sources.yaml.parse import Key, YamlDoc
from gate.workspace import SourceProblem, Workspace

if TYPE_CHECKING:  # annotations only: an offline run imports neither
    from gate.github.evidence import GitHubEvidence, PullRequestEvidence
    from gate.providers.session import Live


@dataclass
class Providers:
    """``RunInfo.providers``: the command line's options for live evidence, and the run's
    :class:`gate.providers.session.Live` once made (:func:`gate.providers.live.for_run`). It lives
    here, not beside ``Live``, so that a run that asks no provider never imports them (their
    HTTP, TLS and thread-pool modules: about 20 ms of every offline run)."""

    #: ``--offline``: no provider and no live database is asked
    offline: bool = False
    #: ``--database-url``: the live database of data.grants
    database_url: str | None = None
    live: Live | None = None


@dataclass
class RunInfo:
    """What is shared by every check of one run."""

    ws: Workspace
    config: Config
    now: dt.datetime
    mode: str = "check"
    #: the pull request under review (pr mode) or that brought the promoted commit (promote)
    pr: PullRequestEvidence | None = None
    #: the base commit (``--base`` or the PR's base sha): what is new in this change
    base: str | None = None
    all_services: list[Service] = field(default_factory=list)
    #: evidence gathered from GitHub for this run (check runs, statuses, deployments...); None
    #: when the run reads no GitHub (``check``, no token)
    github: GitHubEvidence | None = None
    #: the live providers' options from the command line, and the run's providers once started
    providers: Providers = field(default_factory=Providers)
    strict: bool = False


@dataclass
class RunCtx:
    """What every check is given: the run, and its workspace, configuration and clock."""

    run: RunInfo

    @property
    def ws(self) -> Workspace:
        return self.run.ws

    @property
    def config(self) -> Config:
        return self.run.config

    @property
    def now(self) -> dt.datetime:
        return self.run.now


@dataclass
class ChangeCtx(RunCtx):
    """Context of the change-level items (approved, ci-green, freeze)."""


@dataclass
class Ctx(RunCtx):
    """Context of one service's items."""

    service: Service

    # -- paths --------------------------------------------------------------------------------
    def path(self, *parts: str) -> str:
        """Repo-relative path inside the service folder."""
        return self.service.rel(*parts)

    def docs(self, *parts: str) -> str:
        root = self.config.path("docs")
        return "/".join((root, *parts)) if root else "/".join(parts)

    # -- service.yaml -------------------------------------------------------------------------
    @property
    def manifest(self) -> YamlDoc:
        """The parsed service.yaml (SourceProblem when it is missing, unreadable or holds a value
        of the wrong type: :func:`gate.sources.yaml.manifest.checked`)."""
        from gate.sources.yaml.manifest import checked

        doc = self.manifest_unchecked
        checked(self.ws, self.service.manifest_path)
        return doc

    @property
    def manifest_unchecked(self) -> YamlDoc:
        """The parsed service.yaml as written, wrong types included: for artifacts.service-yaml,
        which reports them (SourceProblem when it is missing or unreadable)."""
        doc = self.ws.yaml(self.service.manifest_path)
        if doc is None:
            raise SourceProblem(Finding("service.yaml is missing", self.service.manifest_path))
        if not isinstance(doc.data, dict):
            raise SourceProblem(
                Finding("service.yaml is not a mapping of keys", self.service.manifest_path, 1)
            )
        return doc

    def spec(self, *keys: Key, default: Any = None) -> Any:
        return self.manifest.get(keys, default)

    def spec_str(self, *keys: Key) -> str | None:
        v = self.spec(*keys)
        return v if isinstance(v, str) else None

    def spec_list(self, *keys: Key) -> list[Any]:
        v = self.spec(*keys)
        return v if isinstance(v, list) else []

    def spec_dict(self, *keys: Key) -> dict[str, Any]:
        v = self.spec(*keys)
        return v if isinstance(v, dict) else {}

    def spec_line(self, *keys: Key) -> int:
        """Line of ``keys`` in service.yaml (the parent key's line when the key is missing)."""
        return self.manifest.line(keys)

    def spec_finding(self, message: str, *keys: Key, level: Level = Level.FAILURE) -> Finding:
        line = self.spec_line(*keys)
        return Finding(message, self.service.manifest_path, line, line, level)
