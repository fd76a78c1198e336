"""Hostile file contents in every role: a 1 GB sparse file, binary and invalid UTF-8, YAML bombs,
deep nesting, duplicate keys, merge keys and custom tags, Markdown / SQL / TypeScript crafted to
make parsers slow or walkers recurse, and 10,000 files in a service. Each run: a finding or a
clear error, within the suite's time and memory bounds, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.conftest import assert_clean, run_cli

SVC = "services/payments"
ROLE_FILES = {
    "service.yaml": f"{SVC}/service.yaml",
    "RUNBOOK.md": f"{SVC}/RUNBOOK.md",
    "README.md": f"{SVC}/README.md",
    "openapi.yaml": f"{SVC}/openapi.yaml",
    "index.ts": f"{SVC}/src/index.ts",
    "infra.ts": f"{SVC}/infra.ts",
    "migration": f"{SVC}/migrations/0001_create_payments.sql",
    "docs-page": "docs/services/payments.md",
    "package.json": f"{SVC}/package.json",
}


def _put(repo: Path, rel: str, data: bytes) -> None:
    p = repo / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)


def _finding_at(run: object, rel: str, words: str) -> None:
    fs = [f for f in run.findings() if f["path"] == rel and words in f["message"]]  # type: ignore[attr-defined]
    assert fs, f"no finding at {rel} saying {words!r}"


def test_one_gigabyte_sparse_file_in_every_role(repo: Path) -> None:
    for rel in ROLE_FILES.values():
        p = repo / rel
        with open(p, "wb") as fh:
            fh.truncate(1024**3)  # sparse: no gigabyte is written
    run = run_cli(repo, SVC)
    assert_clean(run)
    assert run.code == 1
    for rel in (ROLE_FILES["service.yaml"],):
        _finding_at(run, rel, "is larger than the 33554432 bytes limit; not read")


BAD_BYTES = {
    "binary": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8,
    "invalid-utf8": b"name: payments\nowner: \xff\xfe\xc3\x28 team\n",
    "utf16": "name: payments\n".encode("utf-16"),
    "nul-in-text": b"# Runbook\n\x00\n## Alarms\n",
}


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_binary_and_invalid_utf8_in_every_role(repo: Path, kind: str) -> None:
    for rel in ROLE_FILES.values():
        _put(repo, rel, BAD_BYTES[kind])
    run = run_cli(repo, SVC)
    assert_clean(run)
    assert run.code == 1
    words = "is not valid UTF-8" if kind in ("invalid-utf8", "utf16", "binary") else "is a binary file"
    for rel in (ROLE_FILES["service.yaml"], ROLE_FILES["RUNBOOK.md"]):
        _finding_at(run, rel, words)


BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    + "name: *i\n"
)

YAMLS = {
    "alias-bomb": (BOMB, "expands to more than"),
    "deep-flow": ("name: " + "[" * 100_000 + "]" * 100_000 + "\n", "nests deeper than 500"),
    "deep-block": ("name:\n" + "".join("  " * i + f"k{i}:\n" for i in range(3000)) + "  " * 3000 + "v\n", "nests"),
    "deep-dashes": ("- " * 5000 + "x\n", "nests deeper than 500"),
    "python-tag": ("name: !!python/object/apply:os.system ['echo pwned']\n", "could not determine a constructor"),
    "python-name": ("name: !!python/name:os.system\n", "could not determine a constructor"),
    "custom-tag": ("name: !vault payments\nowner: team\n", "could not determine a constructor"),
    "duplicate-key": ("name: payments\nowner: team-a\nstatus: stable\nowner: team-evil\n", "duplicate key 'owner'"),
    "merge-keys": ("base: &b {owner: team-payments, status: stable}\nname: payments\n<<: *b\n", ""),
    "many-documents": ("name: payments\n---\nname: other\n", "document"),
    "huge-scalar": ("name: " + "x" * 5_000_000 + "\n", ""),
    "many-keys": ("".join(f"k{i}: v\n" for i in range(200_000)), ""),
}


@pytest.mark.parametrize("case", sorted(YAMLS))
def test_hostile_service_yaml(repo: Path, case: str) -> None:
    text, words = YAMLS[case]
    _put(repo, ROLE_FILES["service.yaml"], text.encode())
    run = run_cli(repo, SVC)
    assert_clean(run, ["pwned"])
    assert run.code == 1
    it = run.item("payments", "artifacts.service-yaml")
    assert it["status"] == "fail"
    if words:
        assert any(words in f["message"] and f["path"] == ROLE_FILES["service.yaml"] for f in it["findings"]), it


def test_duplicate_key_finding_names_the_duplicates_line(repo: Path) -> None:
    p = repo / ROLE_FILES["service.yaml"]
    text = p.read_text(encoding="utf-8")
    lines = text.splitlines()
    lines.insert(5, "owner: team-evil")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_cli(repo, SVC)
    assert_clean(run)
    it = run.item("payments", "artifacts.service-yaml")
    assert it["status"] == "fail"
    f = next(f for f in it["findings"] if "duplicate key 'owner'" in f["message"])
    assert f["line"] == 6
    assert "line 3" in f["message"]  # where the first one is


@pytest.mark.parametrize("case", ["alias-bomb", "deep-flow", "python-tag", "duplicate-key"])
def test_hostile_openapi_yaml(repo: Path, case: str) -> None:
    text, _ = YAMLS[case]
    _put(repo, ROLE_FILES["openapi.yaml"], text.encode())
    run = run_cli(repo, SVC)
    assert_clean(run, ["pwned"])
    assert run.item("payments", "artifacts.openapi")["status"] == "fail"


@pytest.mark.parametrize("case", ["alias-bomb", "deep-flow", "python-tag", "duplicate-key", "deep-dashes"])
def test_hostile_configuration_is_exit_2(repo: Path, case: str) -> None:
    text, _ = YAMLS[case]
    text = text.replace("name:", "check_name:").replace("owner:", "check_name:")
    _put(repo, ".github/prod-readiness.yml", text.encode())
    run = run_cli(repo)
    assert_clean(run, ["pwned"], codes=(2,))
    assert ".github/prod-readiness.yml" in run.stderr
    assert len(run.stderr) < 2000


def test_hostile_front_matter(repo: Path) -> None:
    _put(repo, ROLE_FILES["docs-page"], ("---\n" + BOMB + "---\n# Payments\n").encode())
    run = run_cli(repo, SVC)
    assert_clean(run)
    assert run.item("payments", "artifacts.docs-page")["status"] == "fail"


MARKDOWNS = {
    "emphasis": "# Runbook\n\n" + "*a **b " * 20_000 + "\n",
    "links": "# Runbook\n\n" + "[" * 50_000 + "x" + "](y)" * 50_000 + "\n",
    "images": "# Runbook\n\n" + "![" * 30_000 + "x" + "](y)" * 30_000 + "\n",
    "quotes": "# Runbook\n\n" + ">" * 100_000 + " x\n",
    "lists": "# Runbook\n\n" + "".join("  " * i + "- x\n" for i in range(5000)),
    "table": "# Runbook\n\n" + "|" + "a|" * 1000 + "\n|" + "-|" * 1000 + "\n" + ("|" + "x|" * 1000 + "\n") * 2000,
    "headings": "".join(f"## Alarms {i}\n\n[a](#alarms-{i - 1})\n\n" for i in range(20_000)),
    "backticks": "# Runbook\n\n" + "`" * 100_000 + "\n" + "x`" * 50_000 + "\n",
    "html": "# Runbook\n\n" + "<div>" * 50_000 + "\n",
    "entities": "# Runbook\n\n" + "&#x41;&amp;" * 100_000 + "\n",
}


@pytest.mark.parametrize("case", sorted(MARKDOWNS))
def test_pathological_markdown(repo: Path, case: str) -> None:
    text = MARKDOWNS[case]
    for rel in (ROLE_FILES["RUNBOOK.md"], ROLE_FILES["docs-page"], ROLE_FILES["README.md"]):
        _put(repo, rel, text.encode())
    run = run_cli(repo, SVC, timeout=45)
    assert_clean(run)
    assert run.seconds < 30, run.seconds
    assert run.item("payments", "artifacts.runbook")["status"] == "fail"


SQLS = {
    "100k-statements": "".join(f"CREATE TABLE t{i} (id int, brand_id text NOT NULL);\n" for i in range(100_000)),
    "deep-parens": "SELECT " + "(" * 100_000 + "1" + ")" * 100_000 + ";\n",
    "deep-expression": "SELECT " + "1 + " * 50_000 + "1;\n",
    "deep-subquery": "SELECT " + "(SELECT " * 3000 + "1" + ")" * 3000 + ";\n",
    "deep-case": "SELECT " + "CASE WHEN true THEN " * 5000 + "1" + " END" * 5000 + ";\n",
    "syntax-errors": "CREATE TABL x (;\n" * 20_000,
    "unterminated": "CREATE TABLE t (id int);\nSELECT 'abc\n" + "x" * 100_000,
    "deep-and": "SELECT 1 WHERE " + " AND ".join(["true"] * 50_000) + ";\n",
}


#: cases that are not valid SQL (or cannot be analysed): a finding at the migration
SQL_ERRORS = {"deep-parens", "deep-expression", "deep-subquery", "deep-case", "syntax-errors", "unterminated"}


@pytest.mark.parametrize("case", sorted(SQLS))
def test_pathological_sql(repo: Path, case: str) -> None:
    _put(repo, ROLE_FILES["migration"], SQLS[case].encode())
    run = run_cli(repo, SVC, timeout=60)
    assert_clean(run)
    if case in SQL_ERRORS:
        assert any(f["path"] == ROLE_FILES["migration"] for f in run.findings()), case


TSS = {
    "deep-binary": "export const x = " + "1 + " * 50_000 + "1;\n",
    "deep-parens": "export const x = " + "(" * 50_000 + "1" + ")" * 50_000 + ";\n",
    "deep-calls": "export const x = " + "f(" * 20_000 + "1" + ")" * 20_000 + ";\n",
    "deep-members": "export const x = a" + ".b" * 100_000 + ";\n",
    "deep-arrows": "export const x = " + "() => " * 20_000 + "1;\n",
    "deep-objects": "export const x = " + "{a: " * 20_000 + "1" + "}" * 20_000 + ";\n",
    "deep-arrays": "export const x = " + "[" * 50_000 + "]" * 50_000 + ";\n",
    "deep-ternary": "export const x = " + "a ? b : " * 20_000 + "c;\n",
    "deep-chain": "app" + ".get('/x', h)" * 20_000 + ";\n",
    "deep-blocks": "function f() " + "{ if (a) " * 10_000 + "{}" + " }" * 10_000 + "\n",
    "deep-templates": "export const x = " + "`${" * 5000 + "1" + "}`" * 5000 + ";\n",
    "garbage": "export const x = {{{{ ((( [[[ ;;; " * 10_000 + "\n",
}


@pytest.mark.parametrize("case", sorted(TSS))
def test_typescript_that_drives_walkers_deep(repo: Path, case: str) -> None:
    for rel in (ROLE_FILES["index.ts"], ROLE_FILES["infra.ts"], f"{SVC}/src/routes/refunds.ts"):
        _put(repo, rel, TSS[case].encode())
    run = run_cli(repo, SVC, timeout=60)
    assert_clean(run)
    assert run.code == 1
    assert not [f for f in run.findings() if "internal error" in f["message"]], [
        f["message"] for f in run.findings() if "internal error" in f["message"]][:3]


def test_ten_thousand_files_in_a_service(repo: Path) -> None:
    src = repo / SVC / "src" / "gen"
    for d in range(100):
        (src / f"d{d}").mkdir(parents=True)
        for i in range(100):
            (src / f"d{d}" / f"f{i}.ts").write_text(f"export const v{i} = {i};\n", encoding="utf-8")
    run = run_cli(repo, SVC, timeout=120)
    assert_clean(run)
    assert run.seconds < 90, run.seconds


def test_more_files_than_the_limit_is_reported_not_walked(repo: Path) -> None:
    src = repo / SVC / "src" / "gen"
    src.mkdir(parents=True)
    for i in range(20_100):
        os.close(os.open(src / f"f{i}.txt", os.O_CREAT | os.O_WRONLY))
    run = run_cli(repo, SVC, timeout=120)
    assert_clean(run)
    assert any("holds more than 20000 files; not read" in f["message"] for f in run.findings())


def test_fifo_and_device_in_every_role(repo: Path) -> None:
    for rel in (ROLE_FILES["service.yaml"], ROLE_FILES["RUNBOOK.md"], ROLE_FILES["index.ts"]):
        (repo / rel).unlink()
        os.mkfifo(repo / rel)
    (repo / ROLE_FILES["openapi.yaml"]).unlink()
    os.symlink("/dev/zero", repo / ROLE_FILES["openapi.yaml"])
    (repo / ROLE_FILES["migration"]).unlink()
    os.symlink("/dev/zero", repo / ROLE_FILES["migration"])
    run = run_cli(repo, SVC, timeout=30)
    assert_clean(run)
    _finding_at(run, ROLE_FILES["service.yaml"], "is not a regular file; not read")


#: nesting under the workspace's 20,000-level TypeScript limit and pglast's own: these reach the
#: Python walkers (code analysis, infra.ts evaluation, the migrations replay), which must neither
#: crash nor give up with an internal error
UNDER_LIMIT = {
    "ts-parens": ("src/index.ts", "export const x = " + "(" * 9000 + "1" + ")" * 9000 + ";\n"),
    "ts-ternary": ("src/index.ts", "export const x = " + "a ? b : " * 6000 + "c;\n"),
    "ts-calls": ("src/index.ts", "export const x = " + "f(" * 5000 + "1" + ")" * 5000 + ";\n"),
    "infra-objects": ("infra.ts", "export const s = new sst.aws.Service('x', " + "{a: " * 4000 + "1" + "}" * 4000 + ");\n"),
    "infra-binary": ("infra.ts", "export const s = new sst.aws.Service('x', {scaling: " + "1 + " * 9000 + "1});\n"),
    "route-chain": ("src/routes/refunds.ts",
                    "import { Hono } from 'hono';\nexport const r = new Hono()" + ".get('/x', (c) => c.json({}))" * 3000 + ";\n"),
    "sql-check": ("migrations/0001_create_payments.sql",
                  "CREATE TABLE t (id int, brand_id text NOT NULL, c int CHECK (" + "c + " * 5000 + "1 > 0));\n"),
    "sql-and": ("migrations/0001_create_payments.sql",
                "CREATE TABLE t (id int, brand_id text NOT NULL, c int CHECK (" + " AND ".join(["c > 0"] * 20000) + "));\n"),
}


@pytest.mark.parametrize("case", sorted(UNDER_LIMIT))
def test_deep_but_allowed_nesting_reaches_the_walkers_without_crashing(repo: Path, case: str) -> None:
    rel, text = UNDER_LIMIT[case]
    _put(repo, f"{SVC}/{rel}", text.encode())
    run = run_cli(repo, SVC, timeout=60)
    assert_clean(run)
    bad = [f["message"] for f in run.findings() if "internal error" in f["message"] or "ecursion" in f["message"]]
    assert not bad, bad[:3]
    assert not [f for f in run.findings() if "levels deep; not analysed" in f["message"]]


def test_duplicate_keys_in_a_large_document_are_refused_on_the_fast_path_too() -> None:
    from gate.sources.yaml.parse import YamlError, load

    text = "".join(f"k{i}: v\n" for i in range(50_000)) + "nested:\n  a: 1\n  a: 2\n"
    with pytest.raises(YamlError) as e:
        load(text)
    assert e.value.line == 50_003
    assert "duplicate key 'a' (first at line 50002)" in e.value.message


@pytest.mark.parametrize("body", ["[" * 500_000, "[a](" * 120_000, "http://" * 70_000, "a-" * 250_000, "#1 " * 150_000,
                                  "_." * 250_000, "a.b/" * 120_000 + "#1"])
def test_changeset_summaries_crafted_for_regex_backtracking(body: str) -> None:
    import time

    from gate.sources.markdown import changeset
    t0 = time.monotonic()
    changeset.summary_problem(body, 4, ["wip", "update", "fix"])
    assert time.monotonic() - t0 < 2


def test_changeset_front_matter_crafted_for_regex_backtracking() -> None:
    import time

    from gate.modes.pr.evidence import _CHANGESET_KEY

    t0 = time.monotonic()
    for front in ("\n" * 500_000, " \n\t" * 200_000, "'@" * 250_000):
        _CHANGESET_KEY.findall(front)
    assert time.monotonic() - t0 < 2


def test_openapi_pattern_that_backtracks_exponentially_is_a_finding_not_a_hang(repo: Path) -> None:
    """The validators match ``default``s against ``pattern``s with Python's ``re``: ``^(a+)+$``
    against forty ``a`` and a ``!`` never returns. The document is validated in a child process
    killed after PRODGATE_OPENAPI_SECONDS."""
    import yaml

    p = repo / ROLE_FILES["openapi.yaml"]
    doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    doc.setdefault("components", {}).setdefault("schemas", {})["Evil"] = {
        "type": "string", "pattern": "^(a+)+$", "default": "a" * 40 + "!"}
    p.write_text(yaml.safe_dump(doc), encoding="utf-8")
    run = run_cli(repo, SVC, env={"PRODGATE_OPENAPI_SECONDS": "3"}, timeout=60)
    assert_clean(run)
    assert run.seconds < 30
    it = run.item("payments", "artifacts.openapi")
    assert it["status"] == "fail"
    assert any("backtracks exponentially" in f["message"] for f in it["findings"])


def test_many_operations_against_a_large_sdk_reference_page(repo: Path) -> None:
    import yaml

    p = repo / ROLE_FILES["openapi.yaml"]
    doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    for i in range(3000):
        doc["paths"][f"/bulk/x{i}"] = {"get": {"operationId": f"bulkOp{i}", "description": "d",
                                              "responses": {"200": {"description": "ok"}}}}
    p.write_text(yaml.safe_dump(doc), encoding="utf-8")
    _put(repo, "docs/sdk/payments.md", ("# SDK\n\n" + "word " * 100_000 + "\n").encode())
    run = run_cli(repo, SVC, "--only", "sdk.reference-page", timeout=60)
    assert_clean(run)
    assert run.seconds < 20, run.seconds
    it = run.item("payments", "sdk.reference-page")
    assert it["status"] == "fail" and len(it["findings"]) >= 3000
