-- Answers: From when until when was each credit risk assessment its customer's latest one?
-- Grain: one row per assessment on or before the as-of date that was its customer's latest for at least a day.
-- Definition: A customer's latest assessment on a day is the one with the latest assessed_on on or before that
--   day and on or before the data's as-of date; two on the same day are settled by the higher assessment_id
--   (the rule of latest_risk_assessment). So an assessment is the latest from its assessed_on until the day
--   before the customer's next assessment (superseded_on), or from then on when none follows; one overtaken on
--   its own day is never the latest and is left out. Each customer's latest assessment on a day d is then one
--   row: assessed_on <= d and (superseded_on is empty or after d), found by a filter rather than by ranking every
--   assessment again for each day asked about. latest_risk_assessment is the rows without superseded_on. Stored
--   sorted by superseded_on, so a filter on a recent day reads few of the spells that ended earlier.
-- Materialize: table
-- Columns:
--   customer_id: Customer assessed.
--   assessment_id: The assessment.
--   assessed_on: Date of the assessment: the first day it is the customer's latest.
--   superseded_on: Date of the customer's next assessment, the first day this one is no longer the latest; empty
--     while it is the latest.
--   credit_score: Credit score, 300 to 850.
--   default_probability: Estimated 12-month probability of default (0 to 1).
--   risk_level: Risk level assigned (Low, Medium, High).
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.

with assessments as (
    select * from stg_risk_assessments
),

customers as (
    select * from stg_customers
),

as_of as (
    select * from stg_data_as_of
),

sequenced as (
    select
        assessments.*,
        lead(assessments.assessed_on) over (
            partition by assessments.customer_id
            order by assessments.assessed_on, assessments.assessment_id
        ) as superseded_on
    from assessments
    cross join as_of
    where assessments.assessed_on <= as_of.as_of_date
),

final as (
    select
        sequenced.customer_id,
        sequenced.assessment_id,
        sequenced.assessed_on,
        sequenced.superseded_on,
        sequenced.credit_score,
        sequenced.default_probability,
        sequenced.risk_level,
        customers.region,
        customers.segment,
        customers.wealth_tier
    from sequenced
    left join customers
        on sequenced.customer_id = customers.customer_id
    where sequenced.superseded_on is null or sequenced.superseded_on > sequenced.assessed_on
    -- stored in this order: a recent day then skips the row groups of spells that ended long before it
    order by sequenced.superseded_on nulls last
)

select * from final
