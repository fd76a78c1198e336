"""gate.sources.ts.parse.evaluate: static evaluation of literal TypeScript with const bindings
and globals, per stage; what cannot be known is Unknown (saying why), never guessed."""

from __future__ import annotations

from typing import Any

from gate.sources.ts import parse as ts

SRC = """\
import { shared } from "./shared";
const stage = $app.stage;
const sizes = { dev: 1, staging: 2, prod: 10 };
const base = { min: 1, tags: ["a"] };
const all = { ...base, max: sizes[$app.stage], tags: [...base.tags, "b"] };
const host = `svc.${$app.stage}.example.com`;
const pick = stage === "prod" ? "big" : "small";
const fallback = sizes.qa ?? 3;
const called = compute(1);
const made = new sst.Secret("Key");
const imported = { ...shared, x: 1 };
let mutable = 1;
const viaLet = mutable;
const neg = -5;
const notProd = !(stage === "prod");
const missing = sizes[$app.stage];
"""


def ev(name: str, stage: str | None = "prod") -> Any:
    f = ts.parse("x.ts", SRC.encode())
    env = ts.module_env(f, {"$app.stage": stage} if stage else {})
    return ts.evaluate(f, env.consts[name], env)


def test_literals_consts_templates_and_lookups() -> None:
    assert ev("all") == {"min": 1, "tags": ["a", "b"], "max": 10}
    assert ev("all", "dev")["max"] == 1
    assert ev("host", "staging") == "svc.staging.example.com"
    assert ev("pick") == "big" and ev("pick", "dev") == "small"
    assert ev("fallback") == 3
    assert ev("neg") == -5
    assert ev("notProd", "dev") is True


def test_objects_remember_where_each_key_was_set() -> None:
    f = ts.parse("x.ts", SRC.encode())
    env = ts.module_env(f, {"$app.stage": "dev"})
    all_ = ts.evaluate(f, env.consts["all"], env)
    assert isinstance(all_, ts.Obj)
    assert ts.line_of(all_.at["min"]) == 4  # from the spread const
    assert ts.line_of(all_.at["max"]) == 5


def test_what_cannot_be_known_says_why() -> None:
    called = ev("called")
    assert isinstance(called, ts.Opaque) and called.why == "computed by a call (compute(...))"
    made = ev("made")
    assert isinstance(made, ts.Opaque) and made.is_new and made.callee == "sst.Secret" and made.name == "Key"
    lookup = ev("imported").lookup("y")
    assert isinstance(lookup, ts.Unknown) and "imported from ./shared (shared)" in lookup.why
    assert ev("imported")["x"] == 1  # set after the unknown spread: known
    let = ev("viaLet")
    assert isinstance(let, ts.Unknown) and "not a module-level const" in let.why
    no_stage = ev("host", None)
    assert isinstance(no_stage, ts.Unknown) and "$app.stage" in no_stage.why


def test_missing_key_is_known_undefined() -> None:
    f = ts.parse("x.ts", b"const m = { dev: 1 };\nconst v = m[$app.stage];\n")
    env = ts.module_env(f, {"$app.stage": "prod"})
    v = ts.evaluate(f, env.consts["v"], env)
    assert isinstance(v, ts.Missing) and "'prod'" in v.why


def test_hostile_files_stay_small_and_fast() -> None:
    import time

    lines = ["const a0 = [1, 2];"] + [f"const a{i} = [...a{i - 1}, ...a{i - 1}];" for i in range(1, 60)]
    lines += ["const self = self;", "const deep = x" + ".y" * 20000 + ";"]
    f = ts.parse("x.ts", "\n".join(lines).encode())
    env = ts.module_env(f, {"$app.stage": "dev"})
    start = time.monotonic()
    big = ts.evaluate(f, env.consts["a59"], env)
    assert isinstance(big, ts.Arr) and len(big) <= 10_000 and len(big.opaque) <= 4
    me = ts.evaluate(f, env.consts["self"], env)
    assert isinstance(me, ts.Unknown) and "refers to itself" in me.why
    assert isinstance(ts.evaluate(f, env.consts["deep"], env), ts.Unknown)
    assert time.monotonic() - start < 5
