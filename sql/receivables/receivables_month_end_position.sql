-- Answers: What did customers owe us at each month end, per open bill, and how overdue was it?
-- Grain: one row per month end up to the data as-of date x bill issued on or before it and not fully paid on it.
-- Definition: At every month end, exactly the rows of receivables_as_of on that date (same rules, same columns;
--   restated with today's allocation of payments), computed for all month ends in one pass rather than one
--   query per month: what was paid on a bill is a step function of the month ends (a step at its first month
--   end, then one at each month end payments fall in), and every step in which the bill is not fully paid is
--   expanded to the month ends it covers. So a bill yields one row per month end from its issue to its full
--   payment, and none after. A payment received before the bill was issued counts from the bill's first month
--   end. Stored as a table sorted by month end, so reading one month end reads only that month's rows: the
--   pages take a position at a month end from here and call receivables_as_of only for other dates. The current
--   month appears only once its month end is reached; use receivables_position for today.
-- Materialize: table
-- Columns:
--   as_of_date: Month end of the position (the date receivables_as_of would be called with).
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
--   paid_amount: Part of the bill paid by the month end (payments applied to it with a payment date on or before
--     it).
--   open_amount: Amount still owed at the month end: amount - paid_amount, always above zero here.
--   days_past_due: Days from the due date to the month end; zero or negative when not yet due.
--   aging_bucket: Aging bucket of days_past_due (Not yet due, 1-30, 31-60, 61-90, 91-180, 180+).
--   aging_bucket_rank: Sort order of the aging bucket, 1 (Not yet due) to 6 (180+).

with series_end as (
    -- month ends up to the as-of date: the last month start to expand is the one before the as-of date's next day
    select
        cast(date_trunc('month', cast(as_of_date + interval 1 day as date)) - interval 1 month as date)
            as last_month_start
    from stg_data_as_of
),

bills as (
    select * from receivable_bills
),

payment_steps as (
    -- a step at the bill's first month end (nothing paid yet), and one per payment applied to it at the month end
    -- the payment falls in; steps before the bill's first month end are folded into it in open_intervals
    select
        bill_id,
        last_day(issue_date) as month_end,
        0 as paid_in_month
    from bills
    union all
    select
        bill_id,
        last_day(payment_date) as month_end,
        allocated_amount as paid_in_month
    from payment_allocations
    where bill_id is not null
),

paid_steps as (
    -- what was paid on the bill up to each step, and the month end of the next step. Several steps in one month
    -- are not summed first: only the month's last one is kept, and its running total (rows up to it, so all of
    -- the month's) is what was paid by that month end. Both window functions share one ordering, so they agree
    -- on which step is last.
    select
        bill_id,
        month_end,
        lead(month_end) over (partition by bill_id order by month_end, paid_in_month) as next_step,
        sum(paid_in_month) over (
            partition by bill_id
            order by month_end, paid_in_month
            rows between unbounded preceding and current row
        ) as paid_through
    from payment_steps
),

open_intervals as (
    -- only the last step of a month, and only steps in which the bill is not fully paid, produce month ends; a
    -- step before the bill's first month end starts there (and ends before it, unless it is the month's last)
    select
        bills.*,
        paid_steps.paid_through,
        greatest(cast(date_trunc('month', paid_steps.month_end) as date),
            cast(date_trunc('month', bills.issue_date) as date)) as first_month_start,
        least(
            coalesce(cast(date_trunc('month', paid_steps.next_step) - interval 1 month as date),
                series_end.last_month_start),
            series_end.last_month_start
        ) as last_month_start
    from paid_steps
    inner join bills
        on bills.bill_id = paid_steps.bill_id
    cross join series_end
    where (paid_steps.next_step is null or paid_steps.next_step > paid_steps.month_end)
        and paid_steps.paid_through < bills.amount
),

open_month_starts as (
    select
        open_intervals.*,
        unnest(generate_series(first_month_start, last_month_start, interval 1 month)) as month_start
    from open_intervals
    -- an interval that starts after the last month end has no month ends (and Spark's sequence() refuses it)
    where first_month_start <= last_month_start
),

open_positions as (
    select
        open_month_starts.*,
        last_day(cast(open_month_starts.month_start as date)) as month_end,
        open_month_starts.amount - open_month_starts.paid_through as open_amount,
        date_diff('day', open_month_starts.due_date, last_day(cast(open_month_starts.month_start as date)))
            as days_past_due
    from open_month_starts
),

final as (
    select
        open_positions.month_end as as_of_date,
        open_positions.bill_id,
        open_positions.customer_id,
        open_positions.billing_group_id,
        open_positions.sales_channel,
        open_positions.sales_subchannel,
        open_positions.location,
        open_positions.region,
        open_positions.segment,
        open_positions.wealth_tier,
        open_positions.income_band,
        open_positions.issue_date,
        open_positions.due_date,
        open_positions.due_month,
        open_positions.amount,
        cast(open_positions.paid_through as decimal(18, 2)) as paid_amount,
        cast(open_positions.open_amount as decimal(18, 2)) as open_amount,
        open_positions.days_past_due,
        aging_buckets.aging_bucket,
        aging_buckets.aging_bucket_rank
    from open_positions
    inner join aging_buckets
        on (aging_buckets.min_days_past_due is null
            or open_positions.days_past_due >= aging_buckets.min_days_past_due)
        and (aging_buckets.max_days_past_due is null
            or open_positions.days_past_due <= aging_buckets.max_days_past_due)
    -- stored in month-end order: a filter on one month end then skips every other month's row groups
    order by open_positions.month_end
)

select * from final
