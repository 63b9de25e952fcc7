-- Answers: How many loans, for how much, do we have by region, loan type and status?
-- Grain: one row per month issued x region x loan type x status x segment x wealth tier (combinations with
--   loans only).
-- Definition: Each loan counts once, in the month it was issued, under its status today (Active, Closed,
--   Defaulted); a date filter therefore selects loans issued in the range. region is the borrower's region,
--   as in loan_rate_vs_amount. Counts and principal add up across every dimension; monthly issued and active
--   loan measures are in the wealth area. Stored as a table by the build: it only changes when the data does,
--   and the Lending, risk & fraud page reads it twice per visit.
-- Materialize: table
-- Columns:
--   month: First day of the month the loans were issued.
--   region: Borrower's region.
--   loan_type: Kind of loan.
--   status: Where the loans stand today.
--   segment: Borrower's segment.
--   wealth_tier: Borrower's wealth tier.
--   loans: Loans.
--   principal: Principal lent on those loans.

with loans as (
    select * from stg_loans
),

customers as (
    select * from stg_customers
),

final as (
    select
        loans.issue_month as month,
        customers.region,
        loans.loan_type,
        loans.status,
        customers.segment,
        customers.wealth_tier,
        count(*) as loans,
        sum(loans.principal) as principal
    from loans
    left join customers
        on loans.customer_id = customers.customer_id
    group by all
)

select * from final
