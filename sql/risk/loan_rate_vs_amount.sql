-- Answers: What interest rate did each loan get for its amount, term and borrower? (Rate vs amount chart.)
-- Grain: one row per loan.
-- Definition: Every loan as issued, with the borrower's region, segment and wealth tier for the shared filters.
--   region is the customer's region (the unit of regional reporting); the issuing branch's region is
--   branch_region and may differ. Rates are yearly fractions; compare groups with a principal-weighted rate
--   sum(principal * interest_rate) / sum(principal) or a plain average, not an average of averages.
-- Columns:
--   loan_id: Loan.
--   customer_id: Borrower.
--   loan_type: Kind of loan (Home, Auto, Personal, Business).
--   status: Where the loan stands today (Active, Closed, Defaulted).
--   principal: Amount lent.
--   interest_rate: Yearly interest rate as a fraction (0.065 = 6.5%).
--   term_months: Contractual length in months.
--   issue_date: Date the money was paid out.
--   region: Borrower's region.
--   segment: Borrower's segment.
--   wealth_tier: Borrower's wealth tier.
--   branch_region: Region of the issuing branch.

with loans as (
    select * from stg_loans
),

customers as (
    select * from stg_customers
),

final as (
    select
        loans.loan_id,
        loans.customer_id,
        loans.loan_type,
        loans.status,
        loans.principal,
        loans.interest_rate,
        loans.term_months,
        loans.issue_date,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        loans.region as branch_region
    from loans
    left join customers
        on loans.customer_id = customers.customer_id
)

select * from final
