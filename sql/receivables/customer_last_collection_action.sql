-- Answers: When was each customer last contacted by collections, how, and by whom?
-- Grain: one row per customer with at least one collection action.
-- Definition: The customer's latest collection action by time taken; two actions at the same moment are
--   ordered by action id (the higher one is the last). Includes actions users record live in the app.
-- Columns:
--   customer_id: Customer.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   income_band: Customer's annual income band.
--   last_action_id: Identifier of the last action.
--   last_action_at: When the last action was taken.
--   last_action_date: Calendar date of the last action.
--   last_action_type: What was done last.
--   last_action_by: User or employee who took the last action.
--   last_action_outcome: What came of the last action, when recorded.
--   last_action_bill_id: Bill the last action was about; empty when it was about the customer as a whole.
--   collection_actions: Collection actions the customer has had in total.

with ranked_actions as (
    select
        action_id,
        customer_id,
        bill_id,
        action_at,
        action_date,
        action_type,
        performed_by,
        outcome,
        row_number() over (partition by customer_id order by action_at desc, action_id desc) as recency_rank,
        count(*) over (partition by customer_id) as collection_actions
    from stg_collection_actions
),

final as (
    select
        ranked_actions.customer_id,
        stg_customers.region,
        stg_customers.segment,
        stg_customers.wealth_tier,
        stg_customers.income_band,
        ranked_actions.action_id as last_action_id,
        ranked_actions.action_at as last_action_at,
        ranked_actions.action_date as last_action_date,
        ranked_actions.action_type as last_action_type,
        ranked_actions.performed_by as last_action_by,
        ranked_actions.outcome as last_action_outcome,
        ranked_actions.bill_id as last_action_bill_id,
        ranked_actions.collection_actions
    from ranked_actions
    left join stg_customers
        on stg_customers.customer_id = ranked_actions.customer_id
    where ranked_actions.recency_rank = 1
)

select * from final
