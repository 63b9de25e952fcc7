-- Answers: How is RFM scored: into how many score buckets, over how long a window?
-- Grain: one row.
-- Definition: The one place RFM scoring is configured. score_buckets = 5 gives quintile scores 1 to 5, 4 gives
--   quartiles 1 to 4 (then review rfm_segment_rules, whose default rules are written for scores 1 to 5).
--   window_days = 365 measures frequency and spend over the 365 days ending on the analysis date.
-- Columns:
--   score_buckets: Number of equal-sized groups each of R, F and M is scored into (5 = quintiles).
--   window_days: Length in days of the window frequency and monetary are measured over, ending on the analysis
--     date (included).

with final as (
    select
        5 as score_buckets,
        365 as window_days
)

select * from final
