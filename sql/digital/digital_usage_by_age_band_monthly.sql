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

customers as (
    select * from stg_customers
),

as_of as (
    select * from stg_data_as_of
),

customer_ages as (
    select
        customers.customer_id,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        year(as_of.as_of_date) - year(customers.birth_date)
            - case
                when month(as_of.as_of_date) < month(customers.birth_date)
                    or (month(as_of.as_of_date) = month(customers.birth_date)
                        and day(as_of.as_of_date) < day(customers.birth_date))
                    then 1
                else 0
            end as age_years
    from customers
    cross join as_of
),

customer_bands as (
    select
        customer_id,
        region,
        segment,
        wealth_tier,
        case
            when age_years is null then 'Unknown'
            when age_years < 18 then 'Under 18'
            when age_years < 25 then '18-24'
            when age_years < 35 then '25-34'
            when age_years < 45 then '35-44'
            when age_years < 55 then '45-54'
            when age_years < 65 then '55-64'
            else '65+'
        end as age_band
    from customer_ages
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
