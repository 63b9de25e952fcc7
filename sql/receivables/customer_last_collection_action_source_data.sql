-- Answers: When was each customer last contacted by collections, how, and by whom, according to the source data?
-- Grain: one row per customer with at least one collection action in the source data.
-- Definition: customer_last_collection_action_for_source('source data'): each customer's last action loaded by
--   the build, and how many the source data holds. Stored as a table, since the source data only changes with a
--   build; customer_last_collection_action weighs it against the actions recorded in the app on every request.
-- Materialize: table
-- Columns:
--   customer_id: Customer.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   income_band: Customer's annual income band.
--   last_action_id: Identifier of the customer's last action in the source data.
--   last_action_at: When that action was taken.
--   last_action_date: Calendar date of that action.
--   last_action_type: What was done.
--   last_action_by: User or employee who took the action.
--   last_action_outcome: What came of the action, when recorded.
--   last_action_bill_id: Bill the action was about; empty when it was about the customer as a whole.
--   collection_actions: Collection actions the source data holds for the customer.

with source_data as (
    select * from customer_last_collection_action_for_source('source data')
),

final as (
    select * from source_data
)

select * from final
