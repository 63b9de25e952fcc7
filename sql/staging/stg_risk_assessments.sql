-- Answers: How risky was each customer at each assessment?
-- Grain: one row per customer per assessment date.
-- Definition: The risk_assessments source table as the contract declares it; staging only selects its columns by name.
-- Columns:
--   assessment_id: Unique assessment identifier.
--   customer_id: Customer assessed.
--   assessed_on: Date of the assessment.
--   credit_score: Credit score, 300 to 850.
--   default_probability: Estimated 12-month probability of default (0 to 1).
--   risk_level: Risk level assigned.

with source as (
    select * from risk_assessments
),

final as (
    select
        assessment_id,
        customer_id,
        assessed_on,
        credit_score,
        default_probability,
        risk_level
    from source
)

select * from final
