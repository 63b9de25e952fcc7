-- Answers: For each bill, how much was still outstanding around its due date, and did it default?
-- Grain: one row per bill.
-- Definition: Outstanding at a checkpoint is the bill amount minus the payments applied to it (see
--   payment_allocations) received on or before the due date plus the checkpoint's days: D-3, D0 (the due date),
--   D+7, D+15, D+30 and D+60. A checkpoint later than the data as-of date is not observed yet and is empty.
--   A bill defaults when more than the tolerance of receivables_settings (1.00) is still outstanding at D+60.
--   Bills whose D+60 is after the data as-of date are pending: their default is not known yet (is_defaulted
--   is empty), so rates must exclude them rather than count them as paid or as defaulted.
-- Materialize: table
-- Columns:
--   bill_id: Bill.
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
--   outstanding_d_minus_3: Amount still owed 3 days before the due date; empty if not observed yet.
--   outstanding_d0: Amount still owed at the end of the due date; empty if not observed yet.
--   outstanding_d7: Amount still owed 7 days after the due date; empty if not observed yet.
--   outstanding_d15: Amount still owed 15 days after the due date; empty if not observed yet.
--   outstanding_d30: Amount still owed 30 days after the due date; empty if not observed yet.
--   outstanding_d60: Amount still owed 60 days after the due date; empty if not observed yet.
--   outstanding_share_d_minus_3: outstanding_d_minus_3 / amount, a fraction of the bill; empty while that day
--     is after the as-of date.
--   outstanding_share_d0: outstanding_d0 / amount; empty while that day is after the as-of date.
--   outstanding_share_d7: outstanding_d7 / amount; empty while that day is after the as-of date.
--   outstanding_share_d15: outstanding_d15 / amount; empty while that day is after the as-of date.
--   outstanding_share_d30: outstanding_d30 / amount; empty while that day is after the as-of date.
--   outstanding_share_d60: outstanding_d60 / amount; empty while that day is after the as-of date.
--   is_pending: True when D+60 is after the data as-of date: the bill cannot be judged yet.
--   is_defaulted: True when more than the tolerance was still outstanding at D+60; empty while pending.

with data_as_of as (
    select as_of_date from stg_data_as_of
),

bills as (
    select
        receivable_bills.*,
        date_diff('day', receivable_bills.due_date, data_as_of.as_of_date) as days_observed_after_due
    from receivable_bills
    cross join data_as_of
),

paid_by_checkpoint as (
    select
        bills.bill_id,
        sum(payment_allocations.allocated_amount) filter (
            where date_diff('day', bills.due_date, payment_allocations.payment_date) <= -3) as paid_d_minus_3,
        sum(payment_allocations.allocated_amount) filter (
            where date_diff('day', bills.due_date, payment_allocations.payment_date) <= 0) as paid_d0,
        sum(payment_allocations.allocated_amount) filter (
            where date_diff('day', bills.due_date, payment_allocations.payment_date) <= 7) as paid_d7,
        sum(payment_allocations.allocated_amount) filter (
            where date_diff('day', bills.due_date, payment_allocations.payment_date) <= 15) as paid_d15,
        sum(payment_allocations.allocated_amount) filter (
            where date_diff('day', bills.due_date, payment_allocations.payment_date) <= 30) as paid_d30,
        sum(payment_allocations.allocated_amount) filter (
            where date_diff('day', bills.due_date, payment_allocations.payment_date) <= 60) as paid_d60
    from bills
    inner join payment_allocations
        on payment_allocations.bill_id = bills.bill_id
    group by bills.bill_id
),

checkpoints as (
    -- a checkpoint is observed once the data as-of date has reached it
    select
        bills.*,
        case when bills.days_observed_after_due >= -3
            then bills.amount - coalesce(paid_by_checkpoint.paid_d_minus_3, 0) end as outstanding_d_minus_3,
        case when bills.days_observed_after_due >= 0
            then bills.amount - coalesce(paid_by_checkpoint.paid_d0, 0) end as outstanding_d0,
        case when bills.days_observed_after_due >= 7
            then bills.amount - coalesce(paid_by_checkpoint.paid_d7, 0) end as outstanding_d7,
        case when bills.days_observed_after_due >= 15
            then bills.amount - coalesce(paid_by_checkpoint.paid_d15, 0) end as outstanding_d15,
        case when bills.days_observed_after_due >= 30
            then bills.amount - coalesce(paid_by_checkpoint.paid_d30, 0) end as outstanding_d30,
        case when bills.days_observed_after_due >= 60
            then bills.amount - coalesce(paid_by_checkpoint.paid_d60, 0) end as outstanding_d60
    from bills
    left join paid_by_checkpoint
        on paid_by_checkpoint.bill_id = bills.bill_id
),

final as (
    select
        checkpoints.bill_id,
        checkpoints.customer_id,
        checkpoints.billing_group_id,
        checkpoints.sales_channel,
        checkpoints.sales_subchannel,
        checkpoints.location,
        checkpoints.region,
        checkpoints.segment,
        checkpoints.wealth_tier,
        checkpoints.income_band,
        checkpoints.issue_date,
        checkpoints.due_date,
        checkpoints.due_month,
        checkpoints.amount,
        cast(checkpoints.outstanding_d_minus_3 as decimal(18, 2)) as outstanding_d_minus_3,
        cast(checkpoints.outstanding_d0 as decimal(18, 2)) as outstanding_d0,
        cast(checkpoints.outstanding_d7 as decimal(18, 2)) as outstanding_d7,
        cast(checkpoints.outstanding_d15 as decimal(18, 2)) as outstanding_d15,
        cast(checkpoints.outstanding_d30 as decimal(18, 2)) as outstanding_d30,
        cast(checkpoints.outstanding_d60 as decimal(18, 2)) as outstanding_d60,
        cast(checkpoints.outstanding_d_minus_3 as double) / nullif(checkpoints.amount, 0)
            as outstanding_share_d_minus_3,
        cast(checkpoints.outstanding_d0 as double) / nullif(checkpoints.amount, 0) as outstanding_share_d0,
        cast(checkpoints.outstanding_d7 as double) / nullif(checkpoints.amount, 0) as outstanding_share_d7,
        cast(checkpoints.outstanding_d15 as double) / nullif(checkpoints.amount, 0) as outstanding_share_d15,
        cast(checkpoints.outstanding_d30 as double) / nullif(checkpoints.amount, 0) as outstanding_share_d30,
        cast(checkpoints.outstanding_d60 as double) / nullif(checkpoints.amount, 0) as outstanding_share_d60,
        checkpoints.outstanding_d60 is null as is_pending,
        checkpoints.outstanding_d60 > receivables_settings.default_tolerance as is_defaulted
    from checkpoints
    cross join receivables_settings
)

select * from final
