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
--   filtering. Computed as collection_cure_monthly_source_data (the source data's actions, stored by the
--   build) plus collection_cure_monthly_for_source('recorded in app') (the actions recorded in the app, computed
--   per request), summed per group: the same rows as applying the rules to all actions at once.
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

with by_source as (
    select * from collection_cure_monthly_source_data
    union all
    select * from collection_cure_monthly_for_source('recorded in app')
),

final as (
    select
        month,
        action_type,
        region,
        segment,
        wealth_tier,
        income_band,
        cast(sum(actions_on_open_bills) as bigint) as actions_on_open_bills,
        cast(sum(cured_actions) as bigint) as cured_actions,
        cast(sum(pending_actions) as bigint) as pending_actions
    from by_source
    group by all
)

select * from final
