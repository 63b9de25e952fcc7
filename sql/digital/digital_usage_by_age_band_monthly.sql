-- Answers: How do customers of different ages use our digital channels, on which devices?
-- Grain: one row per month x age band x device x region x segment x wealth tier (combinations with sessions
--   only).
-- Definition: Age is the customer's age in whole years at the data's as-of date (not at the session), so a
--   customer stays in one band across months and users add up across age bands. Bands: 18-24, 25-34, 35-44,
--   45-54, 55-64, 65+; 'Under 18' and 'Unknown' (no birth date) are kept rather than dropped. active_users
--   counts a customer once per device per month: it adds up across age band, region, segment and wealth tier,
--   not across devices or months. Sessions and seconds add up across everything.
-- Materialize: table
-- Columns:
--   month: First day of the month the sessions started.
--   age_band: Customer's age band at the as-of date.
--   device: Device used.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   active_users: Distinct customers with at least one session on this device in the month.
--   sessions: Sessions started.
--   session_seconds_sum: Total length of those sessions in seconds.

with sessions as (
    select * from stg_engagement_events
),

customer_bands as (
    select customer_id, region, segment, wealth_tier, age_band from customer_ages
),

final as (
    select
        sessions.event_month as month,
        coalesce(customer_bands.age_band, 'Unknown') as age_band,
        sessions.device,
        customer_bands.region,
        customer_bands.segment,
        customer_bands.wealth_tier,
        count(distinct sessions.customer_id) as active_users,
        count(*) as sessions,
        sum(sessions.session_seconds) as session_seconds_sum
    from sessions
    left join customer_bands
        on sessions.customer_id = customer_bands.customer_id
    group by all
)

select * from final
