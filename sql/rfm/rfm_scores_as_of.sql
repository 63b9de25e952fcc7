-- Answers: How recently, how often and how much did each card customer spend as of an analysis date, how do they
--   score on each, and which RFM segment are they in?
-- Grain: one row per customer with at least one approved card transaction in the window ending on the analysis
--   date.
-- Definition: Only approved card transactions count. The window is rfm_settings.window_days days ending on as_of
--   (included; 365 by default). Recency = days from the customer's last approved transaction in the window to
--   as_of; frequency = approved transactions in the window; monetary = their amount. Customers without approved
--   activity in the window are not scored (they are not ranked as the worst, they are left out). Each measure is
--   scored into rfm_settings.score_buckets equal-sized groups exactly as ntile does (the first groups take one
--   customer more when the count does not divide evenly), ranking the scored customers by the measure and then by
--   customer_id so ties are broken the same way every time. Recency is ranked from the longest to the shortest
--   time, so more recent = higher score; frequency and monetary from lowest to highest, so higher = better.
--   The segment comes from rfm_segment_rules. Pass the analysis date as a DATE: rfm_scores_as_of(date '2024-06-30').
-- Parameters: as_of
-- Columns:
--   customer_id: Customer.
--   region: Customer's sales region.
--   segment: Customer's business segment (Retail, Small Business, Corporate), not the RFM segment.
--   wealth_tier: Customer's wealth tier.
--   as_of_date: Analysis date the scores are computed at.
--   last_transaction_date: Date of the customer's last approved card transaction on or before the analysis date.
--   recency_days: Days from last_transaction_date to the analysis date.
--   frequency: Approved card transactions in the window.
--   monetary: Amount of the approved card transactions in the window.
--   r_score: Recency score, 1 (longest ago) to score_buckets (most recent).
--   f_score: Frequency score, 1 (fewest) to score_buckets (most).
--   m_score: Monetary score, 1 (least spent) to score_buckets (most).
--   rfm_code: The three scores written together, e.g. '545'.
--   rfm_segment: RFM segment from rfm_segment_rules, e.g. Champions.
--   rfm_segment_order: Sort order of the RFM segment, best customers first.

with scoring as (
    select
        cast(as_of as date) as as_of_date,
        score_buckets,
        window_days
    from rfm_settings
),

window_transactions as (
    select
        transactions.customer_id,
        transactions.transaction_date,
        transactions.amount,
        scoring.as_of_date
    from stg_card_transactions as transactions
    cross join scoring
    where transactions.status = 'Approved'
        and transactions.transaction_date <= scoring.as_of_date
        and transactions.transaction_date > cast(scoring.as_of_date - scoring.window_days * interval 1 day as date)
),

measures as (
    select
        customer_id,
        as_of_date,
        max(transaction_date) as last_transaction_date,
        date_diff('day', max(transaction_date), as_of_date) as recency_days,
        count(*) as frequency,
        sum(amount) as monetary
    from window_transactions
    group by customer_id, as_of_date
),

-- 0-based rank of each customer on each measure, worst first, plus the ntile group sizes: with n customers and
-- b buckets every bucket holds n // b customers and the first n % b buckets one more
ranked as (
    select
        measures.*,
        row_number() over (order by measures.recency_days desc, measures.customer_id) - 1 as recency_rank,
        row_number() over (order by measures.frequency, measures.customer_id) - 1 as frequency_rank,
        row_number() over (order by measures.monetary, measures.customer_id) - 1 as monetary_rank,
        count(*) over () // scoring.score_buckets as small_bucket_size,
        count(*) over () % scoring.score_buckets as large_buckets
    from measures
    cross join scoring
),

scored as (
    select
        *,
        1 + case
            when recency_rank < large_buckets * (small_bucket_size + 1) then recency_rank // (small_bucket_size + 1)
            else (recency_rank - large_buckets) // small_bucket_size
        end as r_score,
        1 + case
            when frequency_rank < large_buckets * (small_bucket_size + 1)
                then frequency_rank // (small_bucket_size + 1)
            else (frequency_rank - large_buckets) // small_bucket_size
        end as f_score,
        1 + case
            when monetary_rank < large_buckets * (small_bucket_size + 1) then monetary_rank // (small_bucket_size + 1)
            else (monetary_rank - large_buckets) // small_bucket_size
        end as m_score
    from ranked
),

final as (
    select
        scored.customer_id,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        scored.as_of_date,
        scored.last_transaction_date,
        cast(scored.recency_days as integer) as recency_days,
        scored.frequency,
        scored.monetary,
        cast(scored.r_score as integer) as r_score,
        cast(scored.f_score as integer) as f_score,
        cast(scored.m_score as integer) as m_score,
        concat(cast(scored.r_score as varchar), cast(scored.f_score as varchar), cast(scored.m_score as varchar))
            as rfm_code,
        rules.rfm_segment,
        rules.segment_order as rfm_segment_order
    from scored
    inner join stg_customers as customers on scored.customer_id = customers.customer_id
    left join rfm_segment_rules as rules
        on scored.r_score between rules.r_score_min and rules.r_score_max
        and scored.f_score between rules.f_score_min and rules.f_score_max
        and scored.m_score between rules.m_score_min and rules.m_score_max
)

select * from final
