"""The base commit of the judged pull request: its files and its policy.

A change is judged by the policy from before it (the configuration and the files it names, at the
pull request's base), in ``pr`` as in ``promote``: a pull request cannot loosen its own policy.
"""

from __future__ import annotations

from pathlib import Path

from gate import UsageError, gitrepo
from gate import config as cfg
from gate.github import client as gh
from gate.options import load_config
from gate.workspace import RemoteError, Workspace

#: how to let the gate read the base commit's files, said when one cannot be read
READ_FIX = ("check out with the whole history and every blob (actions/checkout: fetch-depth: 0 and no "
            "`filter:`; git clone without --filter or --depth), or give the gate a github-token so it "
            "reads the base through GitHub's contents API")


class BaseUnreadable(RemoteError):
    """A file the base commit has (git lists it) whose contents could not be read: unknown,
    never absent."""


class BaseCommit:
    """Files at the PR's base commit (:class:`gate.workspace.BaseFiles`): git when the commit is
    in the workspace (a ``fetch-depth: 0`` checkout), else the contents API (one request per
    file).

    A file is absent at the base only when the base's tree does not list it (``git ls-tree``) or
    GitHub answers 404. A file the tree lists but git cannot read (a partial clone's missing blob,
    a shallow clone, a timeout) is read through the contents API when there is a client, else it
    raises :class:`BaseUnreadable`; a file or folder GitHub did not serve raises
    :class:`~gate.github.client.GitHubError` (both are :class:`~gate.workspace.RemoteError`:
    what the base holds is unknown, and the items that depend on it do not pass)."""

    def __init__(self, root: Path, sha: str | None, client: gh.Client | None, owner: str, repo: str) -> None:
        self.root, self.sha, self.client, self.owner, self.repo = root, sha, client, owner, repo
        self.local = bool(sha) and gitrepo.has_commit(root, sha or "")
        self._cache: dict[str, str | None] = {}

    def text(self, path: str) -> str | None:
        if not self.sha:
            return None
        if path not in self._cache:
            self._cache[path] = self._read(path)
        return self._cache[path]

    def _read(self, path: str) -> str | None:
        sha = self.sha or ""
        if self.local:
            try:
                return self._git(path, sha)
            except gitrepo.GitError as exc:
                if self.client is None:
                    raise BaseUnreadable(f"the base copy of {path} (commit {sha[:12]}) could not be read: {exc}; "
                                         f"{READ_FIX}") from None
                try:
                    return gh.file_at(self.client, self.owner, self.repo, path, sha)
                except gh.GitHubError as api:
                    raise BaseUnreadable(f"the base copy of {path} (commit {sha[:12]}) could not be read: {exc}; "
                                         f"nor through GitHub's API: {api}; {READ_FIX}") from None
        if self.client is None:
            return None
        return gh.file_at(self.client, self.owner, self.repo, path, sha)

    def _git(self, path: str, sha: str) -> str | None:
        """``path`` at ``sha`` from git: None when the commit's tree has no such file; GitError
        when git cannot list it or read a file it lists."""
        if path not in gitrepo.ls_tree(self.root, sha, path):
            return None
        return gitrepo.show(self.root, sha, path).decode("utf-8", "replace")

    def folders(self, path: str) -> list[str]:
        """Through the contents API (one request); none when the base has no such folder."""
        if self.client is None:
            raise gh.GitHubError("GET", "contents", None, "no GitHub client to read the base commit")
        return gh.folders_at(self.client, self.owner, self.repo, path, self.sha or "")


def base_policy(base: BaseCommit, root: Path, config_path: str) -> cfg.Config:
    """The configuration (and the files it names) at the base commit. A file GitHub did not serve,
    or git could not read, fails the run (exit 2), never a fallback to the changed policy."""
    try:
        text = base.text(config_path)
    except RemoteError as exc:
        raise UsageError(f"cannot read {config_path} at the base commit: {exc}; re-run the gate") from None

    def read_base(rel: str) -> str | None:
        try:
            return base.text(rel)
        except RemoteError as exc:
            raise cfg.ConfigError(f"cannot read {rel} at the base commit: {exc}") from None

    if text is None:
        return cfg.defaults()
    return load_config(Workspace(root), None, text=text, source=config_path, read=read_base)
