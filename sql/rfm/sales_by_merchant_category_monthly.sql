-- Answers: In which business categories (merchant categories) do customers spend by card, month by month?
-- Grain: one row per month x merchant category x region x segment x wealth tier.
-- Definition: Sales are the approved card transactions up to the data as-of date, as card_sales defines them, by the
--   merchant's business category. Sales and transactions are additive; a category's share of sales = its sum(sales) /
--   sum(sales) over all selected rows.
-- Materialize: table
-- Columns:
--   month: First day of the month of the transactions.
--   merchant_category: Business category of the merchant, e.g. Groceries, Travel.
--   region: Card holders' sales region.
--   segment: Card holders' business segment.
--   wealth_tier: Card holders' wealth tier.
--   sales: Amount of approved card transactions.
--   transactions: Number of approved card transactions.

with approved as (
    select * from card_sales
),

final as (
    select
        transaction_month as month,
        merchant_category,
        region,
        segment,
        wealth_tier,
        sum(amount) as sales,
        count(*) as transactions
    from approved
    group by transaction_month, merchant_category, region, segment, wealth_tier
)

select * from final
