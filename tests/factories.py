"""Hand-made fixture rows: every required contract column gets a plain default, tests set what matters.

    warehouse({"customers": [row("customers", customer_id="C1", region="West")]}, as_of=date(2024, 6, 30))
"""

from __future__ import annotations

from datetime import date

import duckdb

from warehouse import build, contract

DEFAULTS: dict[str, dict[str, object]] = {
    "customers": dict(customer_id="C1", first_name="Ada", last_name="Moss", region="West", segment="Retail",
                      wealth_tier="Mass Market", enrollment_date=date(2023, 1, 15), income_band="50K-100K",
                      state="CA", city="Fresno", birth_date=date(1980, 5, 1)),
    "employees": dict(employee_id="E1", full_name="Eve Stone", role="Advisor", department="Wealth", region="West",
                      office="Fresno", hire_date=date(2020, 1, 1)),
    "products": dict(product_id="P1", product_name="Growth Fund", category="Equity Fund", investment_type="Stocks",
                     risk_level="High", annual_fee_rate=0.012, min_investment=1000),
    "enrollments": dict(account_id="A1", customer_id="C1", product_id="P1", open_date=date(2023, 1, 15),
                        channel="Branch", status="Active", initial_investment=1000,
                        contribution_frequency="Monthly", contribution_amount=100),
    "account_balances": dict(account_id="A1", month_end=date(2023, 1, 31), balance=1000, contributions=0,
                             withdrawals=0, investment_returns=0, fees=0),
    "loans": dict(loan_id="L1", customer_id="C1", loan_type="Personal", principal=10000, interest_rate=0.06,
                  term_months=12, issue_date=date(2023, 1, 1), maturity_date=date(2024, 1, 1), status="Active",
                  region="West"),
    "card_transactions": dict(transaction_id="T1", customer_id="C1", transaction_at="2023-03-01 12:00:00",
                              amount=10, merchant_category="Groceries", channel="In-store", status="Approved"),
    "service_interactions": dict(interaction_id="I1", customer_id="C1", opened_at="2023-03-01 09:00:00",
                                 closed_at="2023-03-01 09:10:00", channel="Phone", reason="Account Inquiry",
                                 duration_minutes=10, satisfaction=4, resolution_status="Resolved"),
    "engagement_events": dict(event_id="G1", customer_id="C1", event_at="2023-03-01 20:00:00",
                              action_type="View Balance", device="Mobile App", session_seconds=120, pages_viewed=3,
                              actions_taken=1),
    "churn_events": dict(churn_id="X1", customer_id="C1", product_id="P1", churn_date=date(2024, 1, 10),
                         reason="High Fees", recovered=False, lifetime_value=500),
    "risk_assessments": dict(assessment_id="R1", customer_id="C1", assessed_on=date(2023, 6, 1), credit_score=700,
                             default_probability=0.05, risk_level="Low"),
    "fraud_cases": dict(case_id="F1", customer_id="C1", flagged_date=date(2023, 3, 2), amount=100, status="Open"),
    "marketing_campaigns": dict(campaign_id="M1", campaign_name="Spring offer", channel="Email",
                                target_segment="Retail", start_date=date(2023, 3, 1), end_date=date(2023, 3, 31),
                                budget=1000),
    "campaign_contacts": dict(campaign_id="M1", customer_id="C1", contacted_date=date(2023, 3, 5), responded=False,
                              converted=False, revenue=0),
    "expenses": dict(expense_id="EX1", expense_date=date(2023, 3, 15), department="Operations", category="Rent",
                     region="West", amount=100),
    "market_data": dict(trade_date=date(2023, 3, 1), equity_index=4000, bond_index=100, inflation_rate=0.03,
                        prime_rate=0.05, unemployment_rate=0.04),
    "billing_groups": dict(billing_group_id="B1", group_name="West group", billing_email="billing@example.com"),
    "bills": dict(bill_id="BL1", customer_id="C1", sales_channel="Direct", sales_subchannel="Branch",
                  location="Fresno", issue_date=date(2023, 1, 31), due_date=date(2023, 2, 28), amount=100),
    "payments": dict(payment_id="PY1", customer_id="C1", payment_date=date(2023, 2, 20), amount=100,
                     method="Card"),
    "collection_actions": dict(action_id="CA1", customer_id="C1", action_at="2023-03-03 10:00:00",
                               action_type="Reminder e-mail", performed_by="Eve Stone"),
}

assert set(DEFAULTS) == set(contract.TABLES_BY_NAME), "every contract table needs defaults"


def row(table: str, **values: object) -> dict[str, object]:
    """One row of `table`: the defaults, overridden by `values` (unknown columns are an error at insert)."""
    return {**DEFAULTS[table], **values}


def warehouse(tables: dict[str, list[dict]], as_of: date | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding exactly these rows, with every view of sql/ created."""
    return build.build_in_memory(tables, as_of=as_of)


def rows(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple]:
    """The query's rows in a stable order (by their text), to compare with a hand-written list."""
    return sorted(con.sql(query).fetchall(), key=lambda r: tuple(str(v) for v in r))


def differing_rows(con: duckdb.DuckDBPyConnection, left: str, right: str) -> int:
    """How many rows one query returns that the other does not, repeats counted: 0 when both return the same rows.
    Each query runs once."""
    return con.sql(f"""
        with left_rows as materialized ({left}),
        right_rows as materialized ({right})
        select count(*) from (
            (select * from left_rows except all select * from right_rows)
            union all
            (select * from right_rows except all select * from left_rows)
        )
    """).fetchall()[0][0]
