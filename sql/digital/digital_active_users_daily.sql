-- Answers: How many customers used our digital channels each day, and how many sessions did they have?
-- Grain: one row per day x region x segment x wealth tier (combinations with sessions only).
-- Definition: An active user on a day is a customer with at least one session that started that day, on any
--   device. Customer attributes are fixed per customer, so active_users adds up across region, segment and
--   wealth tier for one day; it does not add up across days (a customer active on two days is one monthly
--   user): use digital_active_users_monthly for monthly users, never a sum of days.
-- Materialize: table
-- Columns:
--   activity_date: Calendar day the sessions started.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   active_users: Distinct customers with at least one session that day (daily active users).
--   sessions: Sessions started that day.

with sessions as (
    select * from stg_engagement_events
),

customers as (
    select * from stg_customers
),

final as (
    select
        sessions.event_date as activity_date,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        count(distinct sessions.customer_id) as active_users,
        count(*) as sessions
    from sessions
    left join customers
        on sessions.customer_id = customers.customer_id
    group by all
)

select * from final
