from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.m2m-client")
    assert r.status == Status.PASS, r.findings


def test_missing_client_fails_at_clients_key(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.m2m-client", **{"services/identity/m2m-clients.yaml": "clients:\n  - client_id: other\n    scopes: [x]\n"})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == "services/identity/m2m-clients.yaml" and f.line == 1
    assert "orders calls payments but has no M2M client" in f.message


def test_client_without_scope_of_service_fails_at_scopes(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.m2m-client", **{"services/identity/m2m-clients.yaml": "clients:\n  - client_id: orders\n    scopes: [identity:read]\n"})
    assert r.status == Status.FAIL
    assert r.findings[0].line == 3
    assert "has none of payments's scopes" in r.findings[0].message


def test_no_consumer_is_skip(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.m2m-client", **{"services/orders/service.yaml": "name: orders\n"})
    assert r.status == Status.SKIP


def test_an_unreadable_service_yaml_of_another_service_fails_closed(tmp_path: Path) -> None:
    # a caller the gate cannot read may call this service: never skip because of it
    r = run(tmp_path, "auth.m2m-client", **{"services/orders/service.yaml": "name: orders\ncontracts: [unclosed\n"})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == "services/orders/service.yaml" and f.line == 3
    assert "invalid YAML" in f.message
    assert f.message.endswith("whether orders calls payments (its contracts.consumes) cannot be read; fix "
                              "services/orders/service.yaml")


def test_consumes_that_is_not_a_list_fails_closed(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.m2m-client", **{"services/orders/service.yaml":
                                            "name: orders\ncontracts:\n  consumes:\n    payments: {fallback: x}\n"})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == "services/orders/service.yaml" and f.line == 3
    assert f.message.startswith("services/orders/service.yaml: contracts.consumes is not a list: whether orders calls "
                                "payments cannot be read")
