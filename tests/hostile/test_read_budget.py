"""A total budget of bytes read per run (``limits.max_total_bytes``), besides the per-file and
per-folder limits: many large files end in a finding naming the largest ones, within the
suite's time and memory bounds (40 files of 30 MiB took 2.5 GB and 25 s without it)."""

from __future__ import annotations

from pathlib import Path

from gate.workspace import DEFAULT_MAX_TOTAL_BYTES, SourceProblem, Workspace
from tests.hostile.conftest import assert_clean, run_cli

SVC = "services/payments"
MIB = 1024 * 1024


def _budget_findings(run: object) -> list[dict[str, object]]:
    return [f for f in run.findings() if "limits.max_total_bytes" in str(f["message"])]  # type: ignore[attr-defined]


def test_forty_files_of_thirty_mib_stop_at_the_default_budget(repo: Path) -> None:
    for i in range(40):  # sparse: nothing is written to disk, but every byte read costs memory
        with open(repo / SVC / "src" / f"gen{i:02d}.ts", "wb") as fh:
            fh.truncate(30 * MIB)
    run = run_cli(repo, SVC)
    assert_clean(run)
    assert run.code == 1
    found = _budget_findings(run)
    assert found, "no budget finding"
    msg = str(found[0]["message"])
    assert f"its budget is {DEFAULT_MAX_TOTAL_BYTES // MIB}.0 MiB (limits.max_total_bytes)" in msg
    assert "the largest files read: services/payments/src/gen00.ts (30.0 MiB)" in msg
    assert found[0]["path"] and str(found[0]["path"]).startswith(f"{SVC}/src/gen")


def test_a_configured_budget_names_the_largest_text_files(repo: Path) -> None:
    cfg = repo / ".github" / "prod-readiness.yml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text("limits: {max_total_bytes: 4194304}\n", encoding="utf-8")
    line = "// " + "generated " * 10 + "\n"
    for i, mib in enumerate([2, 1, 1, 1, 1, 1]):
        (repo / SVC / "src" / f"gen{i}.ts").write_text((line * (mib * MIB // len(line) + 1))[: mib * MIB], encoding="utf-8")
    run = run_cli(repo, SVC)
    assert_clean(run)
    assert run.code == 1
    found = _budget_findings(run)
    assert found
    msg = str(found[0]["message"])
    assert "its budget is 4.0 MiB (limits.max_total_bytes)" in msg
    assert f"the largest files read: {SVC}/src/gen0.ts (2.0 MiB), {SVC}/src/gen1.ts (1.0 MiB)" in msg
    assert "raise limits.max_total_bytes" in msg


def test_budget_counts_each_file_once_and_refuses_before_reading(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" * 600_000)
    (tmp_path / "b").write_bytes(b"y" * 600_000)
    ws = Workspace(tmp_path, max_total_bytes=1_000_000)
    assert ws.read_bytes("a") is not None
    assert ws.text("a") is not None  # the same file again: not counted twice
    assert ws.bytes_read == 600_000
    try:
        ws.read_bytes("b")
    except SourceProblem as exc:
        assert exc.finding.path == "b"
        assert "the largest files read: a (600000 bytes)" in exc.finding.message
    else:
        raise AssertionError("read past the budget")
    assert ws.bytes_read == 600_000
