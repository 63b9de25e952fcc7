-- Answers: How did the receivables position evolve month by month, by aging bucket, channel, location and
--   billing group?
-- Grain: one row per month end x aging bucket x sales channel x subchannel x location x billing group x region
--   x segment x wealth tier x income band that had an open bill.
-- Definition: At every month end up to the data as-of date, the same position as receivables_as_of on that
--   date (exact open amounts, restated with today's allocation of payments), summed: receivables_month_end_position
--   (the per-bill month-end position, stored sorted by month end) grouped to this grain. A view rather than a
--   second stored table: there are nearly as many groups as open bills at each month end, so a stored copy would
--   add about as much to the build as it saves a reader. A filter on month_end reads only those months' rows.
--   The current month appears only once its month end is reached; use receivables_position for today.
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

with positions as (
    select * from receivables_month_end_position
),

final as (
    select
        as_of_date as month_end,
        aging_bucket,
        aging_bucket_rank,
        sales_channel,
        sales_subchannel,
        location,
        billing_group_id,
        region,
        segment,
        wealth_tier,
        income_band,
        cast(sum(open_amount) as decimal(18, 2)) as open_amount,
        count(*) as open_bills
    from positions
    group by all
)

select * from final
