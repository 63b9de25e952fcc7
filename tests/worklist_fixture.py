"""A small ledger for the worklist and action-log tests (as of Jun 30, 2024).

  BL1 C1 Ada Moss  group B1 (Eve Stone, billing@moss.example)  1,000 - 300 paid = 700.00 owed, due Feb 29: 122 days
  BL2 C1 Ada Moss  group B1                                      400 unpaid       = 400.00 owed, due Jun 15:  15 days
  BL3 C2 Bo Lind   group B2 (no collector, no e-mail)            250 unpaid       = 250.00 owed, due May 1:   60 days
  BL4 C2 Bo Lind   group B2                                      600, due Jul 15: not yet due (not on the worklist)
  CA1: the source data's one action, a reminder e-mail to C1 on Jun 20 by Eve Stone.
"""

from __future__ import annotations

from datetime import date

from tests.factories import row

AS_OF = date(2024, 6, 30)

ROWS = {
    "customers": [
        row("customers", customer_id="C1", first_name="Ada", last_name="Moss", region="West", segment="Retail",
            billing_group_id="B1"),
        row("customers", customer_id="C2", first_name="Bo", last_name="Lind", region="Midwest", segment="Corporate",
            billing_group_id="B2"),
    ],
    "employees": [row("employees", employee_id="E1", full_name="Eve Stone", role="Collector")],
    "products": [row("products")],
    "enrollments": [row("enrollments", account_id=f"A{i}", customer_id=f"C{i}") for i in (1, 2)],
    "billing_groups": [
        row("billing_groups", billing_group_id="B1", group_name="Moss household", billing_email="billing@moss.example",
            collector_id="E1"),
        row("billing_groups", billing_group_id="B2", group_name="Lind corporate", billing_email=None,
            collector_id=None),
    ],
    "bills": [
        row("bills", bill_id="BL1", customer_id="C1", billing_group_id="B1", issue_date=date(2024, 1, 31),
            due_date=date(2024, 2, 29), amount=1000),
        row("bills", bill_id="BL2", customer_id="C1", billing_group_id="B1", issue_date=date(2024, 5, 31),
            due_date=date(2024, 6, 15), amount=400),
        row("bills", bill_id="BL3", customer_id="C2", billing_group_id="B2", issue_date=date(2024, 4, 1),
            due_date=date(2024, 5, 1), amount=250),
        row("bills", bill_id="BL4", customer_id="C2", billing_group_id="B2", issue_date=date(2024, 6, 15),
            due_date=date(2024, 7, 15), amount=600),
    ],
    "payments": [row("payments", payment_id="PY1", customer_id="C1", bill_id="BL1", payment_date=date(2024, 3, 15),
                     amount=300)],
    "collection_actions": [row("collection_actions", action_id="CA1", customer_id="C1", bill_id="BL2",
                               action_at="2024-06-20 10:00:00", action_type="Reminder e-mail",
                               performed_by="Eve Stone", outcome="Delivered")],
}
