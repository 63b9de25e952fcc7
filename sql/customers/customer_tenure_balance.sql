-- Answers: How long has each customer been with the bank, how old are they, and how much do they hold (tenure vs
--   balance)?
-- Grain: one row per customer holding at least one account balance at the latest month end.
-- Definition: Balances are taken at the latest month end in stg_account_balances on or before the data as-of date,
--   summed over the customer's accounts. Customers with no balance at that month end (no open account, or
--   enrolled after it) are left out rather than shown at zero. Tenure is the time from enrollment_date to the
--   as-of date in years (days / 365.25). Age is in whole years at the as-of date; the age band is 18-24, 25-34,
--   35-44, 45-54, 55-64 or 65+, 'Under 18' below that and 'Unknown' without a birth date.
-- Materialize: table
-- Columns:
--   customer_id: Customer.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   enrollment_date: Date the customer first became a customer.
--   tenure_years: Years from enrollment_date to the as-of date.
--   age_years: Age in whole years at the as-of date; empty without a birth date.
--   age_band: Age band at the as-of date.
--   age_band_order: Sort order of the age band (youngest first, 'Unknown' last).
--   balance_month_end: Month end the balance is taken at.
--   total_balance: Sum of the customer's account balances at balance_month_end.
--   accounts_with_balance: Accounts of the customer with a balance at balance_month_end.

with as_of as (
    select as_of_date from stg_data_as_of
),

latest_month_end as (
    select max(balances.month_end) as balance_month_end
    from stg_account_balances as balances
    cross join as_of
    where balances.month_end <= as_of.as_of_date
),

customer_balances as (
    select
        enrollments.customer_id,
        latest_month_end.balance_month_end,
        sum(balances.balance) as total_balance,
        count(*) as accounts_with_balance
    from stg_account_balances as balances
    inner join latest_month_end on balances.month_end = latest_month_end.balance_month_end
    inner join stg_enrollments as enrollments on balances.account_id = enrollments.account_id
    group by enrollments.customer_id, latest_month_end.balance_month_end
),

final as (
    select
        banded.customer_id,
        banded.region,
        banded.segment,
        banded.wealth_tier,
        banded.enrollment_date,
        banded.tenure_years,
        banded.age_years,
        banded.age_band,
        banded.age_band_order,
        customer_balances.balance_month_end,
        customer_balances.total_balance,
        customer_balances.accounts_with_balance
    from customer_ages as banded
    inner join customer_balances
        on banded.customer_id = customer_balances.customer_id
)

select * from final
