"""artifacts.docs-page: front matter, relative links and anchors of docs/services/<name>.md."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import PAGE, evaluate, line_of

ID = "artifacts.docs-page"


def test_page_with_resolving_links_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings


def test_broken_relative_link_at_its_line(tmp_path: Path) -> None:
    text = PAGE + "\nSee [the ledger](../concepts/ledger.md).\n"
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "'../concepts/ledger.md' is broken" in f.message and "docs/concepts/ledger.md does not exist" in f.message
    assert f.path == "docs/services/payments.md" and f.line == line_of(text, "the ledger")


def test_broken_anchor_in_other_page(tmp_path: Path) -> None:
    text = PAGE.replace("identity.md#tokens", "identity.md#keys")
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "docs/services/identity.md has no heading with anchor #keys" in f.message
    assert f.line == line_of(text, "identity.md#keys")


def test_broken_anchor_in_same_page(tmp_path: Path) -> None:
    text = PAGE.replace("(#api)", "(#apis)")
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    assert "#apis" in r.findings[0].message


def test_repeated_headings_are_numbered_as_github_numbers_them(tmp_path: Path) -> None:
    """github-slugger gives a repeat the first free -N: headings "Step-1", "Step", "Step" are
    #step-1, #step and #step-2 (a plain counter made the third #step-1, a duplicate)."""
    text = PAGE + "\n## Step-1\n\nOne.\n\n## Step\n\nTwo.\n\n## Step\n\nThree.\n\nSee [three](#step-2).\n"
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.PASS, r.findings
    r = evaluate(tmp_path, ID, page=text.replace("(#step-2)", "(#step-3)"))
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "#step-3" in f.message and f.line == line_of(text, "[three]")


def test_link_leaving_the_repository(tmp_path: Path) -> None:
    text = PAGE + "\n[x](../../../../etc/passwd)\n"
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    assert "points outside the repository" in r.findings[0].message


def test_external_links_and_extensionless_links(tmp_path: Path) -> None:
    text = PAGE + "\n[web](https://example.com/x) [mail](mailto:a@b.c) [id](identity) [root](/services/identity.md)\n"
    assert evaluate(tmp_path, ID, page=text).status == Status.PASS


def test_invalid_front_matter_at_its_line(tmp_path: Path) -> None:
    text = PAGE.replace("status: stable", "status: [stable")
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "front matter is not valid YAML" in f.message
    assert f.line is not None and f.line >= 2


def test_missing_page(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, page=None)
    assert r.status == Status.FAIL and "docs/services/payments.md is missing" in r.findings[0].message


def test_broken_raw_html_link_and_image_at_their_lines(tmp_path: Path) -> None:
    text = PAGE + ('\n<p align="center">\n  <img src="../img/flow.png" alt="flow">\n</p>\n\n'
                   'See <a href="../concepts/ledger.md">the ledger</a>.\n')
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    assert [(f.message, f.line) for f in r.findings] == [
        ("image '../img/flow.png' is broken: docs/img/flow.png does not exist (fix the path or add the file)",
         line_of(text, "flow.png")),
        ("link '../concepts/ledger.md' is broken: docs/concepts/ledger.md does not exist (fix the path or add the "
         "file)", line_of(text, "the ledger")),
    ]


def test_raw_html_link_in_a_comment_and_html_anchor_targets(tmp_path: Path) -> None:
    text = PAGE + ('\n<!-- <a href="../concepts/ledger.md">later</a> -->\n\n<a id="limits"></a>\n\n'
                   'See [the limits](#limits) and <a href="../concepts/payment-intent.md">intents</a>.\n')
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.PASS, r.findings


def test_link_to_a_folder_without_an_index_page_is_broken(tmp_path: Path) -> None:
    text = PAGE + "\nAll [concepts](../concepts/).\n"
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("link '../concepts/' is broken: docs/concepts is a folder without index.md or README.md, "
                         "so the docs site has no page there (link to a page, or add the folder's index.md)")
    assert f.line == line_of(text, "All [concepts]")


def test_link_to_a_symlink_leaving_the_repository_is_reported(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n")
    repo = tmp_path / "repo"
    text = PAGE + "\nSee [the notes](./notes.md).\n"
    evaluate(repo, ID, page=text)
    (repo / "docs" / "services" / "notes.md").symlink_to(outside)
    r = evaluate(repo, ID, page=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("link './notes.md' does not resolve to a page of the repository: docs/services/notes.md is a "
                         "symlink that leaves the repository; not read")
    assert f.line == line_of(text, "the notes")
