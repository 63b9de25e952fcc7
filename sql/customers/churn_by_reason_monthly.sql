-- Answers: Why do customers leave products, month by month and quarter by quarter, and which exits cost us the
--   whole customer?
-- Grain: one row per month x region x segment x wealth tier x product category x reason.
-- Definition: Product exits from stg_churn_events up to the data as-of date: a customer leaving one product, which
--   is not necessarily a churn of the customer. customer_churn_exits counts the exits made on the day the
--   customer's last open account closed (their churn date in customer_activity_spells), so reasons can be ranked
--   by the customers they lost too. Every count and amount is additive over every column: group by quarter for
--   the quarterly view. Average exit survey score = sum(exit_survey_score_sum) / sum(exit_survey_responses);
--   recovery rate = sum(recovered_exits) / sum(product_exits).
-- Materialize: table
-- Columns:
--   month: First day of the month of the exit.
--   quarter: First day of the quarter of the exit.
--   region: Sales region of the customer who left.
--   segment: Business segment of the customer who left.
--   wealth_tier: Wealth tier of the customer who left.
--   product_category: Category of the product left ('Unknown' when the product is not in the catalogue).
--   reason: Main reason given for leaving.
--   product_exits: Exits (a customer leaving a product).
--   customer_churn_exits: Of them, exits on the day the customer's last open account closed.
--   recovered_exits: Of them, exits where the customer was won back afterwards.
--   lifetime_value: Revenue earned from the customers on the products they left, over the products' life.
--   exit_survey_score_sum: Sum of the exit survey scores given (1 to 5); empty when no exit was scored.
--   exit_survey_responses: Exits with an exit survey score.

with as_of as (
    select as_of_date from stg_data_as_of
),

exits as (
    select
        churn_events.churn_id,
        churn_events.customer_id,
        churn_events.churn_date,
        churn_events.churn_month as month,
        cast(date_trunc('quarter', churn_events.churn_date) as date) as quarter,
        churn_events.reason,
        churn_events.recovered,
        churn_events.lifetime_value,
        churn_events.exit_survey_score,
        coalesce(products.category, 'Unknown') as product_category,
        customers.region,
        customers.segment,
        customers.wealth_tier
    from stg_churn_events as churn_events
    cross join as_of
    inner join stg_customers as customers on churn_events.customer_id = customers.customer_id
    left join stg_products as products on churn_events.product_id = products.product_id
    where churn_events.churn_date <= as_of.as_of_date
),

churn_dates as (
    select customer_id, spell_end as churn_date
    from customer_activity_spells
    where spell_end is not null
),

final as (
    select
        exits.month,
        exits.quarter,
        exits.region,
        exits.segment,
        exits.wealth_tier,
        exits.product_category,
        exits.reason,
        count(*) as product_exits,
        count(churn_dates.customer_id) as customer_churn_exits,
        count(*) filter (where exits.recovered) as recovered_exits,
        sum(exits.lifetime_value) as lifetime_value,
        sum(exits.exit_survey_score) as exit_survey_score_sum,
        count(exits.exit_survey_score) as exit_survey_responses
    from exits
    left join churn_dates
        on exits.customer_id = churn_dates.customer_id
        and exits.churn_date = churn_dates.churn_date
    group by exits.month, exits.quarter, exits.region, exits.segment, exits.wealth_tier, exits.product_category,
        exits.reason
)

select * from final
