-- Answers: How risky is each customer according to their most recent credit risk assessment?
-- Grain: one row per customer with at least one assessment on or before the as-of date.
-- Definition: The assessment with the latest assessed_on on or before the data's as-of date; two assessments
--   on the same day are settled by the higher assessment_id, so the choice never depends on row order. Credit
--   score bands are 50 points wide from 300 (300-349, ..., 750-799); the top band 800-850 also holds the
--   maximum score 850 rather than giving it a band of its own. Read from risk_assessment_spells (the assessments
--   still current), which holds the same rule for every day.
-- Materialize: table
-- Columns:
--   customer_id: Customer assessed.
--   assessment_id: The latest assessment.
--   assessed_on: Date of the latest assessment.
--   credit_score: Credit score, 300 to 850.
--   credit_score_band: 50-point band of the score, e.g. '650-699'; '800-850' for the top band.
--   credit_score_band_start: Lowest score of the band (300, 350, ..., 800), for sorting bands.
--   default_probability: Estimated 12-month probability of default (0 to 1).
--   risk_level: Risk level assigned (Low, Medium, High).
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.

with current_spells as (
    -- the assessments that are still the customer's latest: assessed on or before the as-of date, none after
    select * from risk_assessment_spells
    where superseded_on is null
),

banded as (
    select
        current_spells.*,
        least(cast(floor(credit_score / 50) as integer) * 50, 800) as credit_score_band_start
    from current_spells
),

final as (
    select
        banded.customer_id,
        banded.assessment_id,
        banded.assessed_on,
        banded.credit_score,
        case
            when banded.credit_score_band_start = 800 then '800-850'
            else concat(cast(banded.credit_score_band_start as varchar), '-',
                        cast(banded.credit_score_band_start + 49 as varchar))
        end as credit_score_band,
        banded.credit_score_band_start,
        banded.default_probability,
        banded.risk_level,
        banded.region,
        banded.segment,
        banded.wealth_tier
    from banded
)

select * from final
