"""The frame around every page: shared filters in the URL, their persistence, hostile links, rebuilds."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import row
from tests.pages.conftest import fixture_warehouse, metrics
from app.navigation import page_file
from warehouse.queries import PAGES

PAGE_FILES = [page_file(module) for module in PAGES]

HOSTILE_LINKS = [
    {"region": ["West' OR '1'='1", "'); DROP TABLE stg_customers; --"], "segment": "<script>alert(1)</script>"},
    {"period": ["2024-06-30", "2024-01-01"], "tier": ["Mass Market"] * 50 + ["\u202e\u0000bad"]},
    {"period": ["not-a-date", "1900-01-01"], "region": ["", "Ｗｅｓｔ", "west"], "unknown": "x" * 5000},
    {"period": ["2999-01-01", "2999-12-31"], "segment": ["Retail"] * 400 + ["Nope"] * 400},
]


def _customer(**values):
    return row("customers", **values)


@pytest.fixture(scope="module")
def small_bank(tmp_path_factory):
    rows = {
        "customers": [_customer(customer_id="C1", region="West"),
                      _customer(customer_id="C2", region="Midwest", segment="Corporate")],
        "products": [row("products")],
        "enrollments": [row("enrollments", account_id="A1", customer_id="C1", open_date=date(2023, 1, 15)),
                        row("enrollments", account_id="A2", customer_id="C2", open_date=date(2023, 2, 1))],
        "account_balances": [row("account_balances", account_id="A1", month_end=date(2024, 6, 30), balance=100),
                             row("account_balances", account_id="A2", month_end=date(2024, 6, 30), balance=300)],
    }
    return fixture_warehouse(tmp_path_factory.mktemp("frame"), rows, as_of=date(2024, 6, 30))


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_renders_on_a_nearly_empty_warehouse(small_bank, open_page, page):
    app = open_page(small_bank, page)
    assert not app.exception, f"{page}: {app.exception[0].value if app.exception else ''}"
    assert app.title, f"{page} has no title"


@pytest.mark.parametrize("link", range(len(HOSTILE_LINKS)))
@pytest.mark.parametrize("page", PAGE_FILES)
def test_hostile_links_never_raise_and_are_reported(small_bank, open_page, page, link):
    app = open_page(small_bank, page, query_params=HOSTILE_LINKS[link])
    assert not app.exception, f"{page} with {HOSTILE_LINKS[link]}: {app.exception[0].value if app.exception else ''}"
    assert any("Ignored from the link" in w.value for w in app.sidebar.warning), "every link holds unusable values"


def test_a_link_reproduces_the_filters(small_bank, open_page):
    app = open_page(small_bank, "pages/overview.py",
                    query_params={"period": ["2024-04-01", "2024-06-30"], "region": "West"})
    assert app.sidebar.multiselect(key="region").value == ["West"]
    assert app.sidebar.date_input(key="period").value == (date(2024, 4, 1), date(2024, 6, 30))
    assert metrics(app)["Customers"] == "1"
    assert not app.sidebar.warning, "a clean link reports nothing"


def test_reset_clears_the_filters(small_bank, open_page):
    app = open_page(small_bank, "pages/overview.py", query_params={"region": "Midwest"})
    assert metrics(app)["Customers"] == "1"
    next(b for b in app.sidebar.button if b.label == "Reset filters").click().run()
    assert "region" not in app.session_state


def test_a_rebuilt_warehouse_is_picked_up_without_a_restart(tmp_path, open_page):
    rows = {"customers": [_customer(customer_id="C1")], "products": [row("products")],
            "enrollments": [row("enrollments")],
            "account_balances": [row("account_balances", month_end=date(2024, 6, 30), balance=100)]}
    db = fixture_warehouse(tmp_path / "first", rows, as_of=date(2024, 6, 30))
    assert metrics(open_page(db, "pages/overview.py"))["AUM"] == "$100"
    rows["account_balances"] = [row("account_balances", month_end=date(2024, 6, 30), balance=250)]
    rebuilt = fixture_warehouse(tmp_path / "second", rows, as_of=date(2024, 6, 30))
    rebuilt.replace(db)  # what a build does: a new file swapped in under the same name
    # same server process, so the same caches: the new build version must bypass them
    assert metrics(open_page(db, "pages/overview.py"))["AUM"] == "$250"


@pytest.mark.parametrize(("page", "area"), [("pages/overview.py", "customers"),
                                            ("pages/operations.py", "sales, expenses and employees")])
def test_a_page_whose_area_was_not_loaded_says_so(tmp_path, open_page, page, area):
    empty = fixture_warehouse(tmp_path, {}, as_of=date(2024, 6, 30))
    app = open_page(empty, page)
    assert not app.exception and not metrics(app)
    assert any(f"No data loaded for this area ({area})" in i.value for i in app.info)
