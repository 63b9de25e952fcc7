-- Answers: What is the average probability of default of our customers, by segment and other groups?
-- Grain: one row per segment x region x wealth tier x risk level (combinations with customers only).
-- Definition: Each assessed customer counts once with the default probability of their latest assessment on
--   or before the as-of date. Average default probability = sum(default_probability_sum) /
--   sum(assessed_customers) after filtering: a customer average, not weighted by exposure.
--   default_probability_sum is also the expected number of defaulting customers within 12 months.
-- Columns:
--   segment: Customer's segment.
--   region: Customer's region.
--   wealth_tier: Customer's wealth tier.
--   risk_level: Risk level of the latest assessment.
--   assessed_customers: Customers with an assessment.
--   default_probability_sum: Sum of their default probabilities.

with latest_assessments as (
    select * from latest_risk_assessment
),

final as (
    select
        segment,
        region,
        wealth_tier,
        risk_level,
        count(*) as assessed_customers,
        sum(default_probability) as default_probability_sum
    from latest_assessments
    group by all
)

select * from final
