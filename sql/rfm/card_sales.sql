-- Answers: Which card transactions count as sales, and whose are they?
-- Grain: one row per approved card transaction up to the data as-of date.
-- Definition: A sale is an approved card transaction (declined and reversed ones are not sales) dated on or
--   before the data as-of date, by a card holder known in customers. Every sales measure reads sales from here,
--   so they all count the same transactions. The card holder's attributes come from card_holders, the RFM segment
--   included (the segment the customer is in at the as-of date, not on the day of the sale).
-- Columns:
--   transaction_id: Transaction.
--   customer_id: Card holder.
--   customer_key: Number of the card holder within this build (card_holders).
--   transaction_date: Calendar date of the transaction.
--   transaction_month: First day of the month of the transaction.
--   merchant_category: Business category of the merchant, e.g. Groceries, Travel.
--   amount: Amount of the sale.
--   region: Card holder's sales region.
--   segment: Card holder's business segment.
--   wealth_tier: Card holder's wealth tier.
--   rfm_segment: Card holder's RFM segment at the data as-of date, or 'Not scored'.
--   holder_group: Number of the card holder's region, segment, wealth tier and RFM segment together
--     (card_holders).

with transactions as (
    select * from stg_card_transactions
),

holders as (
    select * from card_holders
),

as_of as (
    select as_of_date from stg_data_as_of
),

final as (
    select
        transactions.transaction_id,
        transactions.customer_id,
        holders.customer_key,
        transactions.transaction_date,
        transactions.transaction_month,
        transactions.merchant_category,
        transactions.amount,
        holders.region,
        holders.segment,
        holders.wealth_tier,
        holders.rfm_segment,
        holders.holder_group
    from transactions
    cross join as_of
    inner join holders on transactions.customer_id = holders.customer_id
    where transactions.status = 'Approved'
        and transactions.transaction_date <= as_of.as_of_date
)

select * from final
