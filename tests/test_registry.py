"""Meta-tests: the catalog (the one registry of items), the check modules and the docs agree."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from gate import catalog
from gate.context import ChangeCtx, Ctx
from gate.model import Result

CHECKS = Path(__file__).resolve().parent.parent / "gate" / "checks"


def test_the_catalog_counts() -> None:
    assert len(catalog.ITEMS) == 63
    assert len(catalog.SERVICE_ITEMS) == 60
    assert len(catalog.BY_ID) == len(catalog.ITEMS)  # no id twice


def test_every_catalog_id_has_a_check_of_its_kind_where_its_id_says() -> None:
    for item in catalog.ITEMS:
        module = importlib.import_module(item.module)
        fn = getattr(module, "check", None)
        assert callable(fn), item.id
        sig = inspect.signature(fn, eval_str=True)
        params = list(sig.parameters.values())
        assert len(params) == 1, item.id
        assert params[0].annotation is (ChangeCtx if item.change_level else Ctx), item.id
        assert sig.return_annotation is Result, item.id


def test_no_check_module_without_a_catalog_line() -> None:
    modules = {
        ".".join(("gate", *p.relative_to(CHECKS.parent).with_suffix("").parts))
        for p in CHECKS.glob("*/*.py") if not p.name.startswith("_")
    }
    assert modules == {item.module for item in catalog.ITEMS}


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
