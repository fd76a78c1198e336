"""The repository under review, read safely, and the cache of parsed sources every check shares.

Every file is read at most once and parsed at most once per run. Reading is confined to the
repository: a path that leaves it (``..``, an absolute path, a symlink pointing outside) is never
followed; special files (FIFOs, devices) are never opened; files over the size limit are not
read. Each such refusal, and each parse error, is raised as :class:`SourceProblem`, which
carries the finding; the engine turns it into a ``fail`` of the item that needed the file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from gate.budget import OutOfTime, cpu_budget
from gate.model import Finding
from gate.sources.yaml.parse import YamlDoc, YamlError, load

if TYPE_CHECKING:  # the parsers load when a file of their kind is first read
    from gate.sources.markdown import parse as md
    from gate.sources.sql import parse as sqlsrc
    from gate.sources.ts import parse as ts
T = TypeVar("T")

DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_FILES = 20_000
#: bytes read from the repository in one run, all files together: the per-file and per-folder
#: limits alone let 40 files of 30 MiB (1.4 MB of git objects) take 4.9 GB of memory
DEFAULT_MAX_TOTAL_BYTES = 256 * 1024 * 1024
#: how many of the largest files a budget finding names
_LARGEST_NAMED = 5
#: Markdown larger than this is not parsed: markdown-it-py is slow on tables and nested inline
#: markup (about 15 µs per table cell)
MAX_MARKDOWN_BYTES = 512 * 1024
#: CPU seconds one Markdown page may take to parse: a table row of two characters is filled out
#: to its header's cells (256 columns: 0.5 ms a row), so a crafted page under the size limit could
#: take many minutes; past them the page is a finding (:mod:`gate.budget`)
MARKDOWN_SECONDS = 10.0
#: a TypeScript syntax tree deeper than this is not analysed: tree-sitter queries slow down with
#: depth (a 100,000-deep member chain takes 2 s per query; 20,000 deep, 0.1 s) and walkers would go as deep
MAX_TS_DEPTH = 20_000


class SourceProblem(Exception):
    """A file that could not be read or parsed; ``finding`` says which, where and why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _clean(rel: str) -> str:
    """Normalise a repo-relative POSIX path; refuse absolute paths and ``..`` that escape."""
    if rel and "\\" not in rel and rel[0] != "/" and all(p not in ("", ".", "..") for p in rel.split("/")):
        return rel  # already clean (the common case: paths the workspace itself listed)
    p = PurePosixPath(rel.replace("\\", "/"))
    if p.is_absolute():
        raise SourceProblem(Finding(f"{rel}: absolute paths are not read", None))
    parts: list[str] = []
    for part in p.parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise SourceProblem(Finding(f"{rel}: path leaves the repository; not read", None))
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


