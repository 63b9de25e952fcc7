-- Answers: How often is a bill fully paid soon after a collection action, by action type and month?
-- Grain: one row per month x action type x region x segment x wealth tier x income band with an action on an
--   open bill.
-- Definition: An action counts when it was recorded against a bill (by bill id) that was still open at the
--   start of the action's day (more than the 1.00 tolerance outstanding after the payments applied to it before
--   that day). It cures the bill when the bill is fully paid (at most the tolerance outstanding) by the end of
--   the 14th day after the action (cure_window_days of receivables_settings; a payment on the action's day
--   counts). Actions whose 14 days end after the data as-of date, including actions recorded live, are pending:
--   reported apart and left out of the rate. Actions about the customer as a whole (no bill id) and actions on
--   bills already paid are not counted. Cure rate = sum(cured_actions) / sum(actions_on_open_bills), after
--   filtering.
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

bill_actions as (
    select
        stg_collection_actions.action_id,
        stg_collection_actions.action_type,
        stg_collection_actions.action_date,
        stg_bills.bill_id,
        stg_bills.amount,
        stg_customers.region,
        stg_customers.segment,
        stg_customers.wealth_tier,
        stg_customers.income_band
    from stg_collection_actions
    inner join stg_bills
        on stg_bills.bill_id = stg_collection_actions.bill_id
    left join stg_customers
        on stg_customers.customer_id = stg_collection_actions.customer_id
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
