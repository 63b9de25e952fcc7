-- Answers: How many collection actions of each type did the team take each month?
-- Grain: one row per month x action type x region x segment x wealth tier x income band with an action.
-- Definition: Every recorded collection action, including those users record live in the app, counted in the
--   month it was taken; region, segment, wealth tier and income band are the customer's. Computed as
--   collection_actions_monthly_source_data (the source data's actions, stored by the build) plus
--   collection_actions_monthly_for_source('recorded in app') (the actions recorded in the app, computed per
--   request), summed per group: the same rows as counting all actions at once.
-- Columns:
--   month: First day of the month the actions were taken.
--   action_type: What was done (Reminder e-mail, SMS, Call, Letter, Arrangement agreed, Arrangement broken,
--     Field visit).
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   income_band: Customers' annual income band.
--   actions: Collection actions taken.
--   actions_on_bills: Of those, actions about one named bill (the others were about the customer as a whole).

with by_source as (
    select * from collection_actions_monthly_source_data
    union all
    select * from collection_actions_monthly_for_source('recorded in app')
),

final as (
    select
        month,
        action_type,
        region,
        segment,
        wealth_tier,
        income_band,
        cast(sum(actions) as bigint) as actions,
        cast(sum(actions_on_bills) as bigint) as actions_on_bills
    from by_source
    group by all
)

select * from final
