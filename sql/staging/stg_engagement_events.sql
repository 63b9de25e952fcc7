-- Answers: Which digital sessions did customers have, on which device, doing what?
-- Grain: one row per digital session.
-- Definition: The engagement_events source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   event_id: Unique session identifier.
--   customer_id: Customer who was signed in.
--   event_at: When the session started.
--   action_type: Main thing done in the session, e.g. View Balance, Transfer.
--   device: Device used (Mobile App, Desktop, Tablet, Voice Assistant).
--   session_seconds: Length of the session in seconds.
--   pages_viewed: Pages or screens viewed.
--   actions_taken: Actions completed (payments, transfers, trades...).
--   event_date: Calendar date of the session.
--   event_month: First day of the month of the session.

with source as (
    select * from engagement_events
),

final as (
    select
        event_id,
        customer_id,
        event_at,
        action_type,
        device,
        session_seconds,
        pages_viewed,
        actions_taken,
        cast(event_at as date) as event_date,
        cast(date_trunc('month', event_at) as date) as event_month
    from source
)

select * from final
