"""The base commit of the judged pull request: its files and its policy.

A change is judged by the policy from before it (the configuration and the files it names, at the
pull request's base), in ``pr`` as in ``promote``: a pull request cannot loosen its own policy.
"""

from __future__ import annotations

from pathlib import Path

from gate import UsageError
from gate import config as cfg
from gate.github import client as gh
from gate.modes.pr import git
from gate.options import load_config
from gate.workspace import Workspace


class BaseCommit:
    """Files at the PR's base commit (:class:`gate.workspace.BaseFiles`): ``git show`` when the
    commit is in the workspace (a ``fetch-depth: 0`` checkout), else the contents API (one request
    per file). A file or folder GitHub did not serve raises :class:`~gate.github.client.GitHubError`."""

    def __init__(self, root: Path, sha: str | None, client: gh.Client | None, owner: str, repo: str) -> None:
        self.root, self.sha, self.client, self.owner, self.repo = root, sha, client, owner, repo
        self.local = bool(sha) and git.has_commit(root, sha or "")
        self._cache: dict[str, str | None] = {}

    def text(self, path: str) -> str | None:
        if not self.sha:
            return None
        if path not in self._cache:
            self._cache[path] = self._read(path)
        return self._cache[path]

    def _read(self, path: str) -> str | None:
        if self.local:
            return git.show(self.root, self.sha or "", path)
        if self.client is None:
            return None
        return gh.file_at(self.client, self.owner, self.repo, path, self.sha or "")

    def folders(self, path: str) -> list[str]:
        """Through the contents API (one request); none when the base has no such folder."""
        if self.client is None:
            raise gh.GitHubError("GET", "contents", None, "no GitHub client to read the base commit")
        return gh.folders_at(self.client, self.owner, self.repo, path, self.sha or "")


def base_policy(base: BaseCommit, root: Path, config_path: str) -> cfg.Config:
    """The configuration (and the files it names) at the base commit. A file GitHub did not serve
    fails the run (exit 2), never a fallback to the changed policy."""
    try:
        text = base.text(config_path)
    except gh.GitHubError as exc:
        raise UsageError(f"cannot read {config_path} at the base commit: {exc}; re-run the gate") from None

    def read_base(rel: str) -> str | None:
        try:
            return base.text(rel)
        except gh.GitHubError as exc:
            raise cfg.ConfigError(f"cannot read {rel} at the base commit: {exc}") from None

    if text is None:
        return cfg.defaults()
    return load_config(Workspace(root), None, text=text, source=config_path, read=read_base)
