-- Answers: How many loans, and how much money, did we issue each month; how many loans were active and how much
--   principal was outstanding; how much interest did they earn; by loan type, region, segment and wealth tier?
-- Grain: one row per month x loan type x region x segment x wealth tier (the borrower's attributes) with a loan
--   issued or active in the month.
-- Definition: A loan is issued in the month of its issue date. It is active (on the books at the month end) in
--   every month from its issue month up to the earliest of: its last contractual month (issue month + term -
--   1), the month before the one it was closed or defaulted in (status date), and the data as-of month.
--   Outstanding principal follows straight-line amortisation: principal x (1 - months elapsed since the issue
--   month / term), so a 12-month loan owes its full principal in its issue month and 1/12 of it in its last
--   month. Interest income of an active month = outstanding principal x yearly interest rate / 12: an
--   estimate, since the data holds no repayment schedule or interest actually paid. The issue month earns a
--   full month and the month of closing, default or maturity earns none, so part-months balance out. Region,
--   segment and wealth tier are the borrower's (the customer's), so loans filter like every other measure; a
--   borrower missing from customers falls back to the loan's branch region. Flows (loans_issued,
--   amount_issued, interest_income) add up over months; active_loans and outstanding_principal are month-end
--   levels: add them across types and customer attributes of one month, never across months (for a period,
--   take its last month). Loan type mix = sum(amount_issued) (or sum(loans_issued)) per loan type / the same
--   sum over all types, computed after filtering.
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   loan_type: Kind of loan (Home, Auto, Personal, Business).
--   region: Borrower's sales region.
--   segment: Borrower's business segment.
--   wealth_tier: Borrower's wealth tier.
--   loans_issued: Loans issued in the month.
--   amount_issued: Principal of the loans issued in the month.
--   active_loans: Loans on the books at the month end (a level: do not add across months).
--   outstanding_principal: Straight-line outstanding principal of the active loans at the start of the month
--     (a level: do not add across months).
--   interest_income: Estimated interest earned in the month: outstanding principal x yearly rate / 12.

with as_of as (
    select as_of_month from stg_data_as_of
),

loans as (
    select
        stg_loans.loan_id,
        stg_loans.loan_type,
        stg_loans.principal,
        stg_loans.interest_rate,
        stg_loans.term_months,
        stg_loans.issue_month,
        12 * year(stg_loans.issue_date) + month(stg_loans.issue_date) as issue_month_number,
        12 * year(stg_loans.status_date) + month(stg_loans.status_date) as status_month_number,
        coalesce(stg_customers.region, stg_loans.region) as region,
        stg_customers.segment,
        stg_customers.wealth_tier
    from stg_loans
    left join stg_customers on stg_customers.customer_id = stg_loans.customer_id
),

active_spans as (
    -- Month numbers (12 x year + month) of a loan's first and last active month; the calendar stops at the
    -- as-of month.
    select
        *,
        case
            when status_month_number < issue_month_number + term_months then status_month_number - 1
            else issue_month_number + term_months - 1
        end as last_active_month_number
    from loans
),

calendar_bounds as (
    select
        min(loans.issue_month) as first_month,
        max(as_of.as_of_month) as last_month
    from loans
    cross join as_of
),

month_starts as (
    select unnest(generate_series(first_month, last_month, interval 1 month)) as month_start
    from calendar_bounds
    where first_month <= last_month
),

calendar as (
    select
        cast(month_start as date) as month,
        12 * year(month_start) + month(month_start) as month_number
    from month_starts
),

active_loan_months as (
    select
        calendar.month,
        active_spans.*,
        calendar.month_number - active_spans.issue_month_number as months_elapsed
    from active_spans
    inner join calendar
        on calendar.month_number between active_spans.issue_month_number and active_spans.last_active_month_number
),

issued as (
    select
        issue_month as month,
        loan_type,
        region,
        segment,
        wealth_tier,
        1 as loans_issued,
        principal as amount_issued,
        0 as active_loans,
        cast(0 as double) as outstanding_principal,
        cast(0 as double) as interest_income
    from loans
    cross join as_of
    where issue_month <= as_of.as_of_month
),

active as (
    select
        month,
        loan_type,
        region,
        segment,
        wealth_tier,
        0 as loans_issued,
        cast(0 as decimal(18, 2)) as amount_issued,
        1 as active_loans,
        principal * (1 - cast(months_elapsed as double) / nullif(term_months, 0)) as outstanding_principal,
        principal * (1 - cast(months_elapsed as double) / nullif(term_months, 0)) * interest_rate / 12
            as interest_income
    from active_loan_months
),

loan_events as (
    select * from issued
    union all
    select * from active
),

final as (
    select
        month,
        loan_type,
        region,
        segment,
        wealth_tier,
        cast(sum(loans_issued) as bigint) as loans_issued,
        sum(amount_issued) as amount_issued,
        cast(sum(active_loans) as bigint) as active_loans,
        sum(outstanding_principal) as outstanding_principal,
        sum(interest_income) as interest_income
    from loan_events
    group by all
)

select * from final
