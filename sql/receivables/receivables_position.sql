-- Answers: What do customers owe us today, per open bill, and how overdue is it?
-- Grain: one row per bill issued on or before the data as-of date that was not fully paid on that date.
-- Definition: receivables_as_of at the data as-of date (stg_data_as_of): see receivables_as_of for the rules
--   (exact open amounts, payments applied by bill id else oldest bill first, aging from the due date). Stored
--   as a table by the build, since it only changes when the data does; the billing worklist reads it.
-- Materialize: table
-- Columns:
--   as_of_date: Date of the position: the data as-of date.
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
--   paid_amount: Part of the bill paid by the as-of date.
--   open_amount: Amount still owed: amount - paid_amount, always above zero here.
--   days_past_due: Days from the due date to the as-of date; zero or negative when not yet due.
--   aging_bucket: Aging bucket of days_past_due (Not yet due, 1-30, 31-60, 61-90, 91-180, 180+).
--   aging_bucket_rank: Sort order of the aging bucket, 1 (Not yet due) to 6 (180+).

with positions as (
    select * from receivables_as_of((select as_of_date from stg_data_as_of))
),

final as (
    select * from positions
)

select * from final
