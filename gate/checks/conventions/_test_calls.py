"""The requests a service's integration tests send (``conventions.route-tests``).

:func:`test_calls` reads ``test/integration/**/*.test.ts`` (and ``.spec.ts``) for
``app.request(path, { method })`` and ``request(app).get(path)`` / ``supertest(app).post(path)``
calls whose path the code shows (a literal or a template: interpolations read as ``*``).

A call inside a test or suite that the runner skips (:func:`skipped_by`: ``it.skip``,
``describe.skip``, ``test.todo``, ``xit``, ``it.skipIf(...)``...) is kept with ``skipped`` set: it
exercises nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gate.checks._code import HTTP_METHODS
from gate.context import Ctx
from gate.model import Finding
from gate.sources.ts import parse as ts
from gate.sources.ts.files import CODE_SUFFIXES, call_args, captures, object_keys, value_of_pair


@dataclass(frozen=True)
class TestCall:
    method: str
    path: str  # concrete path; interpolations as "*"
    file: str
    line: int
    #: the skipped test or suite holding the call (``it.skip, line 12``), None when it runs
    skipped: str | None = None


def test_calls(ctx: Ctx) -> tuple[list[TestCall], list[Finding]]:
    """The requests the service's integration tests send, and the syntax errors of their files
    (computed once per run)."""
    return ctx.ws.derive("code.test-calls", ctx.service.dir, lambda: _test_calls(ctx))


def _test_calls(ctx: Ctx) -> tuple[list[TestCall], list[Finding]]:
    base = ctx.path("test", "integration")
    out: list[TestCall] = []
    errors: list[Finding] = []
    for rel in ctx.ws.files(base, CODE_SUFFIXES):
        if not rel.rsplit(".", 1)[0].endswith((".test", ".spec")):
            continue
        f = ctx.ws.typescript(rel)
        if f is None:
            continue
        err = f.error
        if err is not None:
            errors.append(Finding(f"{rel}:{err.line}:{err.column}: {err.message}; fix it so its tests can be read",
                                  rel, err.line, err.line))
        calls = captures(f, "(call_expression) @call").get("call", [])
        only = _focused(f, calls)
        for node in calls:
            fn = node.child_by_field_name("function")
            args, tagged = call_args(node)
            if fn is None or tagged or fn.type != "member_expression" or not args:
                continue
            prop = fn.child_by_field_name("property")
            obj = fn.child_by_field_name("object")
            if prop is None or obj is None:
                continue
            meth = f.text(prop)
            p = _concrete(f, args[0])
            if p is None:
                continue
            if meth == "request":
                method = "GET"
                if len(args) > 1 and args[1].type == "object":
                    keys = object_keys(f, args[1])
                    if "method" in keys:
                        v = ts.string_value(f, value_of_pair(keys["method"]))
                        if v is None:
                            continue
                        method = v.upper()
                out.append(TestCall(method, p, rel, ts.line_of(node), skipped_by(f, node, only)))
            elif meth in HTTP_METHODS and obj.type == "call_expression":
                ofn = obj.child_by_field_name("function")
                if ofn is not None and f.text(ofn) in ("request", "supertest"):
                    out.append(TestCall(meth.upper(), p, rel, ts.line_of(node), skipped_by(f, node, only)))
    return out, errors


#: the test runners' (vitest, jest, mocha, node:test) functions that declare a test or a suite
TEST_FUNCTIONS = frozenset({"it", "test", "describe", "suite", "context", "specify", "bench"})
#: the skipped forms of those (jest, jasmine, mocha)
SKIPPED_FUNCTIONS = frozenset({"xit", "xtest", "xdescribe", "xcontext", "xspecify", "xsuite"})
#: a modifier that skips the test or suite: ``it.skip``, ``describe.todo``, ``test.fails`` is not one
SKIP_MODIFIERS = frozenset({"skip", "todo"})
#: the focused forms (jest, jasmine): with one in a file, the runner runs only the focused tests
FOCUSED_FUNCTIONS = frozenset({"fit", "fdescribe", "ftest"})


def _callee_chain(f: ts.TsFile, fn: Node | None) -> tuple[list[str], str | None]:
    """The names of a callee chain, innermost first (``describe.only.each`` → each, only,
    describe; empty when it is not a chain of names), and the condition modifier it calls with a
    condition that may not run the test (``it.skipIf(cond)(...)`` unless ``cond`` is ``false``,
    ``it.runIf(cond)`` unless it is ``true``), if any."""
    names: list[str] = []
    conditional: str | None = None
    cur = fn
    while cur is not None:
        if cur.type == "member_expression":
            prop = cur.child_by_field_name("property")
            if prop is not None:
                names.append(f.text(prop))
            cur = cur.child_by_field_name("object")
        elif cur.type == "call_expression":  # it.skipIf(cond)(...), it.each(rows)(...)
            inner = cur.child_by_field_name("function")
            if inner is not None and inner.type == "member_expression":
                prop = inner.child_by_field_name("property")
                meth = f.text(prop) if prop is not None else ""
                args, _ = call_args(cur)
                arg = f.text(args[0]) if args else ""
                if (meth == "skipIf" and arg != "false") or (meth == "runIf" and arg != "true"):
                    conditional = meth
            cur = inner
        elif cur.type == "identifier":
            names.append(f.text(cur))
            break
        else:
            return [], None
    return names, conditional


def _focused(f: ts.TsFile, calls: list[Node]) -> list[Node]:
    """The focused tests and suites of a file (``it.only``, ``describe.only.each``, ``fit``):
    when there is one, the runner runs those alone."""
    out = []
    for c in calls:
        names, _ = _callee_chain(f, c.child_by_field_name("function"))
        if names and ((names[-1] in TEST_FUNCTIONS and "only" in names[:-1]) or names[-1] in FOCUSED_FUNCTIONS):
            out.append(c)
    return out


def skipped_by(f: ts.TsFile, node: Node, focused: list[Node] | None = None) -> str | None:
    """Where the test or suite holding ``node`` is skipped (``"it.skip, line 12"``),
    None when every enclosing test and suite runs. Skipped: a callee chain rooted at a test function
    with a ``skip``/``todo`` modifier anywhere (``describe.skip.each(...)``), ``xit``/``xdescribe``,
    and ``skipIf(cond)``/``runIf(cond)`` unless ``cond`` is the literal that runs it (``false`` /
    ``true``): a test that runs only under a condition does not prove it runs in CI. With
    ``focused`` tests in the file (:func:`_focused`), a call outside all of them is skipped too."""
    cur = node.parent
    inside_focus = False
    while cur is not None:
        if cur.type == "arguments" and cur.parent is not None and cur.parent.type == "call_expression":
            why = _skipping_callee(f, cur.parent.child_by_field_name("function"))
            if why is not None:
                return f"{why}, line {ts.line_of(cur.parent)}"
            if focused and any(cur.parent.id == c.id for c in focused):
                inside_focus = True
        cur = cur.parent
    if focused and not inside_focus:
        first = focused[0]
        chain = ".".join(reversed(_callee_chain(f, first.child_by_field_name("function"))[0]))
        return f"the focused {chain}, line {ts.line_of(first)} (the runner runs only the focused tests of the file)"
    return None


def _skipping_callee(f: ts.TsFile, fn: Node | None) -> str | None:
    names, conditional = _callee_chain(f, fn)
    if not names:
        return None
    root = names[-1]
    chain = ".".join(reversed(names))
    if root in SKIPPED_FUNCTIONS:
        return chain
    if root not in TEST_FUNCTIONS:
        return None
    if SKIP_MODIFIERS & set(names[:-1]):
        return chain
    return chain if conditional is not None else None


def _concrete(f: ts.TsFile, node: Node) -> str | None:
    if node.type == "string":
        s = ts.string_value(f, node)
    elif node.type == "template_string":
        s = "".join(f.text(c) if c.type == "string_fragment" else ("*" if c.type == "template_substitution" else f.text(c))
                    for c in node.named_children)
    else:
        return None
    if s is None:
        return None
    if "://" in s:
        s = "/" + s.split("://", 1)[1].partition("/")[2]
    s = s.split("?", 1)[0].split("#", 1)[0]
    return s if s.startswith("/") else None
