-- Answers: How old is each customer, in which age band, and how long have they been with us?
-- Grain: one row per customer.
-- Definition: Age in whole years at the data as-of date (one less when the birthday has not come yet in the
--   as-of year) and its band: 18-24, 25-34, 35-44, 45-54, 55-64, 65+, with 'Under 18' and 'Unknown' (no birth
--   date) kept rather than dropped. Tenure is the time since enrollment, in years of 365.25 days. Every view
--   that splits by age band reads the bands from here, so they are defined once.
-- Columns:
--   customer_id: Customer.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   enrollment_date: Date the customer first became a customer.
--   tenure_years: Years from enrollment_date to the as-of date, to two decimals.
--   age_years: Age in whole years at the as-of date; empty without a birth date.
--   age_band: Age band at the as-of date.
--   age_band_order: Sort position of age_band, youngest first, 'Unknown' last.

with as_of as (
    select as_of_date from stg_data_as_of
),

ages as (
    select
        customers.customer_id,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        customers.enrollment_date,
        round(date_diff('day', customers.enrollment_date, as_of.as_of_date) / cast(365.25 as double), 2)
            as tenure_years,
        cast(
            year(as_of.as_of_date) - year(customers.birth_date)
            - case
                when month(as_of.as_of_date) < month(customers.birth_date)
                    or (month(as_of.as_of_date) = month(customers.birth_date)
                        and day(as_of.as_of_date) < day(customers.birth_date))
                    then 1
                else 0
            end
        as integer) as age_years
    from stg_customers as customers
    cross join as_of
),

final as (
    select
        *,
        case
            when age_years is null then 'Unknown'
            when age_years < 18 then 'Under 18'
            when age_years < 25 then '18-24'
            when age_years < 35 then '25-34'
            when age_years < 45 then '35-44'
            when age_years < 55 then '45-54'
            when age_years < 65 then '55-64'
            else '65+'
        end as age_band,
        case
            when age_years is null then 7
            when age_years < 18 then 0
            when age_years < 25 then 1
            when age_years < 35 then 2
            when age_years < 45 then 3
            when age_years < 55 then 4
            when age_years < 65 then 5
            else 6
        end as age_band_order
    from ages
)

select * from final
