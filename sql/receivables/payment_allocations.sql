-- Answers: Which bills did each payment pay, and for how much?
-- Grain: one row per payment x bill it was applied to, plus one row per payment with money left over after
--   every bill of the customer was paid (bill_id empty).
-- Definition: Payments are applied in two steps. (1) A payment that names an existing bill goes to that bill
--   first; several such payments fill their bill in payment order (payment date, then payment id). What a
--   payment pays beyond its bill's amount joins step 2. (2) Payments without a bill id (and those left-overs)
--   pay the customer's bills oldest first (FIFO: by due date, then bill id), each bill only for what step 1
--   left open. FIFO is computed over the customer's whole history with the interval-overlap method: bill i
--   covers the cumulative range [B(i-1), B(i)) of open amounts in due order, payment j the range
--   [P(j-1), P(j)) of payment amounts in payment order, and the amount applied is the overlap of the two
--   ranges. Because the history is allocated as a whole, a payment made before a bill was issued pays that
--   bill when it comes (a credit carried forward), and a bill-id payment received later can move an earlier
--   unassigned payment to the next bill: the allocation is the one the data known today implies, so
--   positions at past dates are restated, not the ones reported at the time. Money beyond all of the
--   customer's bills stays unallocated: it is a row with an empty bill_id (an unallocated credit), so per
--   payment the rows add up to the payment amount exactly.
-- Materialize: table
-- Columns:
--   payment_id: Payment applied.
--   customer_id: Customer who paid.
--   bill_id: Bill the money was applied to; empty for an unallocated credit.
--   payment_date: Date the money was received.
--   allocated_amount: Amount of the payment applied to this bill (or left unallocated).
--   allocation_method: How the amount was applied: Bill id (the payment named the bill), Oldest bill first
--     (FIFO) or Unallocated credit.

with bills as (
    select
        bill_id,
        customer_id,
        due_date,
        amount
    from stg_bills
),

payments as (
    select
        payment_id,
        customer_id,
        bill_id,
        payment_date,
        amount
    from stg_payments
    where amount > 0
),

tagged_payments as (
    -- payments naming an existing bill, with how much of that bill the payments up to this one cover
    select
        payments.payment_id,
        payments.customer_id,
        payments.payment_date,
        payments.amount,
        bills.bill_id,
        bills.amount as bill_amount,
        sum(payments.amount) over (
            partition by bills.bill_id
            order by payments.payment_date, payments.payment_id
            rows between unbounded preceding and current row
        ) as paid_through
    from payments
    inner join bills
        on bills.bill_id = payments.bill_id
),

direct_allocations as (
    -- the overlap of the payment's range [paid_through - amount, paid_through) with the bill's [0, bill_amount)
    select
        payment_id,
        customer_id,
        payment_date,
        amount,
        bill_id,
        greatest(least(paid_through, bill_amount) - (paid_through - amount), 0) as allocated_amount
    from tagged_payments
),

directly_paid_bills as (
    select
        bill_id,
        sum(allocated_amount) as directly_paid
    from direct_allocations
    group by bill_id
),

fifo_payments as (
    select
        payments.payment_id,
        payments.customer_id,
        payments.payment_date,
        payments.amount
    from payments
    left join bills
        on bills.bill_id = payments.bill_id
    where bills.bill_id is null
    union all
    select
        payment_id,
        customer_id,
        payment_date,
        amount - allocated_amount as amount
    from direct_allocations
    where amount > allocated_amount
),

fifo_bills as (
    select
        bills.bill_id,
        bills.customer_id,
        bills.due_date,
        bills.amount - coalesce(directly_paid_bills.directly_paid, 0) as open_amount
    from bills
    left join directly_paid_bills
        on directly_paid_bills.bill_id = bills.bill_id
    where bills.amount - coalesce(directly_paid_bills.directly_paid, 0) > 0
),

bill_ranges as (
    select
        bill_id,
        customer_id,
        row_number() over (partition by customer_id order by due_date, bill_id) as bill_position,
        sum(open_amount) over (
            partition by customer_id
            order by due_date, bill_id
            rows between unbounded preceding and current row
        ) as range_end
    from fifo_bills
),

payment_ranges as (
    select
        payment_id,
        customer_id,
        payment_date,
        row_number() over (partition by customer_id order by payment_date, payment_id) as payment_position,
        sum(amount) over (
            partition by customer_id
            order by payment_date, payment_id
            rows between unbounded preceding and current row
        ) as range_end
    from fifo_payments
),

range_ends as (
    select
        customer_id,
        range_end,
        1 as closes_bill,
        0 as closes_payment
    from bill_ranges
    union all
    select
        customer_id,
        range_end,
        0 as closes_bill,
        1 as closes_payment
    from payment_ranges
),

breakpoints as (
    select
        customer_id,
        range_end as breakpoint,
        sum(closes_bill) as closes_bill,
        sum(closes_payment) as closes_payment
    from range_ends
    group by customer_id, range_end
),

segments as (
    -- between two consecutive breakpoints exactly one bill (or none: beyond the last bill) and one payment
    -- (or none) are covered; their positions are one more than the ranges closed before the segment
    select
        customer_id,
        breakpoint - coalesce(lag(breakpoint) over (partition by customer_id order by breakpoint), 0)
            as segment_amount,
        1 + coalesce(sum(closes_bill) over (
            partition by customer_id
            order by breakpoint
            rows between unbounded preceding and 1 preceding
        ), 0) as bill_position,
        1 + coalesce(sum(closes_payment) over (
            partition by customer_id
            order by breakpoint
            rows between unbounded preceding and 1 preceding
        ), 0) as payment_position
    from breakpoints
),

fifo_allocations as (
    select
        payment_ranges.payment_id,
        payment_ranges.customer_id,
        bill_ranges.bill_id,
        payment_ranges.payment_date,
        segments.segment_amount as allocated_amount
    from segments
    inner join payment_ranges
        on payment_ranges.customer_id = segments.customer_id
        and payment_ranges.payment_position = segments.payment_position
    left join bill_ranges
        on bill_ranges.customer_id = segments.customer_id
        and bill_ranges.bill_position = segments.bill_position
),

final as (
    select
        payment_id,
        customer_id,
        bill_id,
        payment_date,
        cast(allocated_amount as decimal(18, 2)) as allocated_amount,
        'Bill id' as allocation_method
    from direct_allocations
    where allocated_amount > 0
    union all
    select
        payment_id,
        customer_id,
        bill_id,
        payment_date,
        cast(allocated_amount as decimal(18, 2)) as allocated_amount,
        case when bill_id is null then 'Unallocated credit' else 'Oldest bill first' end as allocation_method
    from fifo_allocations
)

select * from final
