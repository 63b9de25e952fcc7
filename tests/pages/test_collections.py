"""Collections page: a handful of bills, payments and collection actions, figures computed by hand.

As of 2024-06-30, the period is the first half of 2024. Bills due after 2024-05-01 have not reached D+60:
June (bills B4 and B5) is a pending month. B5 has not reached D+7 either, so June's D+7 is not drawn at all
(rather than over B4 alone).

    bill  customer  due         amount  paid                      outstanding at D-3 D0  D+7 D+15 D+30 D+60
    B0    C1        2023-10-10  1,000   1,000 on the due date     1,000 0 ...  (previous period)
    B1    C1        2024-02-10    100     100 two days early        100   0    0    0    0    0
    B2    C2        2024-02-20    200      50 at D+14               200 200  200  150  150  150  -> defaulted
    B3    C1        2024-03-15    300     300 at D+26               300 300  300  300    0    0
    B4    C2        2024-06-10    400     100 five days early       300 300  300  300   (not reached: pending)
    B5    C1        2024-06-28    100     nothing                   100 100  (not reached)
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import row
from tests.pages.conftest import deltas, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import collections
from warehouse.scope import Scope

PAGE = "pages/collections.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
SCOPE = Scope(date(2024, 1, 1), date(2024, 6, 30))


def _bill(bill_id, customer_id, due, amount):
    return row("bills", bill_id=bill_id, customer_id=customer_id, issue_date=date(due.year, due.month, 1),
               due_date=due, amount=amount)


def _payment(payment_id, customer_id, bill_id, day, amount):
    return row("payments", payment_id=payment_id, customer_id=customer_id, bill_id=bill_id, payment_date=day,
               amount=amount)


ROWS = {
    "customers": [
        row("customers", customer_id="C1", first_name="Ada", last_name="Moss", region="West", segment="Retail",
            income_band="50K-100K"),
        row("customers", customer_id="C2", first_name="Ben", last_name="Ray", region="Midwest",
            segment="Corporate", income_band="200K+"),
    ],
    "bills": [
        _bill("B0", "C1", date(2023, 10, 10), 1000),
        _bill("B1", "C1", date(2024, 2, 10), 100),
        _bill("B2", "C2", date(2024, 2, 20), 200),
        _bill("B3", "C1", date(2024, 3, 15), 300),
        _bill("B4", "C2", date(2024, 6, 10), 400),
        _bill("B5", "C1", date(2024, 6, 28), 100),
    ],
    "payments": [
        _payment("P0", "C1", "B0", date(2023, 10, 10), 1000),
        _payment("P1", "C1", "B1", date(2024, 2, 8), 100),
        _payment("P2", "C2", "B2", date(2024, 3, 5), 50),
        _payment("P3", "C1", "B3", date(2024, 4, 10), 300),
        _payment("P4", "C2", "B4", date(2024, 6, 5), 100),
    ],
    "collection_actions": [
        # on B2 while 200 was owed; 150 still owed 14 days later: not cured
        row("collection_actions", action_id="A1", customer_id="C2", bill_id="B2", action_at="2024-03-01 10:00:00",
            action_type="Call"),
        # on B3, paid in full nine days later: cured
        row("collection_actions", action_id="A2", customer_id="C1", bill_id="B3", action_at="2024-04-01 10:00:00",
            action_type="Reminder e-mail"),
        # on B4, five days before the as-of date: its cure window is still open
        row("collection_actions", action_id="A3", customer_id="C2", bill_id="B4", action_at="2024-06-25 10:00:00",
            action_type="SMS"),
        # about the customer as a whole: counted as an action, not in the cure rate
        row("collection_actions", action_id="A4", customer_id="C1", action_at="2024-05-05 10:00:00",
            action_type="Letter"),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("collections"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture(scope="module")
def gateway(bank):
    return Gateway.open(bank)


@pytest.fixture(scope="module")
def data(gateway):
    return collections.load(gateway, SCOPE)


def test_headline_figures(data):
    figures = data["kpis"]
    assert figures["billed"].current == pytest.approx(1100)  # B1 + B2 + B3 + the pending B4 and B5
    assert figures["billed"].previous == pytest.approx(1000)  # B0
    assert figures["default_rate"].current == pytest.approx(150 / 600)  # B4, B5 are pending: not in the rate
    assert figures["default_rate"].previous == pytest.approx(0)
    assert figures["defaulted_amount"].current == pytest.approx(150)
    assert figures["pending_bills"].current == 2
    assert figures["actions"].current == 4
    assert figures["cure_rate"].current == pytest.approx(1 / 2)  # A1 not cured, A2 cured, A3 pending
    assert figures["worked_share"].current == pytest.approx(1)  # B2, the one defaulted bill, got A1


def test_default_curve_by_checkpoint(data):
    curve = {(r["month"], r["checkpoint"]): r["rate"] for r in data["default_curve"].to_dicts()}
    february, march, june = date(2024, 2, 1), date(2024, 3, 1), date(2024, 6, 1)
    assert [curve[(february, k)] for k in ("D-3", "D0", "D+7", "D+15", "D+30", "D+60")] == pytest.approx(
        [300 / 300, 200 / 300, 200 / 300, 150 / 300, 150 / 300, 150 / 300])
    assert [curve[(march, k)] for k in ("D-3", "D+15", "D+30", "D+60")] == pytest.approx([1, 1, 0, 0])
    # June is pending: only the checkpoints both its bills have reached, over everything billed
    assert [curve[(june, k)] for k in ("D-3", "D0")] == pytest.approx([(300 + 100) / 500] * 2)
    assert not {(june, k) for k in ("D+7", "D+15", "D+30", "D+60")} & set(curve)
    pending = data["default_curve"].filter(data["default_curve"]["is_pending"])
    assert set(pending["month"]) == {june}
    assert data["pending_months"] == [june]


def test_pending_month_has_no_default_figures(data):
    june = data["by_month"].filter(data["by_month"]["month"] == date(2024, 6, 1)).row(0, named=True)
    assert june["is_pending"] and june["billed"] == pytest.approx(500)
    assert june["default_rate"] is None and june["defaulted_amount"] is None and june["paid"] is None
    detail = {r["month"]: r for r in data["detail"].to_dicts()}
    assert detail[date(2024, 6, 1)]["status"] == "Pending"
    assert detail[date(2024, 2, 1)]["status"] == "Final"
    assert detail[date(2024, 2, 1)]["paid"] == pytest.approx(150)  # 300 billed, 150 still owed at D+60


def test_split_by_income_band_adds_up(data):
    february = data["by_split"].filter(data["by_split"]["month"] == date(2024, 2, 1))
    rates = dict(zip(february["income_band"], february["default_rate"], strict=True))
    assert rates == pytest.approx({"50K-100K": 0, "200K+": 150 / 200})
    assert data["by_split"]["billed"].sum() == pytest.approx(data["kpis"]["billed"].current)


def test_actions_and_cure_breakdowns(data):
    by_type = {r["action_type"]: r for r in data["actions_by_type"].to_dicts()}
    assert {k: v["actions"] for k, v in by_type.items()} == {"Call": 1, "Reminder e-mail": 1, "SMS": 1, "Letter": 1}
    assert by_type["Reminder e-mail"]["cure_rate"] == 1 and by_type["Call"]["cure_rate"] == 0
    assert by_type["SMS"]["cure_rate"] is None  # only a pending action
    assert sum(v["share"] for v in by_type.values()) == pytest.approx(1)
    cure = {r["month"]: r for r in data["cure_monthly"].to_dicts()}
    assert cure[date(2024, 6, 1)]["is_pending"] and cure[date(2024, 6, 1)]["cure_rate"] is None
    assert not cure[date(2024, 4, 1)]["is_pending"] and cure[date(2024, 4, 1)]["cure_rate"] == 1


def test_the_month_range_and_the_controls(gateway):
    february = collections.load(gateway, SCOPE, months=(date(2024, 2, 1), date(2024, 2, 1)), metric="paid",
                                split="region")
    assert february["kpis"]["billed"].current == pytest.approx(300)
    assert february["kpis"]["default_rate"].current == pytest.approx(0.5)
    assert february["kpis"]["actions"].current == 0
    assert set(february["by_split"]["region"]) == {"West", "Midwest"}
    with pytest.raises(ValueError):
        collections.load(gateway, SCOPE, split="region; drop table bills")


def test_cards_show_the_hand_computed_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    cards = metrics(app)
    assert cards["Billed"] == "$1.10K"
    assert cards["Default rate (D+60)"] == "25.0%"
    assert cards["Amount defaulted"] == "$150"
    assert cards["Actions taken"] == "4"
    assert cards["Cure rate"] == "50.0%"
    assert deltas(app)["Default rate (D+60)"] == "+25.0 pp"
    assert app.select_slider(key="collections.months").value == ("2024-01-01", "2024-06-01")
    titles = [m.value for m in app.markdown]
    assert "**Default rate by due month, D-3 to D+60**" in titles
    assert "**Default rate at D+60 by due month and income band**" in titles
    assert any("Jun 2024, whose D+60 is not reached yet" in c.value for c in app.caption)


def test_a_region_filter_narrows_every_card(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "West"})
    assert not app.exception
    cards = metrics(app)
    # West is C1: B1 and B3, both paid, and the pending B5; A2 and A4
    assert (cards["Billed"], cards["Default rate (D+60)"], cards["Actions taken"], cards["Cure rate"]) == \
        ("$500", "0.0%", "2", "100.0%")


def test_slider_metric_and_split_change_the_page(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR},
                    state={"collections.months": ("2024-02-01", "2024-02-01"), "collections.metric": "billed",
                           "collections.split": "segment"})
    assert not app.exception
    cards = metrics(app)
    assert (cards["Billed"], cards["Default rate (D+60)"], cards["Amount defaulted"]) == ("$300", "50.0%", "$150")
    assert "**Amount billed by due month and segment**" in [m.value for m in app.markdown]
    app.select_slider(key="collections.months").set_value(("2024-01-01", "2024-06-01")).run()
    assert metrics(app)["Billed"] == "$1.10K"


def test_a_range_left_over_from_another_period_is_dropped(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR},
                    state={"collections.months": ("2022-01-01", "2022-03-01")})
    assert not app.exception
    assert metrics(app)["Billed"] == "$1.10K"


def test_a_bank_without_receivables_says_no_data_was_loaded(tmp_path_factory, open_page):
    empty = fixture_warehouse(tmp_path_factory.mktemp("collections_empty"), {"customers": ROWS["customers"]},
                              as_of=date(2024, 6, 30))
    app = open_page(empty, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    assert not metrics(app), "no cards of zeros"
    assert any("No data loaded for this area (bills, payments and collection actions)" in i.value for i in app.info)
