-- Answers: Which card transactions did customers make, and when?
-- Grain: one row per card transaction.
-- Definition: The card_transactions source table with the transaction's calendar date and month added, so
--   measures can group and prune by date without repeating the cast.
-- Columns:
--   transaction_id: Unique transaction identifier.
--   customer_id: Card holder.
--   transaction_at: When the transaction was made.
--   transaction_date: Calendar date of transaction_at.
--   transaction_month: First day of the month of transaction_at.
--   amount: Transaction amount.
--   merchant_category: Business category of the merchant.
--   channel: How the card was used (In-store, Online, Contactless, ATM).
--   status: Outcome of the authorisation (Approved, Declined, Reversed).

with source as (
    select * from card_transactions
),

final as (
    select
        transaction_id,
        customer_id,
        transaction_at,
        cast(transaction_at as date) as transaction_date,
        cast(date_trunc('month', transaction_at) as date) as transaction_month,
        amount,
        merchant_category,
        channel,
        status
    from source
)

select * from final