class Workspace:
    def __init__(
        self,
        root: Path,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        max_files: int = DEFAULT_MAX_FILES,
        max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    ) -> None:
        self.root = root.resolve()
        self.max_file_bytes = max_file_bytes
        self.max_files = max_files
        self.max_total_bytes = max_total_bytes
        #: bytes read from disk so far in this run, and per file (the budget finding names the largest)
        self.bytes_read = 0
        self.sizes: dict[str, int] = {}
        self._cache: dict[tuple[str, str], Any] = {}
        self._real_dirs: dict[Path, Path] = {}
        #: how many times each file was read from disk (tests assert "once")
        self.reads: dict[str, int] = {}

    # -- memo ---------------------------------------------------------------------------------
    def derive(self, kind: str, key: str, fn: Callable[[], T]) -> T:
        """Compute ``fn()`` once per run for ``(kind, key)``; a raised SourceProblem is cached too."""
        k = (kind, key)
        if k in self._cache:
            v = self._cache[k]
            if isinstance(v, SourceProblem):
                raise v
            return v  # type: ignore[no-any-return]
        try:
            v = fn()
        except SourceProblem as exc:
            self._cache[k] = exc
            raise
        self._cache[k] = v
        return v

    # -- safe access --------------------------------------------------------------------------
    def _resolve(self, rel: str) -> Path | None:
        """The real path of ``rel`` inside the repository, None when absent; SourceProblem when
        it leaves the repository or is not a regular file."""
        rel = _clean(rel)
        full = self.root / rel
        try:
            lst = os.lstat(full)
        except (FileNotFoundError, NotADirectoryError):
            # a symlinked parent pointing outside must not be probed further
            real = Path(os.path.realpath(full))
            if not _inside(real, self.root):
                raise SourceProblem(Finding(f"{rel} lies behind a symlink that leaves the repository; not read", rel)) from None
            return None
        except OSError as exc:
            raise SourceProblem(Finding(f"{rel} cannot be read ({exc.strerror})", rel)) from None
        real = self._real(full, stat.S_ISLNK(lst.st_mode))
        if not _inside(real, self.root):
            raise SourceProblem(Finding(f"{rel} is a symlink that leaves the repository; not read", rel))
        if stat.S_ISLNK(lst.st_mode) or real != full:
            try:
                lst = os.stat(real)
            except OSError:
                return None
        if stat.S_ISDIR(lst.st_mode):
            return real
        if not stat.S_ISREG(lst.st_mode):
            raise SourceProblem(Finding(f"{rel} is not a regular file; not read", rel))
        return real

    def _real(self, full: Path, is_link: bool) -> Path:
        """``os.path.realpath(full)``, with the real path of each folder computed once per run:
        a file that is not itself a symlink lies where its folder really is."""
        if is_link:
            return Path(os.path.realpath(full))
        parent = full.parent
        real_parent = self._real_dirs.get(parent)
        if real_parent is None:
            real_parent = self._real_dirs[parent] = Path(os.path.realpath(parent))
        return real_parent / full.name

    def exists(self, rel: str) -> bool:
        try:
            return self._resolve(rel) is not None
        except SourceProblem:
            return True  # it is there; reading it will report why it cannot be used

    def is_dir(self, rel: str) -> bool:
        try:
            p = self._resolve(rel)
        except SourceProblem:
            return False
        return p is not None and p.is_dir()

    def read_bytes(self, rel: str) -> bytes | None:
        """The file's bytes, None when it does not exist."""
        rel = _clean(rel)
        return self.derive("bytes", rel, lambda: self._read(rel))

    def _read(self, rel: str) -> bytes | None:
        real = self._resolve(rel)
        if real is None or real.is_dir():
            return None
        self.reads[rel] = self.reads.get(rel, 0) + 1
        too_large = SourceProblem(Finding(f"{rel} is larger than the {self.max_file_bytes} bytes limit; not read", rel))
        try:
            with open(real, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                if size > self.max_file_bytes:
                    raise too_large
                self._spend(rel, size)
                data = fh.read(self.max_file_bytes + 1)
        except OSError as exc:
            raise SourceProblem(Finding(f"{rel} cannot be read ({exc.strerror})", rel)) from None
        if len(data) > self.max_file_bytes:
            raise too_large
        self._spend(rel, len(data) - size)  # a file that changed size while read counts as read
        return data

    def _spend(self, rel: str, n: int) -> None:
        """Count ``n`` more bytes of ``rel`` against the run's budget; SourceProblem (naming the
        largest files read) when they would pass it."""
        if n > 0 and self.bytes_read + n > self.max_total_bytes:
            largest = sorted(self.sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:_LARGEST_NAMED]
            named = ", ".join(f"{p} ({_mib(b)})" for p, b in largest) or "none yet"
            raise SourceProblem(Finding(
                f"{rel} ({_mib(n)}) not read: this run has read {_mib(self.bytes_read)} of the repository and "
                f"its budget is {_mib(self.max_total_bytes)} (limits.max_total_bytes); the largest files read: "
                f"{named}. Remove or shrink the large files, or raise limits.max_total_bytes", rel))
        self.bytes_read += n
        self.sizes[rel] = self.sizes.get(rel, 0) + n

    def text(self, rel: str) -> str | None:
        rel = _clean(rel)
        return self.derive("text", rel, lambda: self._text(rel))

    def _text(self, rel: str) -> str | None:
        data = self.read_bytes(rel)
        if data is None:
            return None
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise SourceProblem(Finding(f"{rel} is not valid UTF-8 (byte {exc.start}); not read", rel, line)) from None
        if "\x00" in text:
            raise SourceProblem(Finding(f"{rel} is a binary file (NUL byte); not read", rel, 1))
        return text

    def sha256(self, rel: str) -> str | None:
        data = self.read_bytes(rel)
        return None if data is None else hashlib.sha256(data).hexdigest()

    def files(self, rel_dir: str, suffixes: Iterable[str] = ()) -> list[str]:
        """Repo-relative paths of the files below ``rel_dir`` (sorted; symlinked directories not
        entered), optionally only those ending in one of ``suffixes``."""
        sfx = tuple(suffixes)
        rel_dir = _clean(rel_dir)
        return self.derive("files", f"{rel_dir}|{'|'.join(sfx)}", lambda: self._files(rel_dir, sfx))

    def _files(self, rel_dir: str, sfx: tuple[str, ...]) -> list[str]:
        base = self._resolve(rel_dir) if rel_dir else self.root
        if base is None or not base.is_dir():
            return []
        if base != self.root / rel_dir:
            raise SourceProblem(Finding(f"{rel_dir} is a symlinked directory; not entered", rel_dir))
        out: list[str] = []
        seen = 0  # every file counts toward the limit, whatever its suffix
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if d not in (".git", "node_modules"))
            seen += len(filenames)
            for name in filenames:
                if not sfx or name.endswith(sfx):
                    out.append(Path(dirpath, name).relative_to(self.root).as_posix())
            if seen > self.max_files:
                raise SourceProblem(
                    Finding(f"{rel_dir} holds more than {self.max_files} files; not read", rel_dir)
                )
        return sorted(out)

    # -- parsed sources -----------------------------------------------------------------------
    def yaml(self, rel: str) -> YamlDoc | None:
        rel = _clean(rel)
        return self.derive("yaml", rel, lambda: self._yaml(rel))

    def _yaml(self, rel: str) -> YamlDoc | None:
        text = self.text(rel)
        if text is None:
            return None
        try:
            data = load(text)
        except YamlError as exc:
            raise SourceProblem(Finding(f"{rel}: {exc.message}", rel, exc.line)) from None
        return YamlDoc(rel, text, data)

    def markdown(self, rel: str) -> md.MarkdownDoc | None:
        rel = _clean(rel)

        def make() -> md.MarkdownDoc | None:
            from gate.sources.markdown import parse as md
            text = self.text(rel)
            if text is None:
                return None
            if len(text) > MAX_MARKDOWN_BYTES:
                raise SourceProblem(Finding(
                    f"{rel} is larger than the {MAX_MARKDOWN_BYTES} characters Markdown limit; not parsed "
                    "(split the page)", rel, 1, 1))
            try:
                with cpu_budget(MARKDOWN_SECONDS):
                    return md.parse(rel, text)
            except OutOfTime:
                raise SourceProblem(Finding(
                    f"{rel} took more than {MARKDOWN_SECONDS:g} s of CPU to parse, the most the gate spends on a "
                    "Markdown page (tables with many columns, long runs of brackets); not judged: simplify or "
                    "split the page", rel, 1, 1)) from None

        return self.derive("markdown", rel, make)

    def typescript(self, rel: str) -> ts.TsFile | None:
        rel = _clean(rel)

        def make() -> ts.TsFile | None:
            from gate.sources.ts import parse as ts
            text = self.text(rel)  # decoded once to refuse binary / invalid UTF-8
            if text is None:
                return None
            f = ts.parse(rel, text.encode("utf-8"))
            deep = _too_deep(f.root, MAX_TS_DEPTH)
            if deep is not None:
                raise SourceProblem(Finding(
                    f"{rel} nests expressions more than {MAX_TS_DEPTH} levels deep; not analysed "
                    "(simplify the expression)", rel, deep, deep))
            return f

        return self.derive("typescript", rel, make)

    def sql(self, rel: str) -> sqlsrc.SqlFile | None:
        rel = _clean(rel)

        def make() -> sqlsrc.SqlFile | None:
            from gate.sources.sql import parse as sqlsrc
            text = self.text(rel)
            return None if text is None else sqlsrc.parse(rel, text)

        return self.derive("sql", rel, make)


