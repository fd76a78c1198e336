"""Writes outside: ``check --out-dir``, ``check --output`` and ``catalog --out`` never write through
a symlink committed in the judged repository, wherever it is on the path (the folder asked
for, a folder above it, the file itself): exit 2 with a clear message, nothing written outside.
A symlink of the user's own, outside the repository, is followed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gate.safeio import safe_write
from tests.hostile.conftest import NOW, ROOT, platform


def _gate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "gate", *args, "--offline", "--now", NOW], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    repo = platform(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    return repo, outside


def _nothing_outside(outside: Path) -> None:
    assert [p.name for p in outside.rglob("*")] == [], "written outside the repository"


@pytest.mark.parametrize("args,link,target", [
    (("check", "--out-dir", "reports"), "reports", "."),
    (("check", "--out-dir", "a/b/reports"), "a", "."),
    (("check", "--format", "json", "--output", "out/sub/report.json"), "out/sub", "."),
    (("check", "--format", "json", "--output", "report.json"), "report.json", "stolen.json"),
    (("catalog", "--out", "site"), "site", "."),
    (("catalog", "--out", "pages/site"), "pages", "."),
])
def test_a_symlink_in_the_repository_is_refused(setup: tuple[Path, Path], args: tuple[str, ...], link: str,
                                                 target: str) -> None:
    repo, outside = setup
    p = repo / link
    p.parent.mkdir(parents=True, exist_ok=True)
    p.symlink_to(outside / target if target != "." else outside)
    r = _gate(repo, *args)
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr
    assert "prodgate does not write through it" in r.stderr, r.stderr
    assert "symlink" in r.stderr
    _nothing_outside(outside)


def test_a_users_own_symlink_outside_the_repository_is_followed(setup: tuple[Path, Path], tmp_path: Path) -> None:
    repo, outside = setup
    (tmp_path / "mine").symlink_to(outside)
    r = _gate(repo, "check", "--format", "json", "--output", str(tmp_path / "mine" / "r" / "report.json"))
    assert r.returncode in (0, 1), r.stderr
    assert (outside / "r" / "report.json").is_file()


def test_reports_inside_the_repository_are_written_and_rewritten(setup: tuple[Path, Path]) -> None:
    repo, _ = setup
    for _ in range(2):
        r = _gate(repo, "check", "--out-dir", "reports/deep", "--format", "json,text")
        assert r.returncode in (0, 1), r.stderr
    assert sorted(p.name for p in (repo / "reports" / "deep").iterdir()) == ["report.json", "report.txt"]
    assert oct((repo / "reports" / "deep" / "report.json").stat().st_mode & 0o777) == "0o644"


def test_safe_write_refuses_every_kind_of_target(tmp_path: Path) -> None:
    from gate import UsageError

    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    (repo / "dir-link").symlink_to(outside)
    (repo / "file-link").symlink_to(outside / "x")
    (repo / "dangling").symlink_to(tmp_path / "nowhere")
    (repo / "plain-file").write_text("x", encoding="utf-8")
    os.mkfifo(repo / "fifo")
    for rel in ("dir-link/r.json", "dir-link/a/b/r.json", "file-link", "dangling", "dangling/r.json",
                "plain-file/r.json", "fifo", "a/../dir-link/r.json"):
        with pytest.raises(UsageError):
            safe_write(repo / rel, "{}", repo)
    _nothing_outside(outside)
    assert not (tmp_path / "nowhere").exists()
    safe_write(repo / "ok" / "r.json", "{}", repo)
    assert (repo / "ok" / "r.json").read_text(encoding="utf-8") == "{}"
    assert [p.name for p in (repo / "ok").iterdir()] == ["r.json"]  # no temporary file left


def test_a_device_or_link_the_user_names_outside_the_repository_is_written(setup: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    repo, outside = setup
    safe_write(Path("/dev/null"), "{}\n", repo)  # --output /dev/null
    link = tmp_path / "mine.json"  # the user's own link outside the repository
    link.symlink_to(outside / "real.json")
    safe_write(link, "{}\n", repo)
    assert (outside / "real.json").read_text(encoding="utf-8") == "{}\n"
    # a link outside that leads into a repository symlink is judged where it leads
    (repo / "trap").symlink_to(outside)
    sneaky = tmp_path / "sneaky.json"
    sneaky.symlink_to(repo / "trap" / "x.json")
    with pytest.raises(Exception, match="symlink in the repository"):
        safe_write(sneaky, "{}\n", repo)
    assert not (outside / "x.json").exists()


def test_output_to_dev_stdout_goes_to_standard_output(setup: tuple[Path, Path]) -> None:
    repo, _ = setup
    r = _gate(repo, "check", "--format", "json", "--output", "/dev/stdout")
    assert r.returncode in (0, 1), r.stderr[-2000:]
    assert r.stdout.lstrip().startswith("{") and '"schema": "prodgate.report/v1"' in r.stdout
