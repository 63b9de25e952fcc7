-- Answers: In which business categories (merchant categories) do the customers of each RFM segment spend by card,
--   month by month?
-- Grain: one row per month x merchant category x RFM segment x region x segment x wealth tier.
-- Definition: Sales as card_sales defines them, by the merchant's business category and the card holder's RFM
--   segment at the data as-of date (rfm_customers), i.e. the segment the customer is in now, not in the month of
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

with segmented as (
    select * from card_sales_by_rfm_segment
),

final as (
    select
        transaction_month as month,
        merchant_category,
        rfm_segment,
        region,
        segment,
        wealth_tier,
        sum(amount) as sales,
        count(*) as transactions
    from segmented
    group by transaction_month, merchant_category, rfm_segment, region, segment, wealth_tier
    -- stored in month order so that a period's months are read without scanning the others
    order by month
)

select * from final
