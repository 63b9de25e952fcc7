-- Answers: How many customers used our digital channels each month, on any device?
-- Grain: one row per month x region x segment x wealth tier (combinations with sessions only).
-- Definition: A monthly active user is a customer with at least one session in the month, on any device,
--   counted once however many sessions and devices. active_users adds up across region, segment and wealth
--   tier (fixed per customer) but not across months or devices; for users by device see
--   digital_active_users_by_device_monthly, whose rows do not add up to this view's.
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   active_users: Distinct customers with at least one session in the month (monthly active users).
--   sessions: Sessions started in the month.

with sessions as (
    select * from stg_engagement_events
),

customers as (
    select * from stg_customers
),

final as (
    select
        sessions.event_month as month,
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
