-- Answers: Which payments were received, from whom, and for which bill when known?
-- Grain: one row per payment.
-- Definition: The payments source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   payment_id: Unique payment identifier.
--   customer_id: Customer who paid.
--   bill_id: Bill the payment was made for, when known.
--   payment_date: Date the money was received.
--   amount: Amount received.
--   method: Payment method, e.g. Direct Debit, Card, Bank Transfer.
--   payment_month: First day of the month of payment_date.

with source as (
    select * from payments
),

final as (
    select
        payment_id,
        customer_id,
        bill_id,
        payment_date,
        amount,
        method,
        cast(date_trunc('month', payment_date) as date) as payment_month
    from source
)

select * from final
