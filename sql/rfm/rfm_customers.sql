-- Answers: Which RFM segment is each card customer in today, and how recently, often and much do they spend?
-- Grain: one row per customer with at least one approved card transaction in the window ending on the data as-of
--   date.
-- Definition: rfm_scores_as_of at the data as-of date (stg_data_as_of.as_of_date), stored as a table because
--   ranking every customer over a year of transactions is the heaviest RFM step. For another analysis date use the
--   table macro rfm_scores_as_of directly.
-- Materialize: table
-- Columns:
--   customer_id: Customer.
--   region: Customer's sales region.
--   segment: Customer's business segment (Retail, Small Business, Corporate), not the RFM segment.
--   wealth_tier: Customer's wealth tier.
--   as_of_date: Analysis date the scores are computed at (the data as-of date).
--   last_transaction_date: Date of the customer's last approved card transaction on or before the as-of date.
--   recency_days: Days from last_transaction_date to the as-of date.
--   frequency: Approved card transactions in the window.
--   monetary: Amount of the approved card transactions in the window.
--   r_score: Recency score, 1 (longest ago) to score_buckets (most recent).
--   f_score: Frequency score, 1 (fewest) to score_buckets (most).
--   m_score: Monetary score, 1 (least spent) to score_buckets (most).
--   rfm_code: The three scores written together, e.g. '545'.
--   rfm_segment: RFM segment from rfm_segment_rules, e.g. Champions.
--   rfm_segment_order: Sort order of the RFM segment, best customers first.

with scores as (
    select * from rfm_scores_as_of((select as_of_date from stg_data_as_of))
),

final as (
    select * from scores
)

select * from final
