-- Answers: What did each investment account hold at each month end, what moved it during the month, and whose
--   account for which product is it?
-- Grain: one row per account per month end.
-- Definition: The monthly balance snapshots up to the data as-of date, with the account's product and its
--   customer's attributes attached, so every wealth measure aggregates one prepared row set. Two columns are
--   derived. opening_balance is the balance the month started from: the account's balance at the previous month
--   end when it has a snapshot there; otherwise (the account's first month, or the first month of the recorded
--   history) the balance the month's movements imply, balance - contributions + withdrawals - investment returns
--   + fees: zero when the data books the initial investment as the opening month's contribution, the initial
--   investment when it does not. net_invested is the money the customer has put in and not taken out: the
--   balance the account entered the recorded history with (the initial investment, either way it is booked,
--   for an account opened within the history; the balance at the history's start for an older one) +
--   contributions - withdrawals up to this month end. Snapshots of accounts or customers missing
--   from their source tables are kept (product and customer columns are empty) so totals still reconcile.
--   It is computed on every read (window functions over all snapshots): pages aggregate aum_monthly and read
--   this view only to look at one account or customer.
-- Columns:
--   account_id: Account the snapshot is for.
--   customer_id: Customer who holds the account.
--   product_id: Product the account is for.
--   product_name: Commercial product name.
--   product_category: Product category, e.g. Equity Fund, Bond Fund, Savings.
--   investment_type: Asset class invested in, e.g. Stocks, Bonds, Cash.
--   risk_level: Risk level of the product (Low, Medium, High).
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   month_end: Month end the snapshot is taken at.
--   month: First day of the month of month_end, for date-range filters.
--   balance: Balance at the month end.
--   opening_balance: Balance the month started from (see Definition).
--   contributions: Money the customer paid in during the month.
--   withdrawals: Money the customer took out during the month.
--   net_flow: contributions - withdrawals.
--   investment_returns: Market gain (negative: loss) during the month.
--   fees: Fees charged during the month.
--   net_invested: Initial investment (or balance at the history's start) + contributions - withdrawals up to
--     this month end (see Definition).

with as_of as (
    select as_of_date from stg_data_as_of
),

balances as (
    select
        stg_account_balances.*,
        cast(date_trunc('month', month_end) as date) as month,
        balance - contributions + withdrawals - investment_returns + fees as implied_opening_balance
    from stg_account_balances
    cross join as_of
    where stg_account_balances.month_end <= as_of.as_of_date
),

accounts as (
    select account_id, customer_id, product_id from stg_enrollments
),

products as (
    select product_id, product_name, category, investment_type, risk_level from stg_products
),

customers as (
    select customer_id, region, segment, wealth_tier from stg_customers
),

with_history as (
    select
        balances.*,
        lag(month) over (partition by account_id order by month_end) as previous_month,
        lag(balance) over (partition by account_id order by month_end) as previous_balance,
        first_value(implied_opening_balance) over (partition by account_id order by month_end)
            as first_opening_balance,
        sum(contributions - withdrawals) over (
            partition by account_id order by month_end rows between unbounded preceding and current row
        ) as net_contributions_to_date
    from balances
),

final as (
    select
        with_history.account_id,
        accounts.customer_id,
        accounts.product_id,
        products.product_name,
        products.category as product_category,
        products.investment_type,
        products.risk_level,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        with_history.month_end,
        with_history.month,
        with_history.balance,
        case
            when with_history.previous_month = cast(with_history.month - interval 1 month as date)
                then with_history.previous_balance
            else with_history.implied_opening_balance
        end as opening_balance,
        with_history.contributions,
        with_history.withdrawals,
        with_history.contributions - with_history.withdrawals as net_flow,
        with_history.investment_returns,
        with_history.fees,
        with_history.first_opening_balance + with_history.net_contributions_to_date as net_invested
    from with_history
    left join accounts on accounts.account_id = with_history.account_id
    left join products on products.product_id = accounts.product_id
    left join customers on customers.customer_id = accounts.customer_id
)

select * from final
