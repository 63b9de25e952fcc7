-- Answers: In which business categories (merchant categories) do the customers of each RFM segment spend by card,
--   month by month?
-- Grain: one row per month x merchant category x RFM segment x region x segment x wealth tier.
-- Definition: Sales as card_sales defines them, by the merchant's business category and the card holder's RFM
--   segment at the data as-of date (card_holders), i.e. the segment the customer is in now, not in the month of
--   the sale; card holders without approved card activity in the RFM window are in 'Not scored', so the rows of
--   every segment add up to sales_by_merchant_category_monthly. Sales and transactions are additive; a category's
--   share of sales = its sum(sales) / sum(sales) over all selected rows.
-- Materialize: table
-- Columns:
--   month: First day of the month of the transactions.
--   merchant_category: Business category of the merchant, e.g. Groceries, Travel.
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
        sales.transaction_month as month,
        sales.merchant_category,
        sales.holder_group,
        sum(sales.amount) as sales,
        count(*) as transactions
    from sales
    group by sales.transaction_month, sales.merchant_category, sales.holder_group
),

final as (
    select
        by_group.month,
        by_group.merchant_category,
        holder_groups.rfm_segment,
        holder_groups.region,
        holder_groups.segment,
        holder_groups.wealth_tier,
        by_group.sales,
        by_group.transactions
    from by_group
    inner join holder_groups on by_group.holder_group = holder_groups.holder_group
    -- stored in month order so that a period's months are read without scanning the others
    order by by_group.month
)

select * from final
