-- Answers: How much do the customers of each RFM segment spend by card, day by day?
-- Grain: one row per day x RFM segment x region x segment x wealth tier.
-- Definition: Sales as card_sales defines them, by the card holder's RFM segment at the data as-of date
--   (card_holders), i.e. the segment the customer is in now, not on the day of the sale; card holders without
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

with sales as (
    select * from card_sales
),

holders as (
    select * from card_holders
),

holder_groups as (
    select distinct holder_group, rfm_segment, region, segment, wealth_tier
    from holders
),

by_group as (
    -- summed by the card holders' group number, one integer instead of four texts, then named
    select
        sales.transaction_date as sales_date,
        sales.holder_group,
        sum(sales.amount) as sales,
        count(*) as transactions
    from sales
    group by sales.transaction_date, sales.holder_group
),

final as (
    select
        by_group.sales_date,
        holder_groups.rfm_segment,
        holder_groups.region,
        holder_groups.segment,
        holder_groups.wealth_tier,
        by_group.sales,
        by_group.transactions
    from by_group
    inner join holder_groups on by_group.holder_group = holder_groups.holder_group
    -- stored in date order so that a period's days are read without scanning the others
    order by by_group.sales_date
)

select * from final
