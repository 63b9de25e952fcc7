-- Answers: Around their due date, how much was still outstanding on all the bills due in a month, pending ones
--   included, and how many of them had reached each checkpoint by the data as-of date?
-- Grain: one row per due month x region x segment x wealth tier x income band with a bill due.
-- Definition: bill_default_checkpoints summed per group over every bill due in the month, whether its D+60 is
--   observed or not (default_rate_monthly counts only observed bills). For each checkpoint (D-3, D0, D+7, D+15,
--   D+30, D+60): how many bills had reached it on or before the data as-of date, and what was outstanding on
--   those. A checkpoint of a group is complete when observed_bills_dk = bills_due; the outstanding curve of a
--   month still pending shows only its complete checkpoints, so a half-observed checkpoint can neither spike nor
--   drop. Stored as a table by the build: it only changes with the data, and is small enough to be summed on
--   each request where the bills themselves are not.
-- Materialize: table
-- Columns:
--   month: First day of the month the bills fell due.
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   income_band: Customers' annual income band.
--   bills_due: Bills due in the month, pending or not.
--   amount_due: Amount billed on those bills.
--   observed_bills_d_minus_3: Bills whose D-3 is on or before the data as-of date.
--   outstanding_d_minus_3: Amount outstanding 3 days before the due date, on the bills that reached D-3; empty
--     when none has.
--   observed_bills_d0: Bills whose due date is on or before the data as-of date.
--   outstanding_d0: Amount outstanding at the end of the due date, on the bills that reached it; empty when none
--     has.
--   observed_bills_d7: Bills whose D+7 is on or before the data as-of date.
--   outstanding_d7: Amount outstanding 7 days after the due date, on the bills that reached D+7; empty when none
--     has.
--   observed_bills_d15: Bills whose D+15 is on or before the data as-of date.
--   outstanding_d15: Amount outstanding 15 days after the due date, on the bills that reached D+15; empty when
--     none has.
--   observed_bills_d30: Bills whose D+30 is on or before the data as-of date.
--   outstanding_d30: Amount outstanding 30 days after the due date, on the bills that reached D+30; empty when
--     none has.
--   observed_bills_d60: Bills whose D+60 is on or before the data as-of date (the bills no longer pending).
--   outstanding_d60: Amount outstanding 60 days after the due date, on the bills that reached D+60; empty when
--     none has.

with checkpoints as (
    select * from bill_default_checkpoints
),

final as (
    select
        due_month as month,
        region,
        segment,
        wealth_tier,
        income_band,
        count(*) as bills_due,
        cast(sum(amount) as decimal(18, 2)) as amount_due,
        count(outstanding_d_minus_3) as observed_bills_d_minus_3,
        cast(sum(outstanding_d_minus_3) as decimal(18, 2)) as outstanding_d_minus_3,
        count(outstanding_d0) as observed_bills_d0,
        cast(sum(outstanding_d0) as decimal(18, 2)) as outstanding_d0,
        count(outstanding_d7) as observed_bills_d7,
        cast(sum(outstanding_d7) as decimal(18, 2)) as outstanding_d7,
        count(outstanding_d15) as observed_bills_d15,
        cast(sum(outstanding_d15) as decimal(18, 2)) as outstanding_d15,
        count(outstanding_d30) as observed_bills_d30,
        cast(sum(outstanding_d30) as decimal(18, 2)) as outstanding_d30,
        count(outstanding_d60) as observed_bills_d60,
        cast(sum(outstanding_d60) as decimal(18, 2)) as outstanding_d60
    from checkpoints
    group by all
)

select * from final
