"""Configuration: defaults, validation with key path and line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate import config as cfg
from gate.cli import main
from tests.helpers import ROOT, write_tree


def test_defaults_match_the_spec() -> None:
    c = cfg.defaults()
    assert c.check_name == "prod-readiness"
    assert c.path("services") == "services"
    assert c.approval.min_approvals == 1
    assert c.freeze.windows == ()
    assert c.freeze.override.label == "freeze-exception"
    assert c.changeset.min_words == 4
    assert c.max_age_days == 30


def test_the_spec_example_is_valid() -> None:
    text = """
    check_name: prod-readiness
    paths: {services: services, docs: docs, changesets: .changeset, packages: packages}
    approval:
      min_approvals: 2
      dismiss_stale: true
    ci:
      required: ["build", "test*"]
    freeze:
      timezone: UTC
      windows:
        - {name: Year-end freeze, start: "2026-12-18T17:00", end: "2027-01-04T09:00", timezone: America/New_York}
        - {name: Weekend, weekly: {from: "Fri 16:00", to: "Mon 09:00"}, timezone: America/New_York}
      override: {label: freeze-exception, approvers: [alice, acme/release-managers]}
    advisory: [docs.cross-links]
    """
    import textwrap

    c = cfg.parse(textwrap.dedent(text), ".github/prod-readiness.yml")
    assert c.approval.min_approvals == 2
    assert c.approval.dismiss_stale is True
    assert c.ci.conformance == ("conformance*",)  # default kept beside the override
    assert c.advisory == frozenset({"docs.cross-links"})


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("approval:\n  min_aprovals: 2\n",
         ".github/prod-readiness.yml:2: unknown key `approval.min_aprovals` at line 2: did you mean `approval.min_approvals`?"),
        ("x: 1\naproval:\n  min_approvals: 2\n", ".github/prod-readiness.yml:2: unknown key `aproval` at line 2: did you mean `approval`?"),
        ("zzz: 1\n", ".github/prod-readiness.yml:1: unknown key `zzz` at line 1: remove it or fix its spelling (keys here: check_name, docs_url,"),
        ("approval:\n  min_approvals: two\n", ".github/prod-readiness.yml:2: `approval.min_approvals` at line 2 is 'two': it must be an integer"),
        ("docs_url: http://x/\n", ".github/prod-readiness.yml:1: `docs_url` at line 1: 'http://x/' does not match"),
        ("advisory: [nope.item]\n", "advisory.0: unknown item id 'nope.item'"),
        ("a: [\n", ".github/prod-readiness.yml:2: invalid YAML"),
    ],
)
def test_errors_name_file_key_and_line(text: str, expect: str) -> None:
    with pytest.raises(cfg.ConfigError) as exc:
        cfg.parse(text, ".github/prod-readiness.yml")
    assert expect in str(exc.value)


def test_bad_config_exits_2_with_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(
        tmp_path,
        {
            "sst.config.ts": "",
            ".github/prod-readiness.yml": "paths:\n  services: services\n  doc: docs\n",
            "services/a/service.yaml": "name: a\n",
        },
    )
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert ".github/prod-readiness.yml:3: unknown key `paths.doc` at line 3: did you mean `paths.docs`?" in err
    # the document it points at exists in prodgate's published docs
    assert "(every key: https://github.com/prodgate/prodgate/blob/main/docs/configuration.md)" in err
    assert (ROOT / "docs" / "configuration.md").is_file()
    assert "Traceback" not in err
