-- Answers: When was each customer last contacted by collections, how, and by whom, among the actions of one
--   source (the source data, or the actions recorded in the app)?
-- Grain: one row per customer with at least one collection action of the source.
-- Definition: customer_last_collection_action's rules applied to the actions of stg_collection_actions whose
--   source is action_source: 'source data' or 'recorded in app'. The customer's last action over both sources
--   is the later of the two sources' last actions (by time taken, then action id), and their counts add up.
--   Declared once for both: the build stores the source data's part
--   (customer_last_collection_action_source_data), and the app computes the recorded part per request (DuckDB
--   prunes the other source's branch of stg_collection_actions, its constant source column never matching).
--   Call it as customer_last_collection_action_for_source('recorded in app').
-- Parameters: action_source
-- Columns:
--   customer_id: Customer.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   income_band: Customer's annual income band.
--   last_action_id: Identifier of the customer's last action of the source.
--   last_action_at: When that action was taken.
--   last_action_date: Calendar date of that action.
--   last_action_type: What was done.
--   last_action_by: User or employee who took the action.
--   last_action_outcome: What came of the action, when recorded.
--   last_action_bill_id: Bill the action was about; empty when it was about the customer as a whole.
--   collection_actions: Collection actions of the source the customer has had in total.

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
    where source = action_source
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
