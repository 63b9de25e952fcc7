-- Answers: What did the collections team do about overdue bills, when and who?
-- Grain: one row per collection action.
-- Definition: The collection_actions source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   action_id: Unique action identifier.
--   customer_id: Customer the action was about.
--   bill_id: Bill the action was about, when it was about one bill.
--   action_at: When the action was taken.
--   action_type: What was done.
--   performed_by: User or employee who took the action.
--   outcome: What came of it, e.g. Promised to pay, No answer.
--   action_date: Calendar date of the action.

with source as (
    select * from collection_actions
),

final as (
    select
        action_id,
        customer_id,
        bill_id,
        action_at,
        action_type,
        performed_by,
        outcome,
        cast(action_at as date) as action_date
    from source
)

select * from final
