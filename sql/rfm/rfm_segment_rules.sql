-- Answers: Which RFM segment does each combination of recency, frequency and monetary scores belong to?
-- Grain: one row per rule; a segment may have several rules.
-- Definition: The rule table analysts edit as data: a customer belongs to the segment of the rule whose score
--   ranges (inclusive) contain their R, F and M scores. Every score combination must match exactly one rule (a test
--   checks all 125 codes 111 to 555). The defaults are the well-known segments, decided on the R and F scores
--   (M ranges over every score), from Champions (bought recently and often) to Lost (neither). Hibernating needs
--   two rules because the corner R = 1, F = 1 is Lost.
-- Columns:
--   rule_id: Unique rule number.
--   rfm_segment: Segment name.
--   description: What the segment's customers have in common, in business words.
--   segment_order: Sort order of the segment, best customers first.
--   r_score_min: Lowest recency score the rule matches.
--   r_score_max: Highest recency score the rule matches.
--   f_score_min: Lowest frequency score the rule matches.
--   f_score_max: Highest frequency score the rule matches.
--   m_score_min: Lowest monetary score the rule matches.
--   m_score_max: Highest monetary score the rule matches.

with rules as (
    select *
    from (
        values
            (1, 'Champions', 'Bought very recently, buy often and spend the most.', 1, 5, 5, 4, 5, 1, 5),
            (2, 'Loyal', 'Buy regularly and recently; respond to loyalty offers.', 2, 3, 4, 4, 5, 1, 5),
            (3, 'Potential Loyalist', 'Recent customers with average frequency who could become loyal.', 3,
                4, 5, 2, 3, 1, 5),
            (4, 'New', 'Bought very recently but only once or twice.', 4, 5, 5, 1, 1, 1, 5),
            (5, 'Promising', 'Recent customers who have not bought much yet.', 5, 4, 4, 1, 1, 1, 5),
            (6, 'Need Attention', 'Middling recency and frequency: slipping without a nudge.', 6, 3, 3, 3, 3, 1, 5),
            (7, 'About to Sleep', 'Below-average recency and frequency: will be lost without reactivation.', 7,
                3, 3, 1, 2, 1, 5),
            (8, 'At Risk', 'Used to buy often, but not for a long time.', 8, 1, 2, 3, 4, 1, 5),
            (9, 'Can''t Lose Them', 'Were among the most frequent buyers and have not come back for a long time.', 9,
                1, 2, 5, 5, 1, 5),
            (10, 'Hibernating', 'Last bought long ago and rarely.', 10, 2, 2, 1, 2, 1, 5),
            (11, 'Hibernating', 'Last bought long ago and rarely.', 10, 1, 1, 2, 2, 1, 5),
            (12, 'Lost', 'Lowest recency and frequency: bought long ago, once or twice.', 11, 1, 1, 1, 1, 1, 5)
    ) as rule_values (
        rule_id, rfm_segment, description, segment_order,
        r_score_min, r_score_max, f_score_min, f_score_max, m_score_min, m_score_max
    )
),

final as (
    select
        rule_id,
        rfm_segment,
        description,
        segment_order,
        r_score_min,
        r_score_max,
        f_score_min,
        f_score_max,
        m_score_min,
        m_score_max
    from rules
)

select * from final
