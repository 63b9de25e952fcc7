-- Answers: What did customers owe us on a given date, per open bill, and how overdue was it?
-- Grain: one row per bill issued on or before as_of that was not fully paid on as_of.
-- Definition: The receivables position on any date, rebuilt from bills and payments (no stored snapshots):
--   a bill is in the position when it was issued on or before as_of and the payments applied to it (see
--   payment_allocations: by bill id, else oldest bill first) with a payment date on or before as_of do not
--   cover its amount (so a bill of zero never is). Open amounts are exact (no tolerance), so the aging buckets
--   add up to the open balance. Days past due count from the due date to as_of (negative: not yet due). Only
--   bills not settled by as_of (bill_settlements) are looked at, so any date is quick. Because allocation uses
--   every payment known today, a past date shows the restated position. The bill's billing group is the one on
--   the bill, else the customer's. Call it as receivables_as_of(DATE '2024-06-30'); receivables_position is the
--   same for the data as-of date, and receivables_month_end_position holds it for every month end up to then.
-- Parameters: as_of
-- Columns:
--   as_of_date: Date of the position (the as_of argument).
--   bill_id: Open bill.
--   customer_id: Customer billed.
--   billing_group_id: Billing group of the bill, else of the customer.
--   sales_channel: Sales channel the bill belongs to.
--   sales_subchannel: Subchannel within the sales channel.
--   location: Location (branch or area) the bill belongs to.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   income_band: Customer's annual income band.
--   issue_date: Date the bill was issued.
--   due_date: Date payment is due.
--   due_month: First day of the month the bill falls due.
--   amount: Amount billed.
--   paid_amount: Part of the bill paid by as_of (payments applied to it with a payment date on or before as_of).
--   open_amount: Amount still owed on as_of: amount - paid_amount, always above zero here.
--   days_past_due: Days from the due date to as_of; zero or negative when not yet due.
--   aging_bucket: Aging bucket of days_past_due (Not yet due, 1-30, 31-60, 61-90, 91-180, 180+).
--   aging_bucket_rank: Sort order of the aging bucket, 1 (Not yet due) to 6 (180+).

with position_date as (
    select cast(as_of as date) as as_of_date
),

unsettled_bills as (
    select
        position_date.as_of_date,
        receivable_bills.*
    from receivable_bills
    cross join position_date
    inner join bill_settlements
        on bill_settlements.bill_id = receivable_bills.bill_id
    where receivable_bills.issue_date <= position_date.as_of_date
        and (bill_settlements.settled_date is null or bill_settlements.settled_date > position_date.as_of_date)
),

paid_bills as (
    select
        payment_allocations.bill_id,
        sum(payment_allocations.allocated_amount) as paid_amount
    from payment_allocations
    cross join position_date
    inner join unsettled_bills
        on unsettled_bills.bill_id = payment_allocations.bill_id
    where payment_allocations.payment_date <= position_date.as_of_date
    group by payment_allocations.bill_id
),

positions as (
    select
        unsettled_bills.*,
        coalesce(paid_bills.paid_amount, 0) as paid_amount,
        unsettled_bills.amount - coalesce(paid_bills.paid_amount, 0) as open_amount,
        date_diff('day', unsettled_bills.due_date, unsettled_bills.as_of_date) as days_past_due
    from unsettled_bills
    left join paid_bills
        on paid_bills.bill_id = unsettled_bills.bill_id
    -- a bill of zero never gets a payment applied, so bill_settlements never settles it; nothing is owed on it
    where unsettled_bills.amount > coalesce(paid_bills.paid_amount, 0)
),

final as (
    select
        positions.as_of_date,
        positions.bill_id,
        positions.customer_id,
        positions.billing_group_id,
        positions.sales_channel,
        positions.sales_subchannel,
        positions.location,
        positions.region,
        positions.segment,
        positions.wealth_tier,
        positions.income_band,
        positions.issue_date,
        positions.due_date,
        positions.due_month,
        positions.amount,
        cast(positions.paid_amount as decimal(18, 2)) as paid_amount,
        cast(positions.open_amount as decimal(18, 2)) as open_amount,
        positions.days_past_due,
        aging_buckets.aging_bucket,
        aging_buckets.aging_bucket_rank
    from positions
    inner join aging_buckets
        on (aging_buckets.min_days_past_due is null or positions.days_past_due >= aging_buckets.min_days_past_due)
        and (aging_buckets.max_days_past_due is null or positions.days_past_due <= aging_buckets.max_days_past_due)
)

select * from final
