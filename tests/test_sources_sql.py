"""gate.sources.sql.parse: statements located by line, every syntax error reported, nothing hidden."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gate.sources.sql.parse import parse


def test_lines_after_leading_comments_and_non_ascii() -> None:
    text = "-- é header\n/* ü\n */ CREATE TABLE a (x int);\n\n  -- c\n  ALTER TABLE a\n  ADD COLUMN ñ text;\n"
    f = parse("m.sql", text)
    assert f.errors == []
    assert [(s.kind, s.line, s.end_line) for s in f.statements] == [("CreateStmt", 3, 3), ("AlterTableStmt", 6, 7)]
    assert f.snippet(f.statements[1]) == "ALTER TABLE a ADD COLUMN ñ text"
    assert f.statements[1].fields["cmds"][0]["AlterTableCmd"]["subtype"] == "AT_AddColumn"


def test_each_error_at_the_parser_position_and_the_rest_kept() -> None:
    text = "CREATE TABLE a (x int);\nSELEC 1;\nCREATE INDEX i ON a (x);\nALTER TABLE a ADD COLUMN;\nDROP TABLE a;\n"
    f = parse("m.sql", text)
    assert [s.kind for s in f.statements] == ["CreateStmt", "IndexStmt", "DropStmt"]
    assert [s.line for s in f.statements] == [1, 3, 5]
    assert [(e.line, "syntax error" in e.message) for e in f.errors] == [(2, True), (4, True)]
    assert f.error is not None and f.error.line == 2


def test_dollar_quotes_and_begin_atomic_bodies_are_not_split() -> None:
    text = ("SELEC 1;\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql;\n"
            "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT 'a;b';\n")
    f = parse("m.sql", text)
    assert [(s.kind, s.line) for s in f.statements] == [
        ("CreateFunctionStmt", 2), ("CreateFunctionStmt", 3), ("SelectStmt", 4)]
    assert len(f.errors) == 1


def test_unterminated_literal_reported_and_earlier_statements_kept() -> None:
    f = parse("m.sql", "CREATE TABLE a (x int);\nSELEC 2;\nSELECT 'oops;\nSELECT 3;\n")
    assert [s.kind for s in f.statements] == ["CreateStmt"]
    assert [e.line for e in f.errors] == [2, 3]
    assert "unterminated quoted string" in f.errors[1].message


def test_pglast_node_on_demand() -> None:
    f = parse("m.sql", "-- c\nSELECT * FROM t WHERE brand_id = $1;\n")
    node = f.statements[0].node
    assert type(node).__name__ == "SelectStmt"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "CREATE TABLE t (x int)", "SELEC 1", "ALTER TABLE t ADD COLUMN y text", "'", "$$", "/*", "--",
    "GRANT ALL ON t TO PUBLIC", "BEGIN", "COMMIT", "é", "(", ")", "\n", " ", "DROP INDEX CONCURRENTLY i",
]), max_size=12), st.sampled_from([";", ";\n", "\n", " "]))
def test_never_crashes_and_locations_stay_inside(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    f = parse("m.sql", text)
    n_lines = text.count("\n") + 1
    for s in f.statements:
        assert 0 <= s.offset <= s.end <= len(text)
        assert 1 <= s.line <= s.end_line <= n_lines
    for e in f.errors:
        assert 1 <= e.line <= n_lines
