-- Answers: Which customers are currently rated High risk, and how much do we have lent to them?
-- Grain: one row per customer whose latest risk assessment is High.
-- Definition: "Currently High" uses the latest assessment on or before the as-of date (latest_risk_assessment),
--   not any past High rating. Exposure is the original principal of the customer's open loans: loans issued on
--   or before the as-of date whose status is Active (Closed and Defaulted loans are no longer open). Customers
--   with no open loan are listed with 0 exposure. Exposure adds up across customers. Stored as a table by the
--   build: it only changes when the data does, and the page lists it on every visit.
-- Materialize: table
-- Columns:
--   customer_id: Customer.
--   full_name: Customer's name.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   assessed_on: Date of the latest assessment.
--   credit_score: Credit score at that assessment.
--   default_probability: Estimated 12-month probability of default at that assessment.
--   open_loans: Number of the customer's open loans.
--   open_loan_principal: Exposure: principal of the customer's open loans.

with latest_assessments as (
    select * from latest_risk_assessment
),

customers as (
    select * from stg_customers
),

loans as (
    select * from stg_loans
),

as_of as (
    select * from stg_data_as_of
),

open_loans as (
    select
        loans.customer_id,
        count(*) as open_loans,
        sum(loans.principal) as open_loan_principal
    from loans
    cross join as_of
    where loans.status = 'Active'
        and loans.issue_date <= as_of.as_of_date
    group by loans.customer_id
),

final as (
    select
        latest_assessments.customer_id,
        customers.full_name,
        latest_assessments.region,
        latest_assessments.segment,
        latest_assessments.wealth_tier,
        latest_assessments.assessed_on,
        latest_assessments.credit_score,
        latest_assessments.default_probability,
        coalesce(open_loans.open_loans, 0) as open_loans,
        coalesce(open_loans.open_loan_principal, 0) as open_loan_principal
    from latest_assessments
    left join customers
        on latest_assessments.customer_id = customers.customer_id
    left join open_loans
        on latest_assessments.customer_id = open_loans.customer_id
    where latest_assessments.risk_level = 'High'
)

select * from final
