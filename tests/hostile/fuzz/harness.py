"""The atheris targets' shared runner: one coverage-guided target per parser entry point.

Run one on demand (never in CI)::

    python -m tests.hostile.fuzz.harness yaml -atheris_runs=200000     # with atheris (libFuzzer)
    python -m tests.hostile.fuzz.harness sql CORPUS_DIR ...            # plain Python: replay files
    python -m tests.hostile.fuzz.harness all                           # plain Python: seeds + mutations

With atheris installed (``pip install atheris``) libFuzzer drives the target and any exception
other than the reader's own error type is a crash it saves. Without atheris the same targets
replay the given corpus files, or the built-in seeds with a fixed number of random byte
mutations (``PRODGATE_FUZZ_MUTATIONS``, default 2000 per target).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

Target = Callable[[bytes], None]


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def t_yaml(data: bytes) -> None:
    from gate.sources.yaml.parse import YamlDoc, YamlError, load

    text = _text(data)
    try:
        doc = YamlDoc("x.yaml", text, load(text))
    except YamlError:
        return
    if isinstance(doc.data, dict):
        for k in list(doc.data)[:3]:
            doc.line([k])


def t_config(data: bytes) -> None:
    from gate import config as cfg

    with contextlib.suppress(cfg.ConfigError):
        cfg.parse(_text(data), ".github/prod-readiness.yml", read=lambda rel: None)


def t_markdown(data: bytes) -> None:
    from gate.sources.markdown import parse as md
    doc = md.parse("RUNBOOK.md", _text(data)[: 512 * 1024])
    doc.find_sections("alarms", "rollback", "escalation")


def t_calendar(data: bytes) -> None:
    from gate import freeze

    with contextlib.suppress(freeze.FreezeError):
        freeze.parse_calendar("freeze.ics", _text(data), dt.UTC)


def t_openapi(data: bytes) -> None:
    from gate.sources.openapi import document as openapi
    from gate.sources.yaml.parse import YamlError, load

    try:
        root = load(_text(data))
    except YamlError:
        return
    openapi.validate_document(root)


def t_sql(data: bytes) -> None:
    from gate.sources.sql import parse as sql
    f = sql.parse("m.sql", _text(data))
    for s in f.statements[:50]:
        f.snippet(s)


def t_typescript(data: bytes) -> None:
    from gate.sources.ts import parse as ts
    from gate.workspace import MAX_TS_DEPTH, _too_deep

    f = ts.parse("index.ts", _text(data).encode("utf-8"))
    if _too_deep(f.root, MAX_TS_DEPTH) is not None:
        return  # the workspace refuses it before any walker sees it
    env = ts.module_env(f)
    for child in f.root.children[:50]:
        ts.evaluate(f, child, env)


def t_changeset(data: bytes) -> None:
    import tempfile

    from gate.sources.markdown import changeset
    from gate.workspace import SourceProblem, Workspace

    with tempfile.TemporaryDirectory() as d:
        (Path(d) / ".changeset").mkdir()
        (Path(d) / ".changeset" / "x.md").write_bytes(data)
        try:
            cs = changeset.read(Workspace(Path(d)), ".changeset/x.md")
        except SourceProblem:
            return
        if cs is not None:
            changeset.summary_problem(cs.summary, 4, ["wip"])


TARGETS: dict[str, Target] = {
    "yaml": t_yaml, "config": t_config, "markdown": t_markdown, "calendar": t_calendar,
    "openapi": t_openapi, "sql": t_sql, "typescript": t_typescript, "changeset": t_changeset,
}

SEEDS: dict[str, list[bytes]] = {
    "yaml": [b"name: payments\non_call: {primary: a}\n", b"a: &a [x]\nb: [*a, *a]\n", b"<<: {a: 1}\n"],
    "config": [b"paths: {services: services}\nfreeze:\n  windows:\n    - {name: x, weekly: {from: 'Fri 16:00', to: 'Mon 09:00'}}\n"],
    "markdown": [b"---\ntitle: x\n---\n# Runbook\n\n## Alarms\n\n- [x](#rollback)\n\n## Rollback\n\n```\nx\n```\n"],
    "calendar": [b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261218T170000Z\r\nDTEND:20270104T090000Z\r\n"
                 b"RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"],
    "openapi": [b"openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    get:\n      description: d\n"
                b"      responses: {'200': {description: ok}}\n"],
    "sql": [b"CREATE TABLE t (id int, brand_id text NOT NULL);\nALTER TABLE t ADD COLUMN c int;\n"
            b"CREATE INDEX CONCURRENTLY i ON t (c);\nGRANT SELECT ON t TO app;\n"],
    "typescript": [b"import { Hono } from 'hono';\nexport const app = new Hono();\n"
                   b"app.get('/x', requireScope('a:read'), (c) => c.json({ a: `${1}` }));\n"],
    "changeset": [b"---\n'@platform/payments': patch\n---\n\nRefunds can now be partial.\n"],
}


def _mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(4)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            del b[pos % len(b)]
        elif op == 1:
            b.insert(pos, rng.randrange(256))
        elif op == 2 and b:
            n = rng.randint(1, 16)
            b[pos:pos] = b[max(0, pos - n):pos] * rng.randint(1, 50)
        else:
            b[pos:pos] = rng.choice([b"[", b"{", b"(", b"*", b"&a ", b"\n", b"'", b'"', b"`", b"$$", b"\x00", b"\xff"])
    return bytes(b)


def plain(name: str, files: list[str], mutations: int) -> int:
    """Replay ``files`` (or the seeds with ``mutations`` random mutations); the number of cases."""
    target = TARGETS[name]
    cases: list[bytes] = [Path(f).read_bytes() for f in files]
    if not cases:
        rng = random.Random(f"prodgate-{name}")
        seeds = SEEDS[name]
        cases = list(seeds) + [_mutate(rng, rng.choice(seeds)) for _ in range(mutations)]
    for data in cases:
        target(data)
    return len(cases)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in (*TARGETS, "all"):
        print(f"usage: harness.py {{{'|'.join(TARGETS)}|all}} [corpus files | atheris options]", file=sys.stderr)
        return 2
    name, rest = argv[0], argv[1:]
    mutations = int(os.environ.get("PRODGATE_FUZZ_MUTATIONS", "2000"))
    if name == "all":
        total = sum(plain(n, [], mutations) for n in TARGETS)
        print(f"{total} cases, 0 crashes")
        return 0
    files = [a for a in rest if not a.startswith("-") and Path(a).is_file()]
    try:
        import atheris
    except ImportError:
        atheris = None
    if atheris is None or files or os.environ.get("PRODGATE_FUZZ_PLAIN"):
        n = plain(name, files, mutations)
        print(f"{name}: {n} cases, 0 crashes")
        return 0
    target = TARGETS[name]
    with atheris.instrument_imports():  # coverage feedback from the gate's own readers
        import gate.config
        import gate.freeze
        import gate.sources.markdown.changeset
        import gate.sources.markdown.parse
        import gate.sources.openapi.document
        import gate.sources.sql.parse
        import gate.sources.ts.parse
        import gate.sources.yaml.parse
        import gate.workspace  # noqa: F401
    atheris.Setup([sys.argv[0], *rest], target)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
