-- Answers: How much new business does the bank sell each month, by customer group?
-- Grain: one row per month x region x segment x wealth tier with sales in the month.
-- Definition: "Sales" is new product business, not card spend: the initial investment of accounts opened in
--   the month plus the principal of loans issued in the month, up to the data's as-of date (the as-of month is
--   month to date). Placed by the customer's region, segment and wealth tier (the loan's branch region is not
--   used); a sale whose customer is unknown keeps empty groups. Everything adds up; regional_sales_quarterly
--   rolls these months up into quarters.
-- Materialize: table
-- Columns:
--   month: First day of the month of the sales.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   account_sales: Initial investment of accounts opened in the month.
--   loan_sales: Principal of loans issued in the month.
--   sales: account_sales + loan_sales.

with customers as (
    select * from stg_customers
),

accounts as (
    select * from stg_enrollments
),

loans as (
    select * from stg_loans
),

as_of as (
    select * from stg_data_as_of
),

sales_lines as (
    select
        accounts.customer_id,
        accounts.open_date as sale_date,
        accounts.initial_investment as account_sales,
        0 as loan_sales
    from accounts
    union all
    select
        loans.customer_id,
        loans.issue_date as sale_date,
        0 as account_sales,
        loans.principal as loan_sales
    from loans
),

final as (
    select
        cast(date_trunc('month', sales_lines.sale_date) as date) as month,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        sum(sales_lines.account_sales) as account_sales,
        sum(sales_lines.loan_sales) as loan_sales,
        sum(sales_lines.account_sales) + sum(sales_lines.loan_sales) as sales
    from sales_lines
    cross join as_of
    left join customers
        on sales_lines.customer_id = customers.customer_id
    where sales_lines.sale_date <= as_of.as_of_date
    group by all
)

select * from final
