"""One customer on one screen: who they are, their products and balances, loans, contacts, bills and RFM.

The customer is looked up through the viewer's scope, so a viewer limited to some regions or segments cannot
open a customer outside them, whatever id is asked for.
"""

from __future__ import annotations

import polars as pl

from warehouse.queries.common import Reader
from warehouse.scope import Scope


def load(db: Reader, scope: Scope, customer_id: str) -> dict[str, pl.DataFrame]:
    """Every section of the customer view; all empty when the customer does not exist or is out of scope."""
    visible = scope.groups(region="c.region", segment="c.segment", wealth_tier=None)
    params = {"customer_id": customer_id, **visible.params}
    profile = db.frame(
        f"""
        select c.customer_id, c.first_name || ' ' || c.last_name as full_name, c.email, c.phone, c.city, c.state,
               c.region, c.segment, c.wealth_tier, c.income_band, c.enrollment_date, a.age_years, a.tenure_years
        from stg_customers as c left join customer_ages as a using (customer_id)
        where c.customer_id = $customer_id and {visible.sql}
        """,
        params,
    )
    if profile.is_empty():
        return {"profile": profile}
    return {
        "profile": profile,
        "products": db.frame(
            """
            with latest as (
                select account_id, balance, month_end from wealth_account_months
                where customer_id = $customer_id
                qualify row_number() over (partition by account_id order by month_end desc) = 1
            )
            select a.account_id, p.product_name, a.product_category, a.channel, a.account_status, a.open_date,
                   a.close_date, latest.balance, latest.month_end as balance_month_end
            from customer_accounts as a
            left join stg_products as p using (product_id)
            left join latest using (account_id)
            where a.customer_id = $customer_id
            order by a.open_date desc, a.account_id
            """,
            {"customer_id": customer_id},
        ),
        "loans": db.frame(
            "select loan_id, loan_type, status, principal, interest_rate, term_months, issue_date "
            "from loan_rate_vs_amount where customer_id = $customer_id order by issue_date desc, loan_id",
            {"customer_id": customer_id},
        ),
        "contacts": db.frame(
            "select interaction_id, opened_at, channel, reason, resolution_status, satisfaction, resolution_hours "
            "from service_contacts where customer_id = $customer_id order by opened_at desc, interaction_id "
            "limit 200",
            {"customer_id": customer_id},
        ),
        "bills": db.frame(
            """
            select b.bill_id, b.issue_date, b.due_date, b.amount, coalesce(s.paid_amount, 0) as paid_amount,
                   s.settled_date, b.sales_channel, b.location
            from receivable_bills as b left join bill_settlements as s using (bill_id)
            where b.customer_id = $customer_id
            order by b.due_date desc, b.bill_id
            limit 200
            """,
            {"customer_id": customer_id},
        ),
        "rfm": db.frame(
            "select rfm_segment, rfm_code, recency_days, frequency, monetary, last_transaction_date "
            "from rfm_customers where customer_id = $customer_id",
            {"customer_id": customer_id},
        ),
        "risk": db.frame(
            "select assessed_on, credit_score, default_probability, risk_level "
            "from latest_risk_assessment where customer_id = $customer_id",
            {"customer_id": customer_id},
        ),
    }
