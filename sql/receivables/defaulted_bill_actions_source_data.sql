-- Answers: Which bills defaulted, and how many collection actions of the source data were recorded against each?
-- Grain: one row per defaulted bill.
-- Definition: Defaulted bills as in bill_default_checkpoints (more than 1.00 outstanding at D+60; pending bills
--   are not defaulted yet), each with the number of actions of the source data (stg_collection_actions with
--   source 'source data') recorded against it by its bill id, at any time; zero when none. Stored as a table,
--   since nothing in it changes without a build: defaulted_bill_actions_monthly adds the actions recorded in
--   the app on each request.
-- Materialize: table
-- Columns:
--   bill_id: Defaulted bill.
--   due_month: First day of the month the bill fell due.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   income_band: Customer's annual income band.
--   source_data_actions: Collection actions of the source data recorded against the bill.

with defaulted_bills as (
    select
        bill_id,
        due_month,
        region,
        segment,
        wealth_tier,
        income_band
    from bill_default_checkpoints
    where is_defaulted
),

actions_per_bill as (
    select
        bill_id,
        count(*) as actions
    from stg_collection_actions
    where source = 'source data'
        and bill_id is not null
    group by bill_id
),

final as (
    select
        defaulted_bills.bill_id,
        defaulted_bills.due_month,
        defaulted_bills.region,
        defaulted_bills.segment,
        defaulted_bills.wealth_tier,
        defaulted_bills.income_band,
        coalesce(actions_per_bill.actions, 0) as source_data_actions
    from defaulted_bills
    left join actions_per_bill
        on actions_per_bill.bill_id = defaulted_bills.bill_id
)

select * from final
