"""A rebuild while the app serves: sessions already open keep their filters and show the new build on their next
run, without a restart (tests/pages/test_frame.py covers new sessions; tests/test_concurrency.py queries in flight
during the swap)."""

from __future__ import annotations

from datetime import date

from tests.factories import row
from tests.pages.conftest import fixture_warehouse, metrics, rerun

AS_OF = date(2024, 6, 30)


def bank(west_balance: float) -> dict[str, list[dict]]:
    return {
        "customers": [row("customers", customer_id="C1", region="West"),
                      row("customers", customer_id="C2", region="Midwest")],
        "products": [row("products")],
        "enrollments": [row("enrollments", account_id="A1", customer_id="C1"),
                        row("enrollments", account_id="A2", customer_id="C2")],
        "account_balances": [row("account_balances", account_id="A1", month_end=AS_OF, balance=west_balance),
                             row("account_balances", account_id="A2", month_end=AS_OF, balance=300)],
    }


def test_open_sessions_keep_their_filters_and_show_the_new_build_on_their_next_run(tmp_path, open_page):
    db = fixture_warehouse(tmp_path / "first", bank(west_balance=100), as_of=AS_OF)
    west = open_page(db, "pages/overview.py", query_params={"region": "West"})
    everyone = open_page(db, "pages/wealth.py")
    assert metrics(west)["AUM"] == "$100"
    before = metrics(everyone)

    rebuilt = fixture_warehouse(tmp_path / "second", bank(west_balance=250), as_of=AS_OF)
    rebuilt.replace(db)  # what a build does: a new file swapped in under the same name
    rerun(west)
    rerun(everyone)

    assert not west.exception and not everyone.exception
    assert west.sidebar.multiselect(key="region").value == ["West"]
    assert metrics(west)["AUM"] == "$250"
    assert metrics(everyone) != before
    assert metrics(everyone) == metrics(open_page(db, "pages/wealth.py")), "the same as a session opened after it"
