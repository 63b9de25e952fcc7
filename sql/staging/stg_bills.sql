-- Answers: Which bills were issued, to whom, for how much, and when are they due?
-- Grain: one row per bill.
-- Definition: The bills source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   bill_id: Unique bill identifier.
--   customer_id: Customer billed.
--   billing_group_id: Billing group billed.
--   sales_channel: Sales channel the bill belongs to.
--   sales_subchannel: Subchannel within the sales channel.
--   location: Location (branch or area) the bill belongs to.
--   issue_date: Date the bill was issued.
--   due_date: Date payment is due.
--   amount: Amount billed.
--   due_month: First day of the month the bill falls due.

with source as (
    select * from bills
),

final as (
    select
        bill_id,
        customer_id,
        billing_group_id,
        sales_channel,
        sales_subchannel,
        location,
        issue_date,
        due_date,
        amount,
        cast(date_trunc('month', due_date) as date) as due_month
    from source
)

select * from final
