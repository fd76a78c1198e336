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
