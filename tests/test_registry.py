"""Meta-tests: the registry, the catalog and the docs agree."""

from __future__ import annotations

import importlib

from gate import catalog
from gate.registry import CHANGE_CHECKS, SERVICE_CHECKS


def test_every_catalog_id_has_exactly_one_check_in_catalog_order() -> None:
    assert list(SERVICE_CHECKS) == [i.id for i in catalog.SERVICE_ITEMS]
    assert list(CHANGE_CHECKS) == [i.id for i in catalog.CHANGE_ITEMS]
    assert len(catalog.ITEMS) == 63
    assert len(catalog.SERVICE_ITEMS) == 60


def test_a_check_lives_where_its_id_says() -> None:
    for item in catalog.ITEMS:
        module = importlib.import_module(item.module)
        fn = SERVICE_CHECKS.get(item.id) or CHANGE_CHECKS[item.id]
        assert fn is module.check, item.id


def test_every_item_has_a_docs_page_linked_from_the_readme() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    for item in catalog.ITEMS:
        page = root / "docs" / "checks" / f"{item.id}.md"
        assert page.is_file(), item.id
        text = page.read_text(encoding="utf-8")
        assert item.id in text
        assert f"(docs/checks/{item.id}.md)" in readme, item.id


def test_no_check_is_left_a_stub() -> None:
    import inspect

    for item in catalog.ITEMS:
        source = inspect.getsource(importlib.import_module(item.module))
        assert "not evaluated by this version" not in source, item.id


def test_published_schemas_are_identical_to_the_packaged_ones() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for name in ("report", "config", "service", "catalog"):
        packaged = root / "gate" / "schemas" / f"{name}.schema.json"
        published = root / "docs" / "schemas" / f"{name}.schema.json"
        assert packaged.read_bytes() == published.read_bytes(), name
