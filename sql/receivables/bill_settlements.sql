-- Answers: How much of each bill has been paid, and on which day was it fully paid?
-- Grain: one row per bill.
-- Definition: The payments applied to the bill in payment_allocations (by bill id, else oldest bill first),
--   summed; the bill is settled on the payment date at which the payments applied to it, in payment order,
--   first reach its amount (exactly, no tolerance). Positions at a date only need to look at bills not settled
--   by then, which keeps receivables_as_of fast on any date.
-- Materialize: table
-- Columns:
--   bill_id: Bill.
--   amount: Amount billed.
--   paid_amount: Everything applied to the bill, whenever received.
--   settled_date: Date the bill became fully paid; empty while it is not.

with bill_payments as (
    select
        bill_id,
        payment_date,
        sum(allocated_amount) over (
            partition by bill_id
            order by payment_date, payment_id
            rows between unbounded preceding and current row
        ) as paid_through
    from payment_allocations
    where bill_id is not null
),

final as (
    select
        stg_bills.bill_id,
        stg_bills.amount,
        cast(coalesce(max(bill_payments.paid_through), 0) as decimal(18, 2)) as paid_amount,
        min(bill_payments.payment_date) filter (where bill_payments.paid_through >= stg_bills.amount)
            as settled_date
    from stg_bills
    left join bill_payments
        on bill_payments.bill_id = stg_bills.bill_id
    group by stg_bills.bill_id, stg_bills.amount
)

select * from final
