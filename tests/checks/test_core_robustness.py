"""The core checks never crash on malformed inputs: each gives a finding (or a verdict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.model import Status
from tests.checks.core_fixture import evaluate

IDS = [
    "artifacts.service-yaml", "artifacts.readme", "artifacts.runbook", "artifacts.openapi", "artifacts.docs-page",
    "sdk.generated", "sdk.package", "sdk.reference-page", "sdk.consumer",
    "oncall.primary", "oncall.secondary", "oncall.pagerduty-schedule", "oncall.escalation",
    "oncall.dashboard-access", "oncall.notified",
    "docs.service-page", "docs.concepts", "docs.connect", "docs.events", "docs.cross-links",
]

WEIRD: dict[str, dict[str, str | None]] = {
    "service.yaml is a list": {"service_yaml": "- a\n- b\n"},
    "service.yaml wrong types": {"service_yaml": (
        "name: 3\nowner: [x]\nstatus: {a: 1}\nbrand_scope: 1\non_call: alice\ncontracts: [1]\n"
        "scopes: {a: 1}\ndomain_primitives: [1, {x: 2}]\nreadiness: [1]\ndashboards: 3\n")},
    "service.yaml nested wrong types": {"service_yaml": (
        "name: payments\nowner: t\nstatus: stable\nbrand_scope: [all]\non_call: {primary: [1], secondary: {a: 1}}\n"
        "contracts: {consumes: [1, {service: 2}], events: {publishes: [{}, ../../x]}, openapi: [1]}\n"
        "scopes: [1, {name: 1, partner: true}]\nreadiness: {attestations: [1, {item: oncall.notified, at: x}]}\n")},
    "service.yaml invalid": {"service_yaml": "name: [\n"},
    "binary openapi": {"openapi": "\x00\x01"},
    "openapi list": {"openapi": "- 1\n"},
    "openapi weird paths": {"openapi": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: [1]\n  /b:\n    get: 1\n    post: {requestBody: {$ref: '#/nope'}, responses: {'200': {$ref: 1}}}\n"},
    "openapi ref loop": {"openapi": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: '#/paths/~1a'\n"},
    "markdown oddities": {"readme": "", "runbook": "---\n: [\n---\n", "page": "---\n- 1\n---\n[x](<>) [y](#) [z](%zz)\n"},
    "package.json list": {"sdk_package": "[1]"},
    "package.json wrong types": {"sdk_package": '{"name": 1, "scripts": [], "publishConfig": 3}'},
    "broken typescript": {"consumer": 'import { x } from "@platform/sdk-payments"\nx(((;\n'},
}


@pytest.mark.parametrize("case", list(WEIRD), ids=list(WEIRD))
def test_no_internal_error(tmp_path: Path, case: str) -> None:
    from tests.helpers import item

    evaluate(tmp_path, IDS[0], **WEIRD[case])
    for id_ in IDS:
        r = item(tmp_path, "payments", id_)
        assert r.reason != "internal error", (id_, r.findings)
        if r.status == Status.FAIL:
            assert r.findings, id_
