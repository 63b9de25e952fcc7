-- Answers: How much did customers spend by card, day by day, week by week, month by month, quarter by quarter and
--   year by year?
-- Grain: one row per day x region x segment x wealth tier.
-- Definition: Sales are the approved card transactions up to the data as-of date, as card_sales defines them, summed
--   here over the RFM segments of rfm_segment_sales_daily (the same sales split finer, so the build reads card sales
--   once for both). One row per day carries the first day of its week (Monday), month, quarter and year, so a page
--   shows any of the five grains by grouping on that column and summing; sales and transactions are additive.
--   Average ticket = sum(sales) / sum(transactions).
-- Materialize: table
-- Columns:
--   sales_date: Calendar day of the transactions.
--   week: First day (Monday) of the week of sales_date.
--   month: First day of the month of sales_date.
--   quarter: First day of the quarter of sales_date.
--   year: First day of the year of sales_date.
--   region: Card holders' sales region.
--   segment: Card holders' business segment.
--   wealth_tier: Card holders' wealth tier.
--   sales: Amount of approved card transactions.
--   transactions: Number of approved card transactions.

with by_rfm_segment as (
    select * from rfm_segment_sales_daily
),

daily as (
    select
        sales_date,
        region,
        segment,
        wealth_tier,
        sum(sales) as sales,
        cast(sum(transactions) as bigint) as transactions
    from by_rfm_segment
    group by sales_date, region, segment, wealth_tier
),

final as (
    select
        sales_date,
        cast(date_trunc('week', sales_date) as date) as week,
        cast(date_trunc('month', sales_date) as date) as month,
        cast(date_trunc('quarter', sales_date) as date) as quarter,
        cast(date_trunc('year', sales_date) as date) as year,
        region,
        segment,
        wealth_tier,
        sales,
        transactions
    from daily
    -- stored in date order so that a period's days are read without scanning the others
    order by sales_date
)

select * from final
