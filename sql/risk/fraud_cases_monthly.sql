-- Answers: How many card transactions are flagged as fraud each month, for how much, and how do the
--   investigations stand?
-- Grain: one row per month flagged x status x region x segment x wealth tier (combinations with cases only).
-- Definition: A case counts in the month it was flagged, under its current status (Open, Under Investigation,
--   Confirmed Fraud, Cleared), so older months' statuses keep moving as investigations close. The amount is
--   the amount at stake when flagged; confirmed fraud losses are the Confirmed Fraud rows. Everything adds up.
-- Columns:
--   month: First day of the month the cases were flagged.
--   status: Where the investigations stand now.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   cases: Fraud cases.
--   amount: Amount at stake in those cases.

with cases as (
    select * from stg_fraud_cases
),

customers as (
    select * from stg_customers
),

final as (
    select
        cases.flagged_month as month,
        cases.status,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        count(*) as cases,
        sum(cases.amount) as amount
    from cases
    left join customers
        on cases.customer_id = customers.customer_id
    group by all
)

select * from final
