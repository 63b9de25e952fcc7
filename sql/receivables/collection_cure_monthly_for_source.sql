-- Answers: How often is a bill fully paid soon after a collection action, by action type and month, counting
--   only the actions of one source (the source data, or the actions recorded in the app)?
-- Grain: one row per month x action type x region x segment x wealth tier x income band with an action of the
--   source on an open bill.
-- Definition: collection_cure_monthly's rules (see there) applied to the actions of stg_collection_actions whose
--   source is action_source: 'source data' or 'recorded in app'. Every figure is a count of actions, so the
--   results of the two sources add up to collection_cure_monthly. Declared once for both: the build stores the
--   source data's part (collection_cure_monthly_source_data), and the app computes the recorded part per
--   request over the action log only (DuckDB prunes the other source's branch of stg_collection_actions, its
--   constant source column never matching). Call it as collection_cure_monthly_for_source('recorded in app').
-- Parameters: action_source
-- Columns:
--   month: First day of the month the actions were taken.
--   action_type: What was done.
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   income_band: Customers' annual income band.
--   actions_on_open_bills: Actions on open bills whose cure window is over (the denominator of the cure rate).
--   cured_actions: Of those, actions after which the bill was fully paid within the cure window.
--   pending_actions: Actions on open bills whose cure window is not over at the data as-of date.

with data_as_of as (
    select as_of_date from stg_data_as_of
),

source_actions as (
    select * from stg_collection_actions
    where source = action_source
),

bill_actions as (
    select
        source_actions.action_id,
        source_actions.action_type,
        source_actions.action_date,
        stg_bills.bill_id,
        stg_bills.amount,
        stg_customers.region,
        stg_customers.segment,
        stg_customers.wealth_tier,
        stg_customers.income_band
    from source_actions
    inner join stg_bills
        on stg_bills.bill_id = source_actions.bill_id
    left join stg_customers
        on stg_customers.customer_id = source_actions.customer_id
),

outstanding_around_actions as (
    select
        bill_actions.action_id,
        bill_actions.amount - coalesce(sum(payment_allocations.allocated_amount) filter (
            where payment_allocations.payment_date < bill_actions.action_date), 0) as outstanding_before,
        bill_actions.amount - coalesce(sum(payment_allocations.allocated_amount) filter (
            where date_diff('day', bill_actions.action_date, payment_allocations.payment_date)
                <= receivables_settings.cure_window_days), 0) as outstanding_after_window
    from bill_actions
    cross join receivables_settings
    left join payment_allocations
        on payment_allocations.bill_id = bill_actions.bill_id
    group by bill_actions.action_id, bill_actions.amount
),

open_bill_actions as (
    select
        bill_actions.*,
        date_diff('day', bill_actions.action_date, data_as_of.as_of_date) >= receivables_settings.cure_window_days
            as window_observed,
        outstanding_around_actions.outstanding_after_window <= receivables_settings.default_tolerance as cured
    from bill_actions
    cross join data_as_of
    cross join receivables_settings
    inner join outstanding_around_actions
        on outstanding_around_actions.action_id = bill_actions.action_id
    where outstanding_around_actions.outstanding_before > receivables_settings.default_tolerance
),

final as (
    select
        cast(date_trunc('month', action_date) as date) as month,
        action_type,
        region,
        segment,
        wealth_tier,
        income_band,
        count(*) filter (where window_observed) as actions_on_open_bills,
        count(*) filter (where window_observed and cured) as cured_actions,
        count(*) filter (where not window_observed) as pending_actions
    from open_bill_actions
    group by all
)

select * from final
