-- Answers: Which months do the customer measures report on?
-- Grain: one row per calendar month, from the first month any customer enrolled or opened an account to the month
--   of the data as-of date.
-- Definition: A gap-free month list, so running totals (active customers, accounts) carry through months in which
--   nothing happened.
-- Columns:
--   month: First day of the month.
--   month_end: Last day of the month.

with bounds as (
    select
        least(
            (select min(enrollment_month) from stg_customers),
            (select min(open_month) from stg_enrollments)
        ) as first_month,
        (select as_of_month from stg_data_as_of) as last_month
),

series as (
    select unnest(generate_series(first_month, last_month, interval 1 month)) as month_start
    from bounds
    where first_month <= last_month
),

final as (
    select
        cast(month_start as date) as month,
        cast(month_start + interval 1 month - interval 1 day as date) as month_end
    from series
)

select * from final
