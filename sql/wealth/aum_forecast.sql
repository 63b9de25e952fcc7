-- Answers: Where is the bank's total AUM heading over the next twelve months?
-- Grain: one row per month end: every month end with data, then the twelve month ends after the last one.
-- Definition: aum_forecast_for with no selection: a straight-line trend fitted to the total month-end AUM of
--   the latest 24 month ends, extended twelve months, with a band of +/- 1.96 residual standard deviations x
--   the square root of the horizon (see aum_forecast_for, which also forecasts a selection of regions,
--   segments and wealth tiers).
-- Materialize: table
-- Columns:
--   month_end: Month end.
--   aum: Actual AUM at the month end (sum of balances); empty for future month ends.
--   forecast: The trend line: fitted values over the 24 fitted month ends, then the forecast; empty for
--     earlier month ends.
--   lower: Lower bound of the 95% band for future month ends; empty for actuals.
--   upper: Upper bound of the 95% band for future month ends; empty for actuals.
--   is_forecast: True for the twelve future month ends.

with final as (
    select * from aum_forecast_for(null, null, null)
)

select * from final
