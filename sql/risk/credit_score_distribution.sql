-- Answers: How are our customers' current credit scores distributed, by region, segment and wealth tier?
-- Grain: one row per credit score band x region x segment x wealth tier (combinations with customers only).
-- Definition: Each assessed customer counts once, in the band of their latest assessment on or before the
--   as-of date (see latest_risk_assessment for the bands). Counts add up across every dimension; a band's
--   share is sum(customers) for the band / sum(customers) after filtering.
-- Columns:
--   credit_score_band: 50-point band of the score, e.g. '650-699'; '800-850' for the top band.
--   credit_score_band_start: Lowest score of the band, for sorting bands.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   customers: Customers whose latest credit score falls in the band.

with latest_assessments as (
    select * from latest_risk_assessment
),

final as (
    select
        credit_score_band,
        credit_score_band_start,
        region,
        segment,
        wealth_tier,
        count(*) as customers
    from latest_assessments
    group by all
)

select * from final
