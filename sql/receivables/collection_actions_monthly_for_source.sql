-- Answers: How many collection actions of each type did the team take each month, counting only the actions of
--   one source (the source data, or the actions recorded in the app)?
-- Grain: one row per month x action type x region x segment x wealth tier x income band with an action of the
--   source.
-- Definition: collection_actions_monthly's rules applied to the actions of stg_collection_actions whose source
--   is action_source: 'source data' or 'recorded in app'. Both figures are counts, so the results of the two
--   sources add up to collection_actions_monthly. Declared once for both: the build stores the source data's
--   part (collection_actions_monthly_source_data), and the app computes the recorded part per request (DuckDB
--   prunes the other source's branch of stg_collection_actions, its constant source column never matching).
--   Call it as collection_actions_monthly_for_source('recorded in app').
-- Parameters: action_source
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

with source_actions as (
    select * from stg_collection_actions
    where source = action_source
),

actions as (
    select
        cast(date_trunc('month', source_actions.action_date) as date) as month,
        source_actions.action_type,
        source_actions.bill_id,
        stg_customers.region,
        stg_customers.segment,
        stg_customers.wealth_tier,
        stg_customers.income_band
    from source_actions
    left join stg_customers
        on stg_customers.customer_id = source_actions.customer_id
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
