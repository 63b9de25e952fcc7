"""Receivables page: a hand-made ledger of five bills, the position on two dates, the channel drill-down.

On Jun 30, 2024 (the data as-of date):
  BL1 C1 West    Direct/Branch                1,000 - 300 paid = 700.00 open, due Feb 29: 122 days late (91-180)
  BL2 C1 West    Direct/Relationship Manager    400 unpaid,        400.00 open, due Jun 15:  15 days late (1-30)
  BL3 C2 Midwest Digital/Web                    250 unpaid,        250.00 open, due Jul 1:  not yet due
  BL4 C2 Midwest Digital/Mobile App             600 paid in full Apr 10: not open
  BL5 C3 West    Partner/(no subchannel)        200 - 199.25 paid =  0.75 open, due Dec 31: 182 days late (180+),
                                                under the 1.00 tolerance, so not in default
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import row
from tests.pages.conftest import fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import receivables
from warehouse.scope import Scope

PAGE = "pages/receivables.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
AS_OF = date(2024, 6, 30)


def bill(bill_id, customer_id, channel, subchannel, location, issued, due, amount):
    return row("bills", bill_id=bill_id, customer_id=customer_id, sales_channel=channel, sales_subchannel=subchannel,
               location=location, issue_date=issued, due_date=due, amount=amount)


def payment(payment_id, customer_id, bill_id, paid, amount):
    return row("payments", payment_id=payment_id, customer_id=customer_id, bill_id=bill_id, payment_date=paid,
               amount=amount)


ROWS = {
    "customers": [
        row("customers", customer_id="C1", first_name="Ada", last_name="Moss", region="West", segment="Retail"),
        row("customers", customer_id="C2", first_name="Bo", last_name="Lind", region="Midwest", segment="Corporate"),
        row("customers", customer_id="C3", first_name="Cy", last_name="Hart", region="West", segment="Retail"),
    ],
    "products": [row("products")],
    "enrollments": [row("enrollments", account_id=f"A{i}", customer_id=f"C{i}", open_date=date(2023, 1, 15))
                    for i in (1, 2, 3)],
    "billing_groups": [row("billing_groups")],
    "bills": [
        bill("BL1", "C1", "Direct", "Branch", "Fresno", date(2024, 1, 31), date(2024, 2, 29), 1000),
        bill("BL2", "C1", "Direct", "Relationship Manager", "Fresno", date(2024, 5, 31), date(2024, 6, 15), 400),
        bill("BL3", "C2", "Digital", "Web", "Chicago", date(2024, 6, 1), date(2024, 7, 1), 250),
        bill("BL4", "C2", "Digital", "Mobile App", "Chicago", date(2024, 3, 31), date(2024, 4, 15), 600),
        bill("BL5", "C3", "Partner", None, "Fresno", date(2023, 12, 1), date(2023, 12, 31), 200),
    ],
    "payments": [
        payment("PY1", "C1", "BL1", date(2024, 3, 15), 300),
        payment("PY4", "C2", "BL4", date(2024, 4, 10), 600),
        payment("PY5", "C3", "BL5", date(2024, 1, 5), 199.25),
    ],
    "collection_actions": [
        row("collection_actions", action_id="CA1", customer_id="C1", action_at="2024-06-20 10:00:00",
            action_type="Call", performed_by="Eve Stone", outcome="No answer"),
        row("collection_actions", action_id="CA2", customer_id="C1", action_at="2024-06-25 09:00:00",
            action_type="Reminder e-mail", performed_by="Sam Lee"),
        row("collection_actions", action_id="CA3", customer_id="C2", action_at="2024-05-01 11:00:00",
            action_type="Letter", performed_by="Eve Stone"),
    ],
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("receivables"), ROWS, as_of=AS_OF)


@pytest.fixture(scope="module")
def db(ledger):
    return Gateway.open(ledger)


@pytest.fixture(scope="module")
def no_bills(tmp_path_factory):
    rows = {table: ROWS[table] for table in ("customers", "products", "enrollments")}
    return fixture_warehouse(tmp_path_factory.mktemp("receivables_empty"), rows, as_of=AS_OF)


SCOPE = Scope(date(2024, 1, 1), date(2024, 6, 30))


# ---------------------------------------------------------------------------------------------- queries

def test_position_on_the_data_date_is_hand_computed(db):
    figures = receivables.load(db, SCOPE)["kpis"]
    assert figures["open_amount"].current == pytest.approx(1350.75)
    assert figures["overdue_amount"].current == pytest.approx(1100.75)
    assert figures["share_overdue"].current == pytest.approx(1100.75 / 1350.75)
    assert figures["bills_in_default"].current == 1  # BL1 only: BL5's 0.75 is within the tolerance
    assert figures["customers_overdue"].current == 2
    assert figures["over_90_amount"].current == pytest.approx(700.75)
    # the previous period's end (Dec 31, 2023): BL5 falls due that day, so nothing is overdue yet
    assert (figures["open_amount"].previous, figures["overdue_amount"].previous) == (pytest.approx(200), 0)


def test_a_past_date_rebuilds_the_position_and_matches_that_month_end(db):
    data = receivables.load(db, SCOPE, as_of=date(2024, 3, 31))
    figures = data["kpis"]
    # BL1 700 (31 days late), BL4 600 (not yet due), BL5 0.75 (91 days late, within the tolerance)
    assert figures["open_amount"].current == pytest.approx(1300.75)
    assert figures["overdue_amount"].current == pytest.approx(700.75)
    assert figures["over_90_amount"].current == pytest.approx(0.75)
    assert figures["bills_in_default"].current == 0
    march = data["month_ends"].filter(data["month_ends"]["month_end"] == date(2024, 3, 31)).row(0, named=True)
    assert (march["open_amount"], march["overdue_amount"]) == (pytest.approx(1300.75), pytest.approx(700.75))


def test_month_ends_cover_the_period_and_end_at_todays_position(db):
    series = receivables.load(db, SCOPE)["month_ends"]
    assert series["month_end"].to_list() == [date(2024, m, d) for m, d in
                                             ((1, 31), (2, 29), (3, 31), (4, 30), (5, 31), (6, 30))]
    assert series["open_amount"].to_list() == pytest.approx([1000.75, 1000.75, 1300.75, 700.75, 1100.75, 1350.75])
    assert series["overdue_amount"].to_list() == pytest.approx([0.75, 0.75, 700.75, 700.75, 700.75, 1100.75])


def test_parts_add_up_to_the_open_amount(db):
    data = receivables.load(db, SCOPE)
    assert data["by_channel"]["open_amount"].sum() == pytest.approx(1350.75)
    assert dict(data["by_channel"].select("channel", "open_amount").iter_rows()) == \
        pytest.approx({"Direct": 1100, "Digital": 250, "Partner": 0.75})
    assert data["aging_by_location"]["open_amount"].sum() == pytest.approx(1350.75)
    june = data["aging_by_month_end"].filter(data["aging_by_month_end"]["month_end"] == AS_OF)
    assert june["aging_bucket"].to_list() == ["Not yet due", "1-30", "91-180", "180+"]  # in bucket order
    assert june["open_amount"].to_list() == pytest.approx([250, 400, 700, 0.75])
    assert data["aging_buckets"] == ["Not yet due", "1-30", "31-60", "61-90", "91-180", "180+"]


def test_drilling_into_a_channel_shows_its_subchannels_and_narrows_the_rest(db):
    direct = receivables.load(db, SCOPE, channel_path=("Direct",))
    assert dict(direct["by_channel"].select("channel", "open_amount").iter_rows()) == \
        pytest.approx({"Relationship Manager": 400, "Branch": 700})
    assert direct["kpis"]["open_amount"].current == pytest.approx(1100)
    assert direct["kpis"]["customers_overdue"].current == 1
    assert direct["aging_by_location"]["location"].unique().to_list() == ["Fresno"]
    assert direct["month_ends"]["open_amount"][-1] == pytest.approx(1100)
    partner = receivables.load(db, SCOPE, channel_path=("Partner",))
    assert partner["by_channel"]["channel"].to_list() == [receivables.NO_SUBCHANNEL]
    leaf = receivables.load(db, SCOPE, channel_path=("Partner", receivables.NO_SUBCHANNEL))
    assert leaf["kpis"]["open_amount"].current == pytest.approx(0.75)


def test_last_action_per_customer_with_what_they_owe(db):
    actions = receivables.load(db, SCOPE)["last_actions"]
    assert actions.select("customer_id", "last_action_type", "last_action_by", "open_amount", "overdue_amount",
                          "collection_actions").rows() == [
        ("C1", "Reminder e-mail", "Sam Lee", 1100.0, 1100.0, 2),
        ("C2", "Letter", "Eve Stone", 250.0, 0.0, 1),
    ]  # C3 was never contacted
    digital = receivables.load(db, SCOPE, channel_path=("Digital",))["last_actions"]
    assert digital["customer_id"].to_list() == ["C2"]


def test_region_filter_narrows_everything(db):
    west = receivables.load(db, Scope(date(2024, 1, 1), date(2024, 6, 30), regions=("West",)))
    assert west["kpis"]["open_amount"].current == pytest.approx(1100.75)
    assert west["by_channel"]["channel"].to_list() == ["Direct", "Partner"]
    assert west["last_actions"]["customer_id"].to_list() == ["C1"]


# ---------------------------------------------------------------------------------------------- the page


def same_position_pages(db, scope, day, data_date):
    """Every part of the page read from the position source of `day` equals the same part read from the
    receivables_as_of macro on that day, for each drill level."""
    source, params = receivables.position_source(day, data_date)
    macro, by_macro = "receivables_as_of($as_of)", {"as_of": day}
    channel = db.frame(f"select min(sales_channel) as channel from {macro}", by_macro)["channel"][0]
    for path in ((), (channel,), (channel, receivables.NO_SUBCHANNEL)):
        assert receivables.position_figures(db, scope, source, params, path) == \
            receivables.position_figures(db, scope, macro, by_macro, path)
        for part in (receivables.by_channel, receivables.aging_by_location, receivables.last_actions):
            assert part(db, scope, source, params, path).equals(part(db, scope, macro, by_macro, path)), part
    return source


def test_an_earlier_month_end_reads_the_stored_month_end_position_with_the_figures_of_the_macro(db):
    data_date = receivables.data_as_of(db)
    month_ends = [date(2023, 12, 31), date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30),
                  date(2024, 5, 31)]
    for day in month_ends:
        assert "receivables_month_end_position" in same_position_pages(db, SCOPE, day, data_date)
    # other days: the stored position on the data as-of date, the macro on any other date
    assert receivables.position_source(data_date, data_date)[0] == "receivables_position"
    assert receivables.position_source(date(2024, 3, 15), data_date)[0] == "receivables_as_of($as_of)"
    assert receivables.position_source(date(2024, 7, 31), data_date)[0] == "receivables_as_of($as_of)"


def test_month_ends_read_from_the_stored_position_on_generated_data(generated_warehouse):
    db = Gateway.open(generated_warehouse)
    try:
        data_date = receivables.data_as_of(db)
        region = db.rows("select min(region) from stg_customers")[0][0]
        last = date(data_date.year, data_date.month, 1) - timedelta(days=1)
        for day, scope in ((last, Scope(date(2020, 1, 1), data_date)),
                           (date(last.year - 1, 12, 31), Scope(date(2020, 1, 1), data_date, regions=(region,)))):
            assert "receivables_month_end_position" in same_position_pages(db, scope, day, data_date)
        # the month-end series, summed from the stored per-bill position, is the aggregated receivables_month_end
        scope = Scope(date(data_date.year - 1, 3, 15), data_date, regions=(region,))
        clause = scope.where(month="date_trunc('month', month_end)")
        aggregated = db.frame(f"""
            select month_end, sum(open_amount) as open_amount,
                coalesce(sum(open_amount) filter (where aging_bucket_rank >= 2), 0) as overdue_amount,
                cast(sum(open_bills) as bigint) as open_bills
            from receivables_month_end where {clause.sql} group by month_end order by month_end
        """, clause.params)
        series = receivables.month_end_series(db, scope).select("month_end", "open_amount", "overdue_amount",
                                                                 "open_bills")
        assert series.height >= 12 and series.equals(aggregated)
    finally:
        db.close()

def test_cards_show_the_position_on_the_data_date(ledger, open_page):
    app = open_page(ledger, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    cards = metrics(app)
    assert cards["Receivables"] == "$1.35K"
    assert cards["Overdue"] == "$1.10K"
    assert cards["Share overdue"] == "81.5%"
    assert cards["Bills in default"] == "1"
    assert cards["Late customers"] == "2"
    assert cards["Over 90 days"] == "$701"
    receivable = next(m for m in app.metric if m.label == "Receivables")
    assert receivable.delta == "+575.4%"  # against 200 on Dec 31, 2023
    table = app.dataframe[0].value
    assert table["customer_id"].tolist() == ["C1", "C2"]
    assert table["last_action_by"].tolist() == ["Sam Lee", "Eve Stone"]


def test_picking_a_past_date_shows_that_position(ledger, open_page):
    app = open_page(ledger, PAGE, query_params={"period": HALF_YEAR})
    app.date_input(key="receivables.as_of").set_value(date(2024, 3, 31)).run()
    assert not app.exception
    cards = metrics(app)
    assert (cards["Receivables"], cards["Overdue"], cards["Over 90 days"], cards["Bills in default"]) == \
        ("$1.30K", "$701", "$0.75", "0")


def test_a_region_filter_narrows_the_cards(ledger, open_page):
    app = open_page(ledger, PAGE, query_params={"period": HALF_YEAR, "region": "Midwest"})
    cards = metrics(app)
    assert (cards["Receivables"], cards["Overdue"], cards["Share overdue"], cards["Late customers"]) == \
        ("$250", "$0", "0.0%", "0")


def test_clicking_a_channel_drills_down_and_the_breadcrumb_steps_back(ledger, open_page):
    app = open_page(ledger, PAGE, query_params={"period": HALF_YEAR}, state={"receivables.channel": ["Direct"]})
    assert not app.exception
    cards = metrics(app)
    assert (cards["Receivables"], cards["Late customers"], cards["Over 90 days"]) == ("$1.10K", "1", "$700")
    assert any(m.value == "**Open receivables by subchannel: Direct**" for m in app.markdown)
    assert app.dataframe[0].value["customer_id"].tolist() == ["C1"]

    app.session_state["receivables.channel"] = ["Direct", "Branch"]  # a click on the Branch bar
    app.run()
    assert metrics(app)["Receivables"] == "$700"
    crumb = next(b for b in app.button if b.label == "› Direct")
    crumb.click().run()
    assert metrics(app)["Receivables"] == "$1.10K"
    next(b for b in app.button if b.label == "All channels").click().run()
    assert metrics(app)["Receivables"] == "$1.35K"
    assert not any(b.label.startswith("›") for b in app.button)


def test_without_bills_the_page_says_so(no_bills, open_page):
    app = open_page(no_bills, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    assert not app.metric
    assert any("No data loaded for this area" in i.value for i in app.info)
