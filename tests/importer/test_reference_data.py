"""The four reference datasets import with their example mappings, row for row, and the app's pages for their
domains show their data. Expected figures are computed here straight from the source files, not by the importer."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from app import fmt
from app.navigation import page_file
from tests.importer.conftest import REFERENCE_DATA, needs_reference_data
from tests.pages.conftest import metrics
from warehouse.queries import PAGES

pytestmark = needs_reference_data

EXPECTED_ROWS = {
    "finance-insights-000": {"customers": 15, "employees": 15, "loans": 15, "card_transactions": 20,
                             "expenses": 15, "marketing_campaigns": 15},
    "wealth-analytics-001": {"customers": 1000, "employees": 50, "products": 15, "enrollments": 1929,
                             "account_balances": 57180, "service_interactions": 5000, "engagement_events": 10000,
                             "churn_events": 95, "market_data": 992},
    "crm-transactions-002": {"customers": 5645, "card_transactions": 92304 - 135},  # exact duplicates dropped
    "collections-004": {"customers": 1500, "bills": 72000, "payments": 64738, "collection_actions": 15418},
}
# (currency, as-of date, duplicates dropped, files in the folder not mapped)
EXPECTED_BUILD = {
    "finance-insights-000": ("USD", date(2024, 8, 20), 9, 9),  # as of: the last card transaction
    "wealth-analytics-001": ("USD", date(2024, 9, 30), 0, 1),  # as of: set in the mapping
    "crm-transactions-002": ("CAD", date(2018, 10, 19), 135, 1),  # as of: the last transaction
    "collections-004": ("GBP", date(2026, 1, 21), 0, 0),  # as of: set in the mapping, the last payment
}


def source_sql(sql: str) -> object:
    """One value computed by DuckDB directly over the reference files."""
    con = duckdb.connect()
    try:
        return con.execute(sql.replace("{data}", str(REFERENCE_DATA))).fetchall()[0][0]
    finally:
        con.close()


def warehouse_rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("dataset", sorted(EXPECTED_ROWS))
def test_each_dataset_imports_row_for_row(reference_warehouses, dataset):
    db, result = reference_warehouses(dataset)
    assert result.accepted, result.summary()
    expected = EXPECTED_ROWS[dataset]
    counts = dict(warehouse_rows(db, "select table_name, row_count from meta.table_rows"))
    assert {t: n for t, n in counts.items() if n} == expected  # every other contract table is empty
    currency, as_of, dropped, unmapped = EXPECTED_BUILD[dataset]
    assert warehouse_rows(db, "select source_kind, currency, as_of_date from meta.build") == [
        ("import", currency, as_of)]
    assert warehouse_rows(db, "select severity, count(*) from meta.import_report group by 1 order by 1") == [
        row for row in (("dropped", dropped), ("note", unmapped)) if row[1]]
    assert sum(n for _, _, _, n, _ in warehouse_rows(db, "select * from meta.import_summary")) == sum(
        expected.values())


@pytest.mark.parametrize("dataset", sorted(EXPECTED_ROWS))
def test_every_page_opens_on_each_imported_dataset(reference_warehouses, open_page, dataset):
    """Each dataset fills only some areas: the pages of the others must still open. A value that does not exist
    shows as a dash in every table, as on the cards, not as 'None'."""
    db, _ = reference_warehouses(dataset)
    for module in PAGES:
        app = open_page(db, page_file(module))
        assert not app.exception, f"{module}: {app.exception[0].value}"
        assert app.title, module
        assert [table.proto.placeholder for table in app.dataframe] == ["–"] * len(app.dataframe), module


def test_finance_insights_lending(reference_warehouses, open_page):
    db, _ = reference_warehouses("finance-insights-000")
    active = source_sql("select count(*) from '{data}/finance-insights-000/Loan_Portfolio.csv' "
                        "where Status = 'Active'")
    app = open_page(db, "pages/risk.py")
    assert not app.exception
    assert metrics(app)["Active loans"] == str(active) == "12"
    # the exact duplicates dropped are listed in the app
    catalog = open_page(db, "pages/data_and_measures.py")
    assert not catalog.exception
    assert [s.value for s in catalog.subheader][:1] == ["Last import"]
    files, report = catalog.dataframe[0].value, catalog.dataframe[1].value
    assert files.set_index("file").loc["Employee_Performance.csv", "duplicates_dropped"] == 3
    assert report["rule"].value_counts().to_dict() == {"duplicate row": 9, "file not mapped": 9}


def test_wealth_analytics_wealth_and_service(reference_warehouses, open_page):
    db, _ = reference_warehouses("wealth-analytics-001")
    aum = source_sql("select sum(balance) from '{data}/wealth-analytics-001/account_balances.csv' "
                     "where last_day(\"date\") = date '2024-09-30'")
    app = open_page(db, "pages/wealth.py", query_params={"period": ["2024-01-01", "2024-09-30"]})
    assert not app.exception
    cards = metrics(app)
    assert cards["AUM"] == fmt.money(aum, "USD", short=True) == "$234M"
    assert cards["Accounts"] == "1,929"
    contacts = source_sql("select count(*) from '{data}/wealth-analytics-001/service_interactions.csv' "
                          "where \"date\" between date '2024-01-01' and date '2024-09-30'")
    service = open_page(db, "pages/service.py", query_params={"period": ["2024-01-01", "2024-09-30"]})
    assert not service.exception
    assert metrics(service)["Contacts"] == f"{contacts:,}"


def test_crm_transactions_card_sales(reference_warehouses, open_page):
    db, _ = reference_warehouses("crm-transactions-002")
    transactions = ("(select distinct * from read_csv('{data}/crm-transactions-002/Transactions.csv', "
                    "quote = '\"', header = true))")
    # the app's period starts with the customers' first day (all enrolled 2018-03-01), so the opening
    # transactions of 2018-02-28 fall before it
    sales = source_sql(f"select sum(currencyAmount) from {transactions} where originationDateTime >= '2018-03-01'")
    buyers = source_sql(f"select count(distinct customerId) from {transactions}")
    app = open_page(db, "pages/rfm.py")
    assert not app.exception
    assert app.sidebar.date_input(key="period").value == (date(2018, 3, 1), date(2018, 10, 19))
    cards = metrics(app)
    assert cards["Card sales"] == fmt.money(sales, "CAD", short=True)
    assert cards["Scored customers"] == f"{buyers:,}" == "5,483"


def test_collections_receivables_and_partial_data(reference_warehouses, open_page):
    db, _ = reference_warehouses("collections-004")
    billed = source_sql("select sum(bill_amount) from '{data}/collections-004/bills.csv' where year(due_date) = 2025")
    actions = source_sql("select count(*) from '{data}/collections-004/collections_actions.csv' "
                         "where year(action_date) = 2025")
    app = open_page(db, "pages/collections.py", query_params={"period": ["2025-01-01", "2025-12-31"]})
    assert not app.exception
    cards = metrics(app)
    assert cards["Billed"] == fmt.money(billed, "GBP", short=True) == "£743K"
    assert cards["Actions taken"] == f"{actions:,}"
    assert not open_page(db, "pages/receivables.py").exception
    # only receivables were imported: a page of another area says so instead of failing
    wealth = open_page(db, "pages/wealth.py")
    assert not wealth.exception
    assert next(i.value for i in wealth.info).startswith("No data loaded for this area")
