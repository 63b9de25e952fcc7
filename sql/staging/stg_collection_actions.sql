-- Answers: What did the collections team do about overdue bills, when and who?
-- Grain: one row per collection action.
-- Definition: The collection_actions source table as the contract declares it, followed by the actions users
--   recorded in the app (recorded_collection_actions: the action log kept beside the warehouse, which builds
--   never replace), with calendar date and month columns added so measures can group and prune by date
--   without repeating the cast. Recorded actions appear here as soon as they are written, without a rebuild.
-- Columns:
--   action_id: Unique action identifier.
--   customer_id: Customer the action was about.
--   bill_id: Bill the action was about, when it was about one bill.
--   action_at: When the action was taken.
--   action_type: What was done.
--   performed_by: User or employee who took the action.
--   outcome: What came of it, e.g. Promised to pay, No answer.
--   action_date: Calendar date of the action.
--   source: Where the action comes from: 'source data' (loaded by the build) or 'recorded in app'.

with source_actions as (
    select
        action_id,
        customer_id,
        bill_id,
        action_at,
        action_type,
        performed_by,
        outcome,
        'source data' as source
    from collection_actions
),

recorded_actions as (
    select
        action_id,
        customer_id,
        bill_id,
        action_at,
        action_type,
        performed_by,
        outcome,
        'recorded in app' as source
    from recorded_collection_actions
),

all_actions as (
    select * from source_actions
    union all
    select * from recorded_actions
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
        cast(action_at as date) as action_date,
        source
    from all_actions
)

select * from final
