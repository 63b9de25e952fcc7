-- Answers: What share of our digitally active customers use the Mobile App, month by month?
-- Grain: one row per month x region x segment x wealth tier (combinations with sessions only).
-- Definition: Mobile adoption = mobile_app_users / active_users: customers with at least one Mobile App
--   session in the month over customers with at least one session on any device in the month. Both counts add
--   up across region, segment and wealth tier (fixed per customer), so recompute the rate after filtering as
--   sum(mobile_app_users) / sum(active_users); never average the row rate, and never add months. The parts
--   are the monthly active users of digital_active_users_monthly and the Mobile App users of
--   digital_active_users_by_device_monthly, so the three views always agree.
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   active_users: Distinct customers with at least one session in the month, any device (denominator).
--   mobile_app_users: Of those, customers with at least one Mobile App session in the month (numerator).
--   mobile_adoption_rate: mobile_app_users / active_users for this row only, as a fraction.

with active_users as (
    select * from digital_active_users_monthly
),

device_users as (
    select * from digital_active_users_by_device_monthly
),

mobile_app_users as (
    select
        month,
        region,
        segment,
        wealth_tier,
        active_users as mobile_app_users
    from device_users
    where device = 'Mobile App'
),

final as (
    select
        active_users.month,
        active_users.region,
        active_users.segment,
        active_users.wealth_tier,
        active_users.active_users,
        coalesce(mobile_app_users.mobile_app_users, 0) as mobile_app_users,
        coalesce(mobile_app_users.mobile_app_users, 0) / nullif(active_users.active_users, 0)
            as mobile_adoption_rate
    from active_users
    left join mobile_app_users
        on active_users.month = mobile_app_users.month
        and active_users.region is not distinct from mobile_app_users.region
        and active_users.segment is not distinct from mobile_app_users.segment
        and active_users.wealth_tier is not distinct from mobile_app_users.wealth_tier
)

select * from final
