-- Answers: How many collection actions of each type did the team take each month?
-- Grain: one row per month x action type x region x segment x wealth tier x income band with an action.
-- Definition: Every recorded collection action, including those users record live in the app, counted in the
--   month it was taken; region, segment, wealth tier and income band are the customer's.
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

with actions as (
    select
        cast(date_trunc('month', stg_collection_actions.action_date) as date) as month,
        stg_collection_actions.action_type,
        stg_collection_actions.bill_id,
        stg_customers.region,
        stg_customers.segment,
        stg_customers.wealth_tier,
        stg_customers.income_band
    from stg_collection_actions
    left join stg_customers
        on stg_customers.customer_id = stg_collection_actions.customer_id
),

final as (
    select
        month,
        action_type,
        region,
        segment,
        wealth_tier,
        income_band,
        count(*) as actions,
        count(bill_id) as actions_on_bills
    from actions
    group by all
)

select * from final
