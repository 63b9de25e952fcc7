-- Answers: Up to which date is the data complete?
-- Grain: one row for the whole warehouse.
-- Definition: The as-of date recorded by the build: the generator's end date, or the latest date observed in
--   imported data. Measures that depend on "today" (recency, open balances, pending default windows) use it
--   instead of the clock, so the same warehouse always gives the same answers.
-- Columns:
--   as_of_date: Last date the data is complete for.
--   as_of_month: First day of the month of as_of_date.
--   currency: ISO code of the currency every amount is in.

with source as (
    select * from meta.build
),

final as (
    select
        as_of_date,
        cast(date_trunc('month', as_of_date) as date) as as_of_month,
        currency
    from source
)

select * from final
