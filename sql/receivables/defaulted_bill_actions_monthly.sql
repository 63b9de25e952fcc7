-- Answers: How many collection actions did each defaulted bill get, by the month it fell due?
-- Grain: one row per due month x region x segment x wealth tier x income band with a defaulted bill.
-- Definition: Defaulted bills as in bill_default_checkpoints (more than 1.00 outstanding at D+60; pending bills
--   are not defaulted yet). Actions counted are those recorded against the bill by its bill id, at any time;
--   actions about the customer as a whole cannot be attributed to one bill and are not counted. Actions per
--   defaulted bill = sum(actions_on_defaulted_bills) / sum(defaulted_bills); share of defaulted bills worked =
--   sum(actioned_defaulted_bills) / sum(defaulted_bills). Computed from defaulted_bill_actions_source_data (each
--   defaulted bill with its actions in the source data, stored by the build) and the actions recorded in the app
--   since, counted per bill on each request: the same rows as counting all actions at once.
-- Columns:
--   month: First day of the month the bills fell due.
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   income_band: Customers' annual income band.
--   defaulted_bills: Bills due in the month that defaulted.
--   actioned_defaulted_bills: Of those, bills with at least one collection action recorded against them.
--   actions_on_defaulted_bills: Collection actions recorded against those bills.

with defaulted_bills as (
    select * from defaulted_bill_actions_source_data
),

recorded_per_bill as (
    select
        bill_id,
        count(*) as actions
    from stg_collection_actions
    where source = 'recorded in app'
        and bill_id is not null
    group by bill_id
),

bill_actions as (
    select
        defaulted_bills.*,
        defaulted_bills.source_data_actions + coalesce(recorded_per_bill.actions, 0) as actions
    from defaulted_bills
    left join recorded_per_bill
        on recorded_per_bill.bill_id = defaulted_bills.bill_id
),

final as (
    select
        due_month as month,
        region,
        segment,
        wealth_tier,
        income_band,
        count(*) as defaulted_bills,
        count(*) filter (where actions > 0) as actioned_defaulted_bills,
        cast(sum(actions) as bigint) as actions_on_defaulted_bills
    from bill_actions
    group by all
)

select * from final
