-- Answers: How much new business does each region sell per quarter, how many customers does it win, and how
--   do sales grow against the previous quarter?
-- Grain: one row per quarter x region x segment x wealth tier (combinations with sales or new customers in the
--   quarter or sales in the previous quarter).
-- Definition: "Sales" is new product business, not card spend: the initial investment of accounts opened in
--   the quarter plus the principal of loans issued in the quarter (the months of sales_monthly, rolled up). New
--   customers are customers enrolled in the quarter. Everything is placed by the customer's region, segment and
--   wealth tier (the loan's branch region is not used), up to the data's as-of date; the as-of quarter is
--   quarter to date. previous_quarter_sales is the same group's sales one quarter earlier, carried on this
--   quarter's row, so after filtering growth = sum(total_sales) / sum(previous_quarter_sales) - 1; never
--   average the row's sales_growth.
-- Materialize: table
-- Columns:
--   quarter_start_date: First day of the quarter.
--   quarter: Quarter label, e.g. '2026-Q3'.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   account_sales: Initial investment of accounts opened in the quarter.
--   loan_sales: Principal of loans issued in the quarter.
--   total_sales: account_sales + loan_sales.
--   new_customers: Customers enrolled in the quarter.
--   previous_quarter_sales: total_sales of the same region, segment and wealth tier in the previous quarter.
--   sales_growth: total_sales / previous_quarter_sales - 1 for this row only, as a fraction; empty when the
--     previous quarter had no sales.

with customers as (
    select * from stg_customers
),

as_of as (
    select * from stg_data_as_of
),

quarterly_sales as (
    select
        cast(date_trunc('quarter', month) as date) as quarter_start_date,
        region,
        segment,
        wealth_tier,
        sum(account_sales) as account_sales,
        sum(loan_sales) as loan_sales
    from sales_monthly
    group by all
),

quarterly_new_customers as (
    select
        cast(date_trunc('quarter', customers.enrollment_date) as date) as quarter_start_date,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        count(*) as new_customers
    from customers
    cross join as_of
    where customers.enrollment_date <= as_of.as_of_date
    group by all
),

quarter_parts as (
    select
        quarter_start_date,
        region,
        segment,
        wealth_tier,
        account_sales,
        loan_sales,
        0 as new_customers,
        0 as previous_quarter_sales
    from quarterly_sales
    union all
    select
        quarter_start_date,
        region,
        segment,
        wealth_tier,
        0 as account_sales,
        0 as loan_sales,
        new_customers,
        0 as previous_quarter_sales
    from quarterly_new_customers
    union all
    -- each quarter's sales again, one quarter later, as that quarter's comparison base
    select
        cast(quarterly_sales.quarter_start_date + interval 3 month as date) as quarter_start_date,
        quarterly_sales.region,
        quarterly_sales.segment,
        quarterly_sales.wealth_tier,
        0 as account_sales,
        0 as loan_sales,
        0 as new_customers,
        quarterly_sales.account_sales + quarterly_sales.loan_sales as previous_quarter_sales
    from quarterly_sales
    cross join as_of
    where quarterly_sales.quarter_start_date + interval 3 month <= as_of.as_of_date
),

quarter_totals as (
    select
        quarter_start_date,
        region,
        segment,
        wealth_tier,
        sum(account_sales) as account_sales,
        sum(loan_sales) as loan_sales,
        sum(new_customers) as new_customers,
        sum(previous_quarter_sales) as previous_quarter_sales
    from quarter_parts
    group by all
),

final as (
    select
        quarter_start_date,
        concat(cast(year(quarter_start_date) as varchar), '-Q', cast(quarter(quarter_start_date) as varchar))
            as quarter,
        region,
        segment,
        wealth_tier,
        account_sales,
        loan_sales,
        account_sales + loan_sales as total_sales,
        cast(new_customers as bigint) as new_customers,
        previous_quarter_sales,
        (account_sales + loan_sales) / nullif(previous_quarter_sales, 0) - 1 as sales_growth
    from quarter_totals
)

select * from final
