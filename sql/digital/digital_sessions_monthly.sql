-- Answers: How many digital sessions do customers have, what do they do in them and how long do they last?
--   (Sessions over time, top actions, session duration trend.)
-- Grain: one row per month x device x action type x region x segment x wealth tier (combinations with
--   sessions only).
-- Definition: A session counts in the month it started, under its main action. Every column adds up across
--   every dimension. Average session length = sum(session_seconds_sum) / sum(sessions) after filtering; top
--   actions = sum(sessions) grouped by action_type. For distinct users use the active-users views.
-- Materialize: table
-- Columns:
--   month: First day of the month the sessions started.
--   device: Device used.
--   action_type: Main thing done in the session, e.g. View Balance, Transfer.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   sessions: Sessions started.
--   session_seconds_sum: Total length of those sessions in seconds.
--   pages_viewed_sum: Pages or screens viewed in those sessions.
--   actions_taken_sum: Actions completed in those sessions.

with sessions as (
    select * from stg_engagement_events
),

customers as (
    select * from stg_customers
),

final as (
    select
        sessions.event_month as month,
        sessions.device,
        sessions.action_type,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        count(*) as sessions,
        sum(sessions.session_seconds) as session_seconds_sum,
        sum(sessions.pages_viewed) as pages_viewed_sum,
        sum(sessions.actions_taken) as actions_taken_sum
    from sessions
    left join customers
        on sessions.customer_id = customers.customer_id
    group by all
)

select * from final
