-- Answers: How much has each advisor and salesperson sold each year, against their annual sales target?
-- Grain: one row per employee with the role Advisor or Sales x calendar year, for the years in which the bank
--   made any sale plus the as-of year, from the employee's hire year to the as-of year.
-- Definition: Advisors' sales are the initial investment of the accounts they opened (enrollments.advisor_id)
--   in the year; Sales staff's sales are the principal of the loans they issued (loans.officer_id) in the year.
--   Only sales on or before the data's as-of date count, so the as-of year is year to date: compare it with
--   sales_target_to_date (the annual target pro rata to the days elapsed) rather than the full target. Years
--   without sales are kept with 0. Team attainment after filtering is sum(sales) / sum(sales_target) (or
--   / sum(sales_target_to_date)); never average target_attainment.
-- Materialize: table
-- Columns:
--   year: Calendar year.
--   year_start_date: 1 January of the year, for date-range filters.
--   employee_id: Employee.
--   full_name: Employee's full name.
--   role: Advisor or Sales.
--   department: Department the employee reports into.
--   region: Region the employee works in.
--   office: Office the employee works from.
--   sales: Initial investment opened (Advisors) or loan principal issued (Sales) in the year.
--   sales_target: Annual sales target; empty when the employee has none.
--   sales_target_to_date: sales_target for past years; for the as-of year the target pro rata to the days
--     from 1 January to the as-of date.
--   is_year_to_date: Whether the year is the as-of year, still running.
--   target_attainment: sales / sales_target as a fraction (1.0 = target met); empty without a target.

with employees as (
    select * from stg_employees
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
        accounts.advisor_id as employee_id,
        'Advisor' as credited_role,
        year(accounts.open_date) as year,
        accounts.initial_investment as amount
    from accounts
    cross join as_of
    where accounts.open_date <= as_of.as_of_date
    union all
    select
        loans.officer_id as employee_id,
        'Sales' as credited_role,
        year(loans.issue_date) as year,
        loans.principal as amount
    from loans
    cross join as_of
    where loans.issue_date <= as_of.as_of_date
),

sales_by_employee_year as (
    select
        employee_id,
        credited_role,
        year,
        sum(amount) as sales
    from sales_lines
    where employee_id is not null
    group by all
),

years as (
    select distinct year from sales_lines
    union
    select year(as_of_date) as year from as_of
),

target_roles as (
    select * from employees
    where role in ('Advisor', 'Sales')
),

employee_years as (
    select
        years.year,
        cast(make_date(years.year, 1, 1) as date) as year_start_date,
        target_roles.*,
        as_of.as_of_date
    from target_roles
    cross join years
    cross join as_of
    where years.year >= year(target_roles.hire_date)
        and years.year <= year(as_of.as_of_date)
),

final as (
    select
        employee_years.year,
        employee_years.year_start_date,
        employee_years.employee_id,
        employee_years.full_name,
        employee_years.role,
        employee_years.department,
        employee_years.region,
        employee_years.office,
        coalesce(sales_by_employee_year.sales, 0) as sales,
        employee_years.sales_target,
        case
            when employee_years.year = year(employee_years.as_of_date)
                then employee_years.sales_target
                    * (date_diff('day', employee_years.year_start_date, employee_years.as_of_date) + 1)
                    / nullif(date_diff('day', employee_years.year_start_date,
                                       cast(employee_years.year_start_date + interval 1 year as date)), 0)
            else employee_years.sales_target
        end as sales_target_to_date,
        employee_years.year = year(employee_years.as_of_date) as is_year_to_date,
        coalesce(sales_by_employee_year.sales, 0) / nullif(employee_years.sales_target, 0) as target_attainment
    from employee_years
    left join sales_by_employee_year
        on employee_years.employee_id = sales_by_employee_year.employee_id
        and employee_years.role = sales_by_employee_year.credited_role
        and employee_years.year = sales_by_employee_year.year
)

select * from final
