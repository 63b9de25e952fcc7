-- Answers: How did the receivables position evolve month by month, by aging bucket, channel, location and
--   billing group?
-- Grain: one row per month end x aging bucket x sales channel x subchannel x location x billing group x region
--   x segment x wealth tier x income band that had an open bill.
-- Definition: At every month end up to the data as-of date, the same position as receivables_as_of on that
--   date (exact open amounts, restated with today's allocation of payments), summed. Computed in one pass
--   rather than one query per month: what was paid on a bill is a step function of the month ends (a step at
--   its first month end, then one at each month end payments fall in), and every step in which the bill is
--   not fully paid is expanded to the month ends it covers. So a bill yields one row per month end from its
--   issue to its full payment, and none after. A payment received before the bill was issued counts from the
--   bill's first month end. The current month appears only once its month end is reached; use
--   receivables_position for today.
-- Materialize: table
-- Columns:
--   month_end: Last day of the month of the position.
--   aging_bucket: Aging bucket at the month end (Not yet due, 1-30, 31-60, 61-90, 91-180, 180+).
--   aging_bucket_rank: Sort order of the aging bucket, 1 (Not yet due) to 6 (180+).
--   sales_channel: Sales channel of the bills.
--   sales_subchannel: Subchannel within the sales channel.
--   location: Location (branch or area) of the bills.
--   billing_group_id: Billing group of the bills (the bill's, else the customer's).
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   income_band: Customers' annual income band.
--   open_amount: Amount owed at the month end on these bills (sum it across rows).
--   open_bills: Bills not fully paid at the month end (sum it across rows; a bill is in one bucket per month end).

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
    -- a step at the bill's first month end (nothing paid yet), and one at each month end payments fall in; a
    -- payment received before the bill was issued counts from the bill's first month end
    select
        bill_id,
        last_day(issue_date) as month_end,
        0 as paid_in_month
    from bills
    union all
    select
        payment_allocations.bill_id,
        greatest(last_day(payment_allocations.payment_date), last_day(bills.issue_date)) as month_end,
        payment_allocations.allocated_amount as paid_in_month
    from payment_allocations
    inner join bills
        on bills.bill_id = payment_allocations.bill_id
),

monthly_steps as (
    select
        bill_id,
        month_end,
        sum(paid_in_month) as paid_in_month
    from payment_steps
    group by bill_id, month_end
),

paid_intervals as (
    -- what was paid on the bill from one step's month end until the month before the next step
    select
        bill_id,
        month_end as paid_from,
        lead(month_end) over (partition by bill_id order by month_end) as next_step,
        sum(paid_in_month) over (
            partition by bill_id
            order by month_end
            rows between unbounded preceding and current row
        ) as paid_through
    from monthly_steps
),

open_intervals as (
    -- only intervals in which the bill is not fully paid produce month ends
    select
        bills.*,
        paid_intervals.paid_through,
        cast(date_trunc('month', paid_intervals.paid_from) as date) as first_month_start,
        least(
            coalesce(cast(date_trunc('month', paid_intervals.next_step) - interval 1 month as date),
                series_end.last_month_start),
            series_end.last_month_start
        ) as last_month_start
    from paid_intervals
    inner join bills
        on bills.bill_id = paid_intervals.bill_id
    cross join series_end
    where paid_intervals.paid_through < bills.amount
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
        open_positions.month_end,
        aging_buckets.aging_bucket,
        aging_buckets.aging_bucket_rank,
        open_positions.sales_channel,
        open_positions.sales_subchannel,
        open_positions.location,
        open_positions.billing_group_id,
        open_positions.region,
        open_positions.segment,
        open_positions.wealth_tier,
        open_positions.income_band,
        cast(sum(open_positions.open_amount) as decimal(18, 2)) as open_amount,
        count(*) as open_bills
    from open_positions
    inner join aging_buckets
        on (aging_buckets.min_days_past_due is null
            or open_positions.days_past_due >= aging_buckets.min_days_past_due)
        and (aging_buckets.max_days_past_due is null
            or open_positions.days_past_due <= aging_buckets.max_days_past_due)
    group by all
)

select * from final
