-- Answers: Which devices do customers use for digital banking each month (device mix by users and sessions)?
-- Grain: one row per month x device x region x segment x wealth tier (combinations with sessions only).
-- Definition: active_users counts each customer once per device used in the month, so a customer on both the
--   Mobile App and Desktop counts on both rows: users add up across region, segment and wealth tier, but NOT
--   across devices (the sum over devices exceeds the monthly active users of digital_active_users_monthly).
--   Device mix by users is therefore each device's users / all monthly active users (shares can sum above 1);
--   device mix by sessions is sum(sessions) per device / sum(sessions), which does add up to 1. Computed from
--   digital_usage_by_age_band_monthly (a customer is in one age band), so the two views always agree.
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   device: Device used (Mobile App, Desktop, Tablet, Voice Assistant).
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   active_users: Distinct customers with at least one session on this device in the month.
--   sessions: Sessions started on this device in the month.

with age_band_usage as (
    select * from digital_usage_by_age_band_monthly
),

-- a customer has one age band, so users per device add up across age bands without double counting
final as (
    select
        month,
        device,
        region,
        segment,
        wealth_tier,
        sum(active_users) as active_users,
        sum(sessions) as sessions
    from age_band_usage
    group by all
)

select * from final
