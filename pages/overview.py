"""Overview: the bank at a glance for the chosen period and groups."""


from app import charts
from app import columns as c
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.queries import overview
from warehouse.queries.common import has_rows

page = Page("Overview", "How is the bank doing: customers, revenue, wealth, lending and service, at a glance?")
ctx, money = page.context, page.currency
regions = page.selection("overview.region", "Region")  # a click on "Revenue by region" narrows the page
page.stop_unless(has_rows(ctx.db, "stg_customers"), "customers")
data = overview.load(ctx.db, ctx.scope, selected_regions=tuple(regions))
figures, trends = data["kpis"], data["trends"]

page.kpis([
    Kpi("Customers", figures["customers"], "count", trend=trends["customers"], help="Active at the period end."),
    Kpi("Revenue", figures["revenue"], "money", trend=trends["revenue"],
        help="Loan interest, wealth fees and card interchange earned in the period."),
    Kpi("AUM", figures["aum"], "money", trend=trends["aum"], help="Assets under management at the period end."),
    Kpi("Net flows", figures["net_flows"], "money", trend=trends["net_flows"],
        help="Contributions minus withdrawals in the period."),
])
page.kpis([
    Kpi("Active loans", figures["active_loans"], "count", trend=trends["active_loans"], help="At the period end."),
    Kpi("Loans issued", figures["loans_issued"], "count", trend=trends["loans_issued"]),
    Kpi("Avg satisfaction", figures["satisfaction"], "score", help="Average score (1 to 5) given after service "
        "contacts in the period.", target=4.0),
    Kpi("Retention", figures["retention"], "percent", help="Share of the customers active at the period start "
        "who were still active at its end."),
])

left, right = page.row()
by_region = data["revenue_by_region"]
region, revenue = c.text("region", "Region"), c.money("revenue", "Revenue")
revenue_parts = [c.money("loan_interest_income", "Loan interest"), c.money("fee_income", "Wealth fees"),
                 c.money("card_interchange_income", "Card interchange")]
page.chart(left, "Revenue by region", Chart(charts.bar,
    by_region, region, revenue, currency=money, select="pick", selected=regions, extra_tooltip=revenue_parts),
    by_region, [region, revenue, *revenue_parts], select="overview.region",
    caption="Click a region to focus the page on it.")

forecast = data["forecast"]
month_end, aum = c.day("month_end", "Month end"), c.money("aum", "AUM")
band = (c.money("lower", "Forecast low (95%)"), c.money("upper", "Forecast high (95%)"))
page.chart(right, "AUM trend and twelve-month forecast", Chart(charts.line,
    forecast.with_columns(forecast["aum"].fill_null(forecast["forecast"]).alias("aum")), c.month("month_end"), aum,
    currency=money, pending="is_forecast", pending_labels=("Actual", "Forecast"), band=band, y_zero=False,
    extra_tooltip=band),
    forecast, [month_end, aum, c.money("forecast", "Trend / forecast"), *band],
    caption="Dashed: forecast from the trend of the last 24 month ends; shaded: its 95% band.")

left, right = page.row()
category, category_aum = c.text("product_category", "Product category"), c.money("aum", "AUM")
page.chart(left, "AUM by product category at the period end", Chart(charts.bar,
    data["aum_by_category"], category, category_aum, currency=money,
    extra_tooltip=[c.count("accounts", "Accounts")]), data["aum_by_category"],
    [category, category_aum, c.count("accounts", "Accounts")])
states = data["customers_by_state"]
state, customers = c.text("state", "State"), c.count("customers", "Active customers")
page.chart(right, "Customers by state (top 15)", Chart(charts.bar, states.head(15), state, customers,
                                                                    currency=money), states, [state, customers])

page.table("Regions in the period", data["region_summary"], [
    region, c.count("customers", "Customers"), revenue, c.money("aum", "AUM at period end"),
    c.money("net_flows", "Net flows"), c.count("active_loans", "Active loans"),
    c.count("loans_issued", "Loans issued"), c.money("amount_issued", "Amount lent"),
], key="overview_regions")
page.finish()
