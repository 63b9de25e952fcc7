-- Answers: Which share of bills, and of the amount billed, defaulted, by the month they fell due? How much was
--   still outstanding around the due date?
-- Grain: one row per due month x region x segment x wealth tier x income band with a bill due.
-- Definition: Built from bill_default_checkpoints. A bill defaults when more than 1.00 (the tolerance of
--   receivables_settings) is still outstanding 60 days after its due date. Only bills whose D+60 is observed
--   (on or before the data as-of date) are counted in bills, amounts and defaults; the others are reported in
--   pending_bills and pending_amount, so the latest months do not show a false spike of defaults (nor a false
--   drop). Count-weighted default rate = sum(defaulted_bills) / sum(bills); amount-weighted default rate =
--   sum(defaulted_outstanding_amount) / sum(billed_amount); the outstanding curve at checkpoint k is
--   sum(outstanding_dk) / sum(billed_amount). Compute them after filtering, from the sums. Stored as a table by
--   the build: it only changes with the data, and summing every bill again on each request is what the
--   Collections page would otherwise wait for.
-- Materialize: table
-- Columns:
--   month: First day of the month the bills fell due.
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   income_band: Customers' annual income band.
--   bills: Bills due in the month whose D+60 is observed (the denominator of the count-weighted rate).
--   defaulted_bills: Of those, bills with more than the tolerance outstanding at D+60.
--   billed_amount: Amount billed on those bills (the denominator of the amount-weighted rate and of the curve).
--   defaulted_outstanding_amount: Amount still outstanding at D+60 on the defaulted bills.
--   outstanding_d_minus_3: Amount outstanding 3 days before the due date, on the observed bills.
--   outstanding_d0: Amount outstanding at the end of the due date, on the observed bills.
--   outstanding_d7: Amount outstanding 7 days after the due date, on the observed bills.
--   outstanding_d15: Amount outstanding 15 days after the due date, on the observed bills.
--   outstanding_d30: Amount outstanding 30 days after the due date, on the observed bills.
--   outstanding_d60: Amount outstanding 60 days after the due date, on the observed bills (defaulted or within
--     the tolerance).
--   pending_bills: Bills due in the month whose D+60 is after the data as-of date, excluded from the rates.
--   pending_amount: Amount billed on the pending bills.

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
        count(*) filter (where not is_pending) as bills,
        count(*) filter (where is_defaulted) as defaulted_bills,
        cast(coalesce(sum(amount) filter (where not is_pending), 0) as decimal(18, 2)) as billed_amount,
        cast(coalesce(sum(outstanding_d60) filter (where is_defaulted), 0) as decimal(18, 2))
            as defaulted_outstanding_amount,
        cast(coalesce(sum(outstanding_d_minus_3) filter (where not is_pending), 0) as decimal(18, 2))
            as outstanding_d_minus_3,
        cast(coalesce(sum(outstanding_d0) filter (where not is_pending), 0) as decimal(18, 2)) as outstanding_d0,
        cast(coalesce(sum(outstanding_d7) filter (where not is_pending), 0) as decimal(18, 2)) as outstanding_d7,
        cast(coalesce(sum(outstanding_d15) filter (where not is_pending), 0) as decimal(18, 2)) as outstanding_d15,
        cast(coalesce(sum(outstanding_d30) filter (where not is_pending), 0) as decimal(18, 2)) as outstanding_d30,
        cast(coalesce(sum(outstanding_d60) filter (where not is_pending), 0) as decimal(18, 2)) as outstanding_d60,
        count(*) filter (where is_pending) as pending_bills,
        cast(coalesce(sum(amount) filter (where is_pending), 0) as decimal(18, 2)) as pending_amount
    from checkpoints
    group by all
)

select * from final
