-- Answers: Which aging buckets are receivables reported in, and in what order?
-- Grain: one row per aging bucket.
-- Definition: Days past due is the number of days from the due date to the position date; a bill due on the
--   position date itself is not yet overdue. Buckets: Not yet due (0 days or less), 1-30, 31-60, 61-90, 91-180
--   and 180+ (181 days or more). Every position view joins this list, so the buckets are declared once.
-- Columns:
--   aging_bucket_rank: Sort order of the bucket, 1 (Not yet due) to 6 (180+).
--   aging_bucket: Bucket label.
--   min_days_past_due: Fewest days past due in the bucket; empty for Not yet due (no lower bound).
--   max_days_past_due: Most days past due in the bucket; empty for 180+ (no upper bound).

with buckets as (
    select 1 as aging_bucket_rank, 'Not yet due' as aging_bucket, cast(null as integer) as min_days_past_due,
        0 as max_days_past_due
    union all
    select 2, '1-30', 1, 30
    union all
    select 3, '31-60', 31, 60
    union all
    select 4, '61-90', 61, 90
    union all
    select 5, '91-180', 91, 180
    union all
    select 6, '180+', 181, cast(null as integer)
),

final as (
    select
        aging_bucket_rank,
        aging_bucket,
        min_days_past_due,
        max_days_past_due
    from buckets
)

select * from final
