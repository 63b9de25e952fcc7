-- Answers: Which loans did the bank issue, on what terms, and how do they stand?
-- Grain: one row per loan.
-- Definition: The loans source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   loan_id: Unique loan identifier.
--   customer_id: Borrower.
--   loan_type: Kind of loan.
--   principal: Amount lent.
--   interest_rate: Yearly interest rate as a fraction (0.065 = 6.5%).
--   term_months: Contractual length in months.
--   issue_date: Date the money was paid out.
--   maturity_date: Contractual end date.
--   status: Where the loan stands today.
--   status_date: Date the loan was closed or defaulted; empty while active.
--   region: Region of the issuing branch.
--   branch: Issuing branch.
--   officer_id: Employee who issued the loan.
--   issue_month: First day of the month the loan was issued.

with source as (
    select * from loans
),

final as (
    select
        loan_id,
        customer_id,
        loan_type,
        principal,
        interest_rate,
        term_months,
        issue_date,
        maturity_date,
        status,
        status_date,
        region,
        branch,
        officer_id,
        cast(date_trunc('month', issue_date) as date) as issue_month
    from source
)

select * from final
