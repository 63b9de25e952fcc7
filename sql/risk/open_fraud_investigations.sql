-- Answers: Which fraud cases are still being worked on, and how long have they been open?
-- Grain: one row per fraud case that is Open or Under Investigation.
-- Definition: Cases flagged on or before the as-of date whose status is Open or Under Investigation. days_open
--   is counted from the flagged date to the data's as-of date (not the clock), so the list is reproducible.
--   Stored as a table by the build: it only changes when the data does, and the page lists it on every visit.
-- Materialize: table
-- Columns:
--   case_id: Fraud case.
--   transaction_id: Transaction flagged, when known.
--   customer_id: Customer whose card was used.
--   full_name: Customer's name.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   flagged_date: Date the case was opened.
--   status: Open or Under Investigation.
--   amount: Amount at stake.
--   days_open: Days from flagged_date to the as-of date.

with cases as (
    select * from stg_fraud_cases
),

customers as (
    select * from stg_customers
),

as_of as (
    select * from stg_data_as_of
),

final as (
    select
        cases.case_id,
        cases.transaction_id,
        cases.customer_id,
        customers.full_name,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        cases.flagged_date,
        cases.status,
        cases.amount,
        date_diff('day', cases.flagged_date, as_of.as_of_date) as days_open
    from cases
    cross join as_of
    left join customers
        on cases.customer_id = customers.customer_id
    where cases.status in ('Open', 'Under Investigation')
        and cases.flagged_date <= as_of.as_of_date
)

select * from final
