-- Answers: How much do the customers of each RFM segment spend by card, day by day?
-- Grain: one row per day x RFM segment x region x segment x wealth tier.
-- Definition: Sales as card_sales defines them, by the card holder's RFM segment at the data as-of date
--   (rfm_customers), i.e. the segment the customer is in now, not on the day of the sale; card holders without
--   approved card activity in the RFM window are in 'Not scored', so the rows of every segment add up to
--   sales_trend_daily. Sales and transactions are additive: the sales of the customers in some segments over any
--   period of days = sum(sales) over those segments and days.
-- Materialize: table
-- Columns:
--   sales_date: Calendar day of the transactions.
--   rfm_segment: Card holders' RFM segment at the data as-of date, or 'Not scored'.
--   region: Card holders' sales region.
--   segment: Card holders' business segment.
--   wealth_tier: Card holders' wealth tier.
--   sales: Amount of approved card transactions.
--   transactions: Number of approved card transactions.

with segmented as (
    select * from card_sales_by_rfm_segment
),

final as (
    select
        transaction_date as sales_date,
        rfm_segment,
        region,
        segment,
        wealth_tier,
        sum(amount) as sales,
        count(*) as transactions
    from segmented
    group by transaction_date, rfm_segment, region, segment, wealth_tier
    -- stored in date order so that a period's days are read without scanning the others
    order by sales_date
)

select * from final
