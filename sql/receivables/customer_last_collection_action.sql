-- Answers: When was each customer last contacted by collections, how, and by whom?
-- Grain: one row per customer with at least one collection action.
-- Definition: The customer's latest collection action by time taken; two actions at the same moment are
--   ordered by action id (the higher one is the last). Includes actions users record live in the app: the
--   later of customer_last_collection_action_source_data (the source data's last action, stored by the build)
--   and customer_last_collection_action_for_source('recorded in app') (the last action recorded in the app,
--   computed per request), with the two counts added; the same rows as ranking all actions at once.
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

with recorded as (
    select * from customer_last_collection_action_for_source('recorded in app')
),

recorded_against_source_data as (
    -- only the few customers with recorded actions are compared, so no request ranks every customer again
    select
        recorded.customer_id,
        recorded.collection_actions as recorded_actions,
        coalesce(source_data.collection_actions, 0) as source_data_actions,
        source_data.customer_id is null
            or recorded.last_action_at > source_data.last_action_at
            or (recorded.last_action_at = source_data.last_action_at
                and recorded.last_action_id > source_data.last_action_id) as recorded_is_last
    from recorded
    -- the stored table is named in both joins rather than in a CTE: DuckDB would copy a CTE read twice
    left join customer_last_collection_action_source_data as source_data
        on source_data.customer_id = recorded.customer_id
),

last_in_source_data as (
    select
        source_data.customer_id,
        source_data.region,
        source_data.segment,
        source_data.wealth_tier,
        source_data.income_band,
        source_data.last_action_id,
        source_data.last_action_at,
        source_data.last_action_date,
        source_data.last_action_type,
        source_data.last_action_by,
        source_data.last_action_outcome,
        source_data.last_action_bill_id,
        source_data.collection_actions + coalesce(recorded_against_source_data.recorded_actions, 0)
            as collection_actions
    from customer_last_collection_action_source_data as source_data
    left join recorded_against_source_data
        on recorded_against_source_data.customer_id = source_data.customer_id
    where not coalesce(recorded_against_source_data.recorded_is_last, false)
),

last_recorded as (
    select
        recorded.customer_id,
        recorded.region,
        recorded.segment,
        recorded.wealth_tier,
        recorded.income_band,
        recorded.last_action_id,
        recorded.last_action_at,
        recorded.last_action_date,
        recorded.last_action_type,
        recorded.last_action_by,
        recorded.last_action_outcome,
        recorded.last_action_bill_id,
        recorded.collection_actions + recorded_against_source_data.source_data_actions as collection_actions
    from recorded
    inner join recorded_against_source_data
        on recorded_against_source_data.customer_id = recorded.customer_id
    where recorded_against_source_data.recorded_is_last
),

final as (
    select * from last_in_source_data
    union all
    select * from last_recorded
)

select * from final
