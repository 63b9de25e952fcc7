-- Answers: How many customers are in each RFM segment, how much do they spend, and what share of card sales do
--   they bring?
-- Grain: one row per RFM segment x region x segment x wealth tier.
-- Definition: Summed from rfm_customers (customers with approved card activity in the window ending on the data
--   as-of date), so sales are approved card spend in that window. Every count and sum is additive; compute ratios
--   for any selection after filtering: share of sales = sum(sales) of the segment / sum(sales) of all selected
--   rows; average recency = sum(recency_days_sum) / sum(customers); average frequency = sum(transactions) /
--   sum(customers); average monetary = sum(sales) / sum(customers); average R score = sum(r_score_sum) /
--   sum(customers), and likewise for F and M.
-- Columns:
--   rfm_segment: RFM segment, e.g. Champions.
--   rfm_segment_order: Sort order of the RFM segment, best customers first.
--   region: Customers' sales region.
--   segment: Customers' business segment (Retail, Small Business, Corporate).
--   wealth_tier: Customers' wealth tier.
--   customers: Customers in the RFM segment.
--   sales: Their approved card spend in the window (sum of monetary).
--   transactions: Their approved card transactions in the window (sum of frequency).
--   recency_days_sum: Sum of their recency in days.
--   r_score_sum: Sum of their recency scores.
--   f_score_sum: Sum of their frequency scores.
--   m_score_sum: Sum of their monetary scores.

with scored_customers as (
    select rfm_segment, rfm_segment_order, region, segment, wealth_tier, monetary, frequency, recency_days, r_score,
        f_score, m_score
    from rfm_customers
),

final as (
    select
        rfm_segment,
        rfm_segment_order,
        region,
        segment,
        wealth_tier,
        count(*) as customers,
        sum(monetary) as sales,
        cast(sum(frequency) as bigint) as transactions,
        cast(sum(recency_days) as bigint) as recency_days_sum,
        cast(sum(r_score) as bigint) as r_score_sum,
        cast(sum(f_score) as bigint) as f_score_sum,
        cast(sum(m_score) as bigint) as m_score_sum
    from scored_customers
    group by rfm_segment, rfm_segment_order, region, segment, wealth_tier
)

select * from final
