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
