-- Answers: Which thresholds do the default and cure measures use?
-- Grain: one row for the whole warehouse.
-- Definition: The constants of the receivables measures, declared once so every view applies the same ones.
--   A bill counts as fully paid when what is still outstanding is at most default_tolerance (rounding
--   differences and small residues are not worth collecting); the position views show exact amounts and do not
--   use it. Change a value here and re-apply the views to change every measure that depends on it.
-- Columns:
--   default_tolerance: Largest outstanding amount (in the data's currency) at which a bill still counts as
--     fully paid: 1.00.
--   cure_window_days: Days after a collection action within which the bill must be fully paid for the action
--     to count as curing it: 14.

with settings as (
    select
        cast(1.00 as decimal(18, 2)) as default_tolerance,
        14 as cure_window_days
),

final as (
    select
        default_tolerance,
        cure_window_days
    from settings
)

select * from final
