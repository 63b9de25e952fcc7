-- Answers: Which RFM segment is the card holder of each sale in today?
-- Grain: one row per approved card transaction up to the data as-of date (as card_sales).
-- Definition: card_sales with the card holder's RFM segment at the data as-of date (rfm_customers), i.e. the
--   segment the customer is in now, not on the day of the sale; card holders without approved card activity in
--   the RFM window are in 'Not scored', so every sale has a segment and the segments add up to all sales. The
--   marts of sales by RFM segment read it, so they share one rule.
-- Columns:
--   transaction_date: Calendar date of the transaction.
--   transaction_month: First day of the month of the transaction.
--   merchant_category: Business category of the merchant, e.g. Groceries, Travel.
--   rfm_segment: Card holder's RFM segment at the data as-of date, or 'Not scored'.
--   region: Card holder's sales region.
--   segment: Card holder's business segment.
--   wealth_tier: Card holder's wealth tier.
--   amount: Amount of the sale.

with final as (
    select
        sales.transaction_date,
        sales.transaction_month,
        sales.merchant_category,
        coalesce(rfm.rfm_segment, 'Not scored') as rfm_segment,
        sales.region,
        sales.segment,
        sales.wealth_tier,
        sales.amount
    from card_sales as sales
    left join rfm_customers as rfm on sales.customer_id = rfm.customer_id
)

select * from final
