from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import run

CLIENT = "services/payments/src/client.ts"


def test_passes_with_strings_comments_local_fetch_stubs_and_tests(tmp_path: Path) -> None:
    code = """
    import { http } from "@platform/http";
    // we never call fetch( directly
    const label = "fetch(url)";
    function fetch(url: string) {
      return http.get(url);
    }
    export async function load(u: string) {
      return fetch(u);
    }
    """
    r = run(tmp_path, "conventions.no-raw-fetch", extra={CLIENT: code})
    assert r.status == Status.PASS, r.findings


def test_global_fetch_fails(tmp_path: Path) -> None:
    code = """
    export async function load(u: string) {
      const a = await fetch(u);
      return globalThis.fetch(u, { method: "POST" });
    }
    """
    r = run(tmp_path, "conventions.no-raw-fetch", extra={CLIENT: code})
    assert r.status == Status.FAIL
    assert [(f.line, f.path) for f in r.findings] == [(2, CLIENT), (3, CLIENT)]
    assert "globalThis.fetch(...) calls the global fetch: use http from @platform/http" in r.findings[1].message


def test_parameter_named_fetch_is_not_global(tmp_path: Path) -> None:
    code = "export function make(fetch: typeof globalThis.fetch) {\n  return (u: string) => fetch(u);\n}\n"
    r = run(tmp_path, "conventions.no-raw-fetch", extra={CLIENT: code})
    assert r.status == Status.PASS, r.findings


def test_binary_file_is_a_finding_and_the_rest_is_judged(tmp_path: Path) -> None:
    root = tmp_path
    from tests.checks.code_fixture import repo
    from tests.helpers import item

    repo(root)
    (root / "services/payments/src/blob.ts").write_bytes(b"\x00\x01binary")
    (root / "services/payments/src/client.ts").write_text("export const f = (u: string) => fetch(u);\n")
    r = item(root, "payments", "conventions.no-raw-fetch")
    assert r.status.value == "fail"
    paths = sorted(f.path for f in r.findings)
    assert paths == ["services/payments/src/blob.ts", CLIENT]


def test_global_fetch_through_an_alias_fails_at_each_reference(tmp_path: Path) -> None:
    code = """
    const f = fetch;
    export const a = (u: string) => f(u);
    export const b = (u: string) => fetch.call(null, u);
    export const c = (u: string) => (fetch as any)(u);
    export const d = () => { const { fetch: g } = globalThis; return g; };
    export const e = { fetch };
    export const h = (u: string) => globalThis["fetch"](u);
    export const k = globalThis.fetch;
    """
    r = run(tmp_path, "conventions.no-raw-fetch", extra={CLIENT: code})
    assert r.status == Status.FAIL
    assert [f.line for f in r.findings] == [1, 3, 4, 5, 6, 7, 8]
    assert all(f.path == CLIENT for f in r.findings)
    assert r.findings[0].message.startswith("fetch is referenced without being called here (aliased, passed on or wrapped)")
    assert r.findings[2].message.startswith("fetch(...) calls the global fetch")
    assert r.findings[3].message.startswith("globalThis is used other than by reading a named property")
    assert r.findings[5].message.startswith("globalThis.fetch(...) calls the global fetch")
    assert r.findings[6].message.startswith("globalThis.fetch is referenced without being called here")


def test_type_queries_typeof_and_other_global_properties_pass(tmp_path: Path) -> None:
    code = """
    type Fetch = typeof fetch;
    export const hasFetch = typeof fetch === "function" && typeof globalThis.fetch === "function";
    export const uuid = () => globalThis.crypto.randomUUID();
    export const env = globalThis["process"];
    export function make(fetch: Fetch) {
      return (u: string) => fetch(u);
    }
    """
    r = run(tmp_path, "conventions.no-raw-fetch", extra={CLIENT: code})
    assert r.status == Status.PASS, r.findings


def test_global_fetch_through_the_global_objects_own_names_fails(tmp_path: Path) -> None:
    """globalThis.window is the global object too: its fetch is the global fetch."""
    code = ('export const a = (u: string) => globalThis.window.fetch(u);\n'
            'export const b = (u: string) => window["self"].fetch(u);\n'
            'export const c = (k: string) => globalThis.window[k];\n'
            'export const d = () => globalThis.window.location.href;\n')
    r = run(tmp_path, "conventions.no-raw-fetch", extra={CLIENT: code})
    assert r.status == Status.FAIL
    assert [(f.line, f.message.split(":")[0]) for f in r.findings] == [
        (1, "globalThis.window.fetch(...) calls the global fetch"),
        (2, "window.self.fetch(...) calls the global fetch"),
        (3, "globalThis.window is used other than by reading a named property (aliased, destructured, passed on or "
            "indexed by a computed key)"),
    ]
