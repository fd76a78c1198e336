"""deployment.sst-registered: sst.config.ts run() imports ./services/<name>/infra, once."""

from __future__ import annotations

from pathlib import Path

from gate.model import Level, Status
from tests.checks.infra_fixture import SST_CONFIG, evaluate, line_of

ID = "deployment.sst-registered"
IMPORT = '    await import("./services/payments/infra");\n'


def test_dynamic_import_in_run_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings
    assert "line 8" in r.reason


def test_static_import_passes(tmp_path: Path) -> None:
    text = 'import "./services/payments/infra";\n' + SST_CONFIG.replace(IMPORT, "")
    assert evaluate(tmp_path, ID, sst=text).status == Status.PASS


def test_commented_out_import(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, '    // await import("./services/payments/infra");\n')
    r = evaluate(tmp_path, ID, sst=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("the import of ./services/payments/infra at line 8 is commented out")
    assert (f.path, f.line) == ("sst.config.ts", 8)


def test_import_inside_a_block_comment(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, '    /*\n    await import("./services/payments/infra");\n    */\n')
    r = evaluate(tmp_path, ID, sst=text)
    (f,) = r.findings
    assert "is commented out" in f.message
    assert f.line == line_of(text, 'await import("./services/payments/infra")')


def test_commented_copy_beside_a_live_import_is_a_notice(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, IMPORT + '    // await import("./services/payments/infra.ts");\n')
    r = evaluate(tmp_path, ID, sst=text)
    assert r.status == Status.PASS
    (f,) = r.findings
    assert f.level == Level.NOTICE and f.line == 9


def test_imported_twice(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, IMPORT + '    const p = await import("./services/payments/infra.js");\n')
    r = evaluate(tmp_path, ID, sst=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("./services/payments/infra is imported 2 times in sst.config.ts (lines 8 and 9)")
    assert f.line == 9


def test_not_imported_points_at_run(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sst=SST_CONFIG.replace(IMPORT, ""))
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == 'run() does not import ./services/payments/infra: add await import("./services/payments/infra") to run()'
    assert f.line == line_of(SST_CONFIG, "async run()")


def test_imported_outside_run(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, "").replace(
        '    return { name: "platform", home: "aws" };',
        '    import("./services/payments/infra");\n    return { name: "platform", home: "aws" };')
    r = evaluate(tmp_path, ID, sst=text)
    (f,) = r.findings
    assert "outside run()" in f.message and f.line == 4


def test_missing_sst_config(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sst=None)
    assert r.status == Status.FAIL
    assert r.findings[0].path == "sst.config.ts"
    assert "sst.config.ts is missing" in r.findings[0].message


def test_import_of_a_missing_infra(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, infra=None)
    (f,) = r.findings
    assert "services/payments/infra.ts does not exist" in f.message and f.line == 8


def test_hostile_comment_stays_fast(tmp_path: Path) -> None:
    import time

    text = SST_CONFIG + "// " + 'import "' * 100_000 + "\n"
    start = time.monotonic()
    r = evaluate(tmp_path, ID, sst=text)
    assert r.status == Status.PASS
    assert time.monotonic() - start < 5


def test_import_only_outside_prod_fails_for_prod(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, '    if ($app.stage !== "prod") {\n  ' + IMPORT + "    }\n")
    r = evaluate(tmp_path, ID, sst=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ('./services/payments/infra is imported at line 9 under if ($app.stage !== "prod") at line 8: '
                         "run() executes it only in dev and staging, so the service is not surely registered for prod; "
                         "import it unconditionally in run()")
    assert (f.path, f.line) == ("sst.config.ts", 9)


def test_import_under_a_stage_ternary(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, '    const p = $app.stage === "dev" ? await import("./services/payments/infra") : null;\n')
    r = evaluate(tmp_path, ID, sst=text)
    (f,) = r.findings
    assert r.status == Status.FAIL and f.line == 8
    assert "only in dev, so the service is not surely registered for staging and prod" in f.message


def test_import_inside_an_uncalled_function(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, "    async function later() {\n  " + IMPORT + "    }\n")
    r = evaluate(tmp_path, ID, sst=text)
    (f,) = r.findings
    assert r.status == Status.FAIL and f.line == 9
    assert f.message.startswith("./services/payments/infra is imported at line 9 inside a function declared at line 8 "
                                "that run() may never call")


def test_import_under_a_condition_that_cannot_be_evaluated(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, "    if (process.env.WITH_PAYMENTS) {\n  " + IMPORT + "    }\n")
    r = evaluate(tmp_path, ID, sst=text)
    (f,) = r.findings
    assert r.status == Status.FAIL and f.line == 9
    assert "if (process.env.WITH_PAYMENTS) at line 8, a condition that cannot be evaluated statically" in f.message


def test_import_after_return_and_in_catch_fail(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, "    return {};\n" + IMPORT)
    (f,) = evaluate(tmp_path, ID, sst=text).findings
    assert "after the return at line 8: it never runs" in f.message and f.line == 9
    text = SST_CONFIG.replace(IMPORT, "    try {} catch {\n  " + IMPORT + "    }\n")
    (f,) = evaluate(tmp_path, ID, sst=text).findings
    assert "inside a catch block at line 8" in f.message and f.line == 9


def test_both_branches_of_a_stage_if_register_every_stage_once(tmp_path: Path) -> None:
    text = SST_CONFIG.replace(IMPORT, '    if ($app.stage === "prod") {\n  ' + IMPORT + "    } else {\n  " + IMPORT + "    }\n")
    r = evaluate(tmp_path, ID, sst=text)
    assert r.status == Status.PASS, r.findings


def test_a_run_outside_config_does_not_register(tmp_path: Path) -> None:
    text = 'const decoy = {\n  async run() {\n  ' + IMPORT + '  },\n};\n' + SST_CONFIG.replace(IMPORT, "")
    r = evaluate(tmp_path, ID, sst=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "outside run()" in f.message and f.line == 3
