-- Answers: Which assumed rates does the revenue estimate use?
-- Grain: one row for the whole warehouse.
-- Definition: The rates the data does not hold, declared once so analysts can change them in one place (edit
--   the value, then re-apply the views). The card interchange rate is the share of approved card spend the
--   bank earns as interchange: 1.5%, a typical blended rate for consumer credit and debit cards.
-- Columns:
--   card_interchange_rate: Interchange earned per unit of approved card spend (0.015 = 1.5%).

with final as (
    select cast(0.015 as double) as card_interchange_rate
)

select * from final
