from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import run

SRC = "services/payments/src/util.ts"


def test_passes_with_todo_in_strings_tests_and_stubs(tmp_path: Path) -> None:
    code = 'export const s = "TODO: not a comment";\n'
    r = run(tmp_path, "conventions.no-todo", extra={SRC: code,
                                                     "services/payments/test/integration/x.test.ts": "// TODO more\n"})
    assert r.status == Status.PASS, r.findings


def test_todo_and_fixme_comments_fail_at_their_lines(tmp_path: Path) -> None:
    code = "export const a = 1; // TODO: handle refunds\n/*\n * FIXME: retry\n */\nexport const b = 2;\n"
    r = run(tmp_path, "conventions.no-todo", extra={SRC: code})
    assert r.status == Status.FAIL
    assert [(f.path, f.line) for f in r.findings] == [(SRC, 1), (SRC, 3)]
    assert "TODO/FIXME comment" in r.findings[0].message
