from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import SERVICE_YAML, line_of, run


def test_passes(tmp_path: Path) -> None:
    assert run(tmp_path, "resilience.degradation").status == Status.PASS


def test_missing_fallback_fails_at_entry(tmp_path: Path) -> None:
    yml = SERVICE_YAML.replace("      fallback: Serve cached tokens for up to 5 minutes.\n", "")
    r = run(tmp_path, "resilience.degradation", service_yaml=yml)
    assert r.status == Status.FAIL
    assert r.findings[0].line == line_of(yml, "- service: identity")
    assert "no fallback" in r.findings[0].message


def test_empty_consumes_is_skip(tmp_path: Path) -> None:
    yml = SERVICE_YAML.replace("  consumes:\n    - service: identity\n      fallback: Serve cached tokens for up to 5 minutes.\n", "  consumes: []\n")
    assert run(tmp_path, "resilience.degradation", service_yaml=yml).status == Status.SKIP
