"""The workspace: confined, cached, size-limited reading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gate.workspace import SourceProblem, Workspace
from tests.helpers import write_tree


def test_reads_once_and_caches(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.yaml": "x: 1\n"})
    ws = Workspace(tmp_path)
    assert ws.yaml("a.yaml") is ws.yaml("./a.yaml")
    ws.text("a.yaml")
    assert ws.reads == {"a.yaml": 1}


def test_missing_file_is_none(tmp_path: Path) -> None:
    assert Workspace(tmp_path).text("nope.md") is None


def test_dotdot_escape_is_refused(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "repo")
    (tmp_path / "repo").mkdir()
    (tmp_path / "secret").write_text("s")
    with pytest.raises(SourceProblem, match="leaves the repository"):
        ws.text("../secret")
    with pytest.raises(SourceProblem, match="absolute"):
        ws.text("/etc/passwd")


def test_symlink_out_of_repo_is_never_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("TOP SECRET")
    os.symlink(outside, repo / "RUNBOOK.md")
    os.symlink(tmp_path, repo / "dir")
    ws = Workspace(repo)
    with pytest.raises(SourceProblem) as exc:
        ws.text("RUNBOOK.md")
    assert "symlink" in exc.value.finding.message
    assert "TOP SECRET" not in exc.value.finding.message
    with pytest.raises(SourceProblem):
        ws.text("dir/outside.txt")
    assert ws.reads == {}


def test_symlink_inside_repo_is_followed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"real.md": "# hi\n"})
    os.symlink(tmp_path / "real.md", tmp_path / "link.md")
    assert Workspace(tmp_path).text("link.md") == "# hi\n"


def test_size_limit(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_bytes(b"a" * 5000)
    with pytest.raises(SourceProblem, match="larger than the 2000 bytes limit"):
        Workspace(tmp_path, max_file_bytes=2000).text("big.yaml")


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(SourceProblem, match="not a regular file"):
        Workspace(tmp_path).text("pipe.md")


def test_invalid_utf8_and_binary(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes(b"ok\n\xff\xfe\n")
    (tmp_path / "bin.md").write_bytes(b"a\x00b")
    ws = Workspace(tmp_path)
    with pytest.raises(SourceProblem) as exc:
        ws.text("bad.md")
    assert exc.value.finding.line == 2
    with pytest.raises(SourceProblem, match="binary"):
        ws.text("bin.md")


def test_yaml_error_has_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"s.yaml": "a: 1\nb: [\n"})
    with pytest.raises(SourceProblem) as exc:
        Workspace(tmp_path).yaml("s.yaml")
    assert exc.value.finding.path == "s.yaml"
    assert exc.value.finding.line is not None


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{','.join(['*a' + str(i - 1)] * 10)}]")
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceProblem, match="expands to more than"):
        Workspace(tmp_path).yaml("bomb.yaml")


def test_yaml_lines_symbolic(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "service.yaml": """
            name: x
            on_call:
              primary: alice
              secondary: bob
            scopes:
              - name: a
              - name: b
            """
        },
    )
    doc = Workspace(tmp_path).yaml("service.yaml")
    assert doc is not None
    assert doc.line(["on_call", "secondary"]) == 4
    assert doc.line(["on_call", "pagerduty_schedule"]) == 2  # missing: the parent's line
    assert doc.line(["scopes", 1]) == 7
    assert doc.line(["nope"]) == 1


def test_files_lists_without_entering_symlinked_dirs(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/a.ts": "", "src/sub/b.ts": "", "src/c.md": ""})
    os.symlink(tmp_path / "src", tmp_path / "src" / "loop")
    assert Workspace(tmp_path).files("src", [".ts"]) == ["src/a.ts", "src/sub/b.ts"]


@pytest.mark.parametrize("text", ["[" * 200_000 + "]" * 200_000, "- " * 100_000 + "x\n", "a: " + "{b: " * 5000 + "1" + "}" * 5000])
def test_yaml_deep_nesting_is_refused_not_crashed(tmp_path: Path, text: str) -> None:
    (tmp_path / "deep.yaml").write_text(text)
    with pytest.raises(SourceProblem, match="nests deeper than"):
        Workspace(tmp_path).yaml("deep.yaml")
