-- Answers: In which business categories (merchant categories) do customers spend by card, month by month?
-- Grain: one row per month x merchant category x region x segment x wealth tier.
-- Definition: Sales are the approved card transactions up to the data as-of date, as card_sales defines them, by the
--   merchant's business category, summed here over the RFM segments of
--   rfm_segment_sales_by_merchant_category_monthly (the same sales split finer, so the build reads card sales once
--   for both). Sales and transactions are additive; a category's share of sales = its sum(sales) / sum(sales) over
--   all selected rows.
-- Materialize: table
-- Columns:
--   month: First day of the month of the transactions.
--   merchant_category: Business category of the merchant, e.g. Groceries, Travel.
--   region: Card holders' sales region.
--   segment: Card holders' business segment.
--   wealth_tier: Card holders' wealth tier.
--   sales: Amount of approved card transactions.
--   transactions: Number of approved card transactions.

with by_rfm_segment as (
    select * from rfm_segment_sales_by_merchant_category_monthly
),

final as (
    select
        month,
        merchant_category,
        region,
        segment,
        wealth_tier,
        sum(sales) as sales,
        cast(sum(transactions) as bigint) as transactions
    from by_rfm_segment
    group by month, merchant_category, region, segment, wealth_tier
    -- stored in month order so that a period's months are read without scanning the others
    order by month
)

select * from final
