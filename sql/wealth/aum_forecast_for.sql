-- Answers: Where is AUM heading over the next twelve months, for the chosen regions, segments and wealth tiers?
-- Grain: one row per month end: every month end with data, then the twelve month ends after the last one.
-- Definition: A straight-line trend fitted by least squares (regr_slope / regr_intercept) to the month-end
--   AUM of the latest 24 month ends on or before the data as-of date (fewer when the history is shorter),
--   extended twelve months ahead. The band is forecast +/- 1.96 x the standard deviation of the fit's
--   residuals (sum of squared residuals / (months fitted - 2), square-rooted) x the square root of the
--   horizon in months, so it widens the further ahead it looks; the lower bound never goes below zero. It is a
--   trend line, not a model of markets or flows: it assumes the last two years' average monthly growth goes
--   on. Each parameter is a list of values to keep, or null for all: the forecast is fitted to the AUM of the
--   selection, so it is correct for any filter on these three attributes (forecasts of separate selections
--   should not be added up: their bands do not add). Other page filters (product category, ...) do not apply.
-- Parameters: regions, segments, wealth_tiers
-- Columns:
--   month_end: Month end.
--   aum: Actual AUM at the month end (sum of balances); empty for future month ends.
--   forecast: The trend line: fitted values over the 24 fitted month ends, then the forecast; empty for
--     earlier month ends.
--   lower: Lower bound of the 95% band for future month ends; empty for actuals.
--   upper: Upper bound of the 95% band for future month ends; empty for actuals.
--   is_forecast: True for the twelve future month ends.

with actuals as (
    select
        month_end,
        cast(sum(aum) as double) as aum
    from aum_monthly
    where (regions is null or list_contains(regions, region))
        and (segments is null or list_contains(segments, segment))
        and (wealth_tiers is null or list_contains(wealth_tiers, wealth_tier))
    group by month_end
),

month_numbers as (
    select
        month_end,
        aum,
        12 * year(month_end) + month(month_end) as month_number,
        row_number() over (order by month_end desc) as months_back
    from actuals
),

numbered as (
    -- Months are counted from the last actual month end (0, -1, ...; the future is 1..12), which keeps the
    -- intercept at the last month's level instead of extrapolating back to year zero and losing precision.
    select
        month_end,
        aum,
        month_number - max(month_number) over () as months_from_last,
        months_back
    from month_numbers
),

fit_window as (
    select * from numbered where months_back <= 24
),

trend as (
    select
        regr_slope(aum, months_from_last) as slope,
        regr_intercept(aum, months_from_last) as intercept,
        count(*) as fitted_months,
        max(month_end) as last_month_end
    from fit_window
),

residual_spread as (
    select
        sqrt(
            sum(power(fit_window.aum - (trend.intercept + trend.slope * fit_window.months_from_last), 2))
            / nullif(max(trend.fitted_months) - 2, 0)
        ) as residual_sd
    from fit_window
    cross join trend
),

future_horizons as (
    -- the twelve months after the last actual month end, numbered 1..12
    select unnest(generate_series(1, 12)) as horizon_months
),

future_months as (
    select
        last_day(cast(date_trunc('month', trend.last_month_end) as date)
            + future_horizons.horizon_months * interval 1 month) as month_end,
        future_horizons.horizon_months
    from future_horizons
    cross join trend
    where trend.last_month_end is not null  -- no actual month, nothing to forecast
),

future as (
    select
        future_months.month_end,
        future_months.horizon_months,
        trend.intercept + trend.slope * future_months.horizon_months as forecast
    from future_months
    cross join trend
),

history_rows as (
    select
        numbered.month_end,
        numbered.aum,
        case when numbered.months_back <= 24 then trend.intercept + trend.slope * numbered.months_from_last end
            as forecast,
        cast(null as double) as lower,
        cast(null as double) as upper,
        false as is_forecast
    from numbered
    cross join trend
),

future_rows as (
    select
        future.month_end,
        cast(null as double) as aum,
        future.forecast,
        greatest(future.forecast - 1.96 * residual_spread.residual_sd * sqrt(future.horizon_months), 0) as lower,
        future.forecast + 1.96 * residual_spread.residual_sd * sqrt(future.horizon_months) as upper,
        true as is_forecast
    from future
    cross join residual_spread
),

final as (
    select * from history_rows
    union all
    select * from future_rows
)

select * from final
