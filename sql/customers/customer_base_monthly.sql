-- Answers: How many customers were active at each month end, how many accounts did they hold (products per
--   customer), and where do they live (customers by state)?
-- Grain: one row per month end x region x state x segment x wealth tier (groups with no active customer and no
--   open account at the month end are left out).
-- Definition: A snapshot at the close of each month's last day (for the current month: at the data as-of date).
--   Active customers and open accounts as in customer_accounts and customer_activity_spells. Products per customer
--   = active_accounts / active_customers: for any selection of rows of one month end, compute it as
--   sum(active_accounts) / sum(active_customers), never as an average of the row ratios. Customer counts are
--   additive across regions, states, segments and wealth tiers but not across month ends (a customer is active at
--   many month ends): for a date range, show the last month end in the range.
-- Materialize: table
-- Columns:
--   month_end: Last day of the month the snapshot is taken at.
--   region: Customers' sales region.
--   state: Customers' state or county of residence ('Unknown' when not recorded).
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   active_customers: Customers holding at least one open account at the month end.
--   active_accounts: Accounts open at the month end.
--   products_per_customer: active_accounts / active_customers for this row.

with months as (
    select month, month_end from customer_calendar_months
),

-- +1 in the month a customer (or account) becomes active, -1 in the month it stops: the running sum is the number
-- active at each month end
customer_moves as (
    select spell_start_month as month, region, state, segment, wealth_tier, 1 as customer_move, 0 as account_move
    from customer_activity_spells
    union all
    select spell_end_month as month, region, state, segment, wealth_tier, -1 as customer_move, 0 as account_move
    from customer_activity_spells
    where spell_end is not null
),

account_moves as (
    select open_month as month, region, state, segment, wealth_tier, 0 as customer_move, 1 as account_move
    from customer_accounts
    where close_date is null or close_date > open_date
    union all
    select close_month as month, region, state, segment, wealth_tier, 0 as customer_move, -1 as account_move
    from customer_accounts
    where close_date > open_date
),

all_moves as (
    select * from customer_moves
    union all
    select * from account_moves
),

moves_by_month as (
    select
        month,
        region,
        state,
        segment,
        wealth_tier,
        sum(customer_move) as customer_change,
        sum(account_move) as account_change
    from all_moves
    group by month, region, state, segment, wealth_tier
),

customer_groups as (
    select distinct region, state, segment, wealth_tier from moves_by_month
),

running as (
    select
        months.month_end,
        customer_groups.region,
        customer_groups.state,
        customer_groups.segment,
        customer_groups.wealth_tier,
        sum(coalesce(moves_by_month.customer_change, 0)) over (
            partition by customer_groups.region, customer_groups.state, customer_groups.segment,
                customer_groups.wealth_tier
            order by months.month
            rows between unbounded preceding and current row
        ) as active_customers,
        sum(coalesce(moves_by_month.account_change, 0)) over (
            partition by customer_groups.region, customer_groups.state, customer_groups.segment,
                customer_groups.wealth_tier
            order by months.month
            rows between unbounded preceding and current row
        ) as active_accounts
    from months
    cross join customer_groups
    left join moves_by_month
        on months.month = moves_by_month.month
        and customer_groups.region = moves_by_month.region
        and customer_groups.state = moves_by_month.state
        and customer_groups.segment = moves_by_month.segment
        and customer_groups.wealth_tier = moves_by_month.wealth_tier
),

final as (
    select
        month_end,
        region,
        state,
        segment,
        wealth_tier,
        cast(active_customers as bigint) as active_customers,
        cast(active_accounts as bigint) as active_accounts,
        cast(active_accounts as double) / nullif(active_customers, 0) as products_per_customer
    from running
    where active_customers > 0 or active_accounts > 0
)

select * from final
