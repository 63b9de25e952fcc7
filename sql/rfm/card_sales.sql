-- Answers: Which card transactions count as sales, and whose are they?
-- Grain: one row per approved card transaction up to the data as-of date.
-- Definition: A sale is an approved card transaction (declined and reversed ones are not sales) dated on or
--   before the data as-of date, by a card holder known in customers. Every sales measure reads sales from here,
--   so they all count the same transactions.
-- Columns:
--   transaction_id: Transaction.
--   customer_id: Card holder.
--   transaction_date: Calendar date of the transaction.
--   transaction_month: First day of the month of the transaction.
--   merchant_category: Business category of the merchant, e.g. Groceries, Travel.
--   amount: Amount of the sale.
--   region: Card holder's sales region.
--   segment: Card holder's business segment.
--   wealth_tier: Card holder's wealth tier.

with as_of as (
    select as_of_date from stg_data_as_of
),

final as (
    select
        transactions.transaction_id,
        transactions.customer_id,
        transactions.transaction_date,
        transactions.transaction_month,
        transactions.merchant_category,
        transactions.amount,
        customers.region,
        customers.segment,
        customers.wealth_tier
    from stg_card_transactions as transactions
    cross join as_of
    inner join stg_customers as customers on transactions.customer_id = customers.customer_id
    where transactions.status = 'Approved'
        and transactions.transaction_date <= as_of.as_of_date
)

select * from final