def _too_deep(root: Any, limit: int) -> int | None:
    """The 1-based line of the first node deeper than ``limit`` in a tree-sitter tree, None
    when the tree is shallower; iterative (a cursor), linear in the tree's size."""
    cur = root.walk()
    depth = 0
    while True:
        if depth > limit:
            return int(cur.node.start_point[0]) + 1
        if cur.goto_first_child():
            depth += 1
            continue
        while not cur.goto_next_sibling():
            if not cur.goto_parent():
                return None
            depth -= 1


def _mib(n: int) -> str:
    return f"{n} bytes" if n < 1024 * 1024 else f"{n / (1024 * 1024):.1f} MiB"


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


# -- the base commit of a change ------------------------------------------------------------------
class RemoteError(Exception):
    """A remote source that could not be read (GitHub's API: :class:`gate.github.client.GitHubError`):
    what it holds is unknown, never absent."""


class BaseFiles(Protocol):
    """The files of a change's base commit (a pull request's base), read on demand: what the
    change is compared with. The pull request modes read them with git when the checkout holds
    the commit, else from GitHub's contents API (:class:`gate.modes.pr.base.BaseCommit`)."""

    @property
    def sha(self) -> str | None:
        """The base commit; None when it is unknown (every file reads as None then)."""

    @property
    def local(self) -> bool:
        """The checkout holds the base commit (git lists it: :func:`gate.gitrepo.ls_tree`)."""

    def text(self, path: str) -> str | None:
        """The file ``path`` at the base commit, None when the commit has none. Raises
        :class:`RemoteError` when it could not be read."""

    def folders(self, path: str) -> list[str]:
        """The names of the folders directly in ``path`` at the base commit (none when it has no
        such folder). Raises :class:`RemoteError` when they could not be listed."""
