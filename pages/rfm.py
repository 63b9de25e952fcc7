"""RFM & campaigns: who the best card customers are, what they spend and where, and whether campaigns convert."""

import streamlit as st

from app import charts, export, rfm_charts
from app import columns as c
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.queries import rfm
from warehouse.scope import month_end

GRAIN_NAMES = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}

page = Page("RFM & campaigns", "Who are our best card customers, what and where do they buy, and do our campaigns "
            "convert them?")
ctx, money = page.context, page.currency
as_of = f"{ctx.as_of:%b %d, %Y}" if ctx.as_of else "the data's as-of date"

page.stop_unless(rfm.has_data(ctx.db), "card transactions and marketing campaigns")

chosen = page.selection("rfm.segment", "RFM segment")  # a click on "Customers by RFM segment" focuses the page
focus = f": {', '.join(chosen)}" if chosen else ""

# the page is laid out first and filled once the data is loaded: the controls sit above what they change
cards = st.container()
segment_column, grid_column = page.row()
grain = st.segmented_control(
    "Show card sales by", list(GRAIN_NAMES), format_func=GRAIN_NAMES.get, default=rfm.DEFAULT_GRAIN,
    key="rfm.grain", bind="query-params", required=True) or rfm.DEFAULT_GRAIN
trend_area = st.container()
category_column, conversion_column = page.row()
campaign_area = st.container()

search_column, export_column = st.columns([3, 1], vertical_alignment="bottom")
search = search_column.text_input(
    "Search card customers by id or name", key="rfm.search", placeholder="e.g. C00000179 or Adams",
    icon=":material/search:") or ""

data = rfm.load(ctx.db, ctx.scope, selected_segments=tuple(chosen), grain=grain, search=search)
figures = data["kpis"]

# -- headline numbers ---------------------------------------------------------------------------------------------
with cards:
    page.kpis([
        Kpi("Scored customers", figures["customers"], "count",
            help=f"Customers with approved card spend in the 365 days to {as_of}, scored 1 to 5 on recency, "
            "frequency and spend."),
        Kpi("Card sales", figures["sales"], "money", trend=data["monthly_sales"]["sales"],
            help="Approved card spend in the period."),
        Kpi("Spend per customer", figures["average_spend"], "money",
            help="Card sales in the period divided by the customers who bought by card in it."),
        Kpi("Top-segment spend", figures["top_share"], "percent",
            help=f"Share of the last 365 days' card spend (to {as_of}) that comes from Champions and Loyal "
            "customers, in the chosen regions, segments and tiers."),
        Kpi("Conversion rate", figures["conversion_rate"], "percent",
            help="Contacted customers who bought the offer, of all contacted, for campaigns started in the period."),
    ])

# -- segments -------------------------------------------------------------------------------------------------
segments = data["segments"]
rfm_segment, customers = c.text("rfm_segment", "RFM segment"), c.count("customers", "Customers")
segment_details = [c.money("sales", "Card spend (365 days)"), c.percent("share_of_sales", "Share of spend"),
                   c.money("average_spend", "Average spend"),
                   c.number("average_recency_days", "Days since last purchase (avg)")]
page.chart(segment_column, "Customers by RFM segment", Chart(charts.bar,
    segments, rfm_segment, customers, currency=money, sort_by_value=False, select="pick", selected=chosen,
    extra_tooltip=[c.percent("share_of_customers", "Share of customers"), *segment_details]),
    segments, [rfm_segment, customers, c.percent("share_of_customers", "Share of customers"), *segment_details],
    select="rfm.segment",
    caption=f"Best segments first. Scores as of {as_of}, from the last 365 days of card spend. Click a segment "
    "to focus the grid, sales, categories and customer table on it.")

grid = data["rf_grid"]
page.chart(grid_column, f"Customers by recency and frequency score{focus}",
           Chart(rfm_charts.rf_grid, grid, currency=money), grid,
           [c.count("r_score", "Recency score"), c.count("f_score", "Frequency score"), customers,
            c.money("sales", "Card spend (365 days)"), rfm_segment],
           caption="Top right: bought recently and often. Bottom left: neither.")

# -- sales ------------------------------------------------------------------------------------------------------
trend = data["sales_trend"]
page.chart(trend_area, f"Card sales by {GRAIN_NAMES[grain].lower()}{focus}",
           Chart(rfm_charts.sales_trend, trend, currency=money, grain=grain), trend,
           [c.day("period", "Period start"), c.text("period_label", "Period"), c.money("sales", "Card sales"),
            c.count("transactions", "Transactions"), c.money("average_ticket", "Average ticket")],
           caption="Dashed and lighter: a first or last period the chosen dates cut short."
           if trend.height and trend["partial"].any() else None)

categories = data["sales_by_category"]
category, category_sales = c.text("merchant_category", "Business category"), c.money("sales", "Card sales")
category_details = [c.count("transactions", "Transactions"), c.percent("share_of_sales", "Share of sales")]
whole_months = ctx.scope.start == ctx.scope.first_month and ctx.scope.end == month_end(ctx.scope.end)
page.chart(category_column, f"Card sales by business category{focus}", Chart(charts.bar,
    categories, category, category_sales, currency=money, extra_tooltip=category_details),
    categories, [category, category_sales, *category_details],
    caption=None if whole_months else "Whole months: every month the period touches.")

# -- campaigns --------------------------------------------------------------------------------------------------
by_segment = data["conversions_by_segment"]
conversion_rate = c.percent("conversion_rate", "Conversion rate")
conversion_details = [c.count("contacts", "Customers contacted"), c.count("conversions", "Conversions"),
                      c.percent("response_rate", "Response rate"), c.money("revenue", "Attributed revenue")]
page.chart(conversion_column, "Campaign conversion rate by RFM segment", Chart(charts.bar,
    by_segment, rfm_segment, conversion_rate, currency=money, sort_by_value=False, selected=chosen,
    extra_tooltip=conversion_details), by_segment, [rfm_segment, conversion_rate, *conversion_details],
    caption=f"Campaigns started in the period, by the contacted customers' segment as of {as_of}. "
    "Not scored: no card spend in the last 365 days.")

campaign_columns = [
    c.text("campaign_name", "Campaign"), c.text("channel", "Channel"),
    c.day("start_date", "Start"), c.money("budget", "Budget"),
    c.count("contacts", "Contacted"), c.count("conversions", "Converted"),
    c.percent("conversion_rate", "Conversion rate"), c.money("revenue", "Attributed revenue"),
    c.money("cost_per_conversion", "Cost per conversion"), c.percent("roi", "ROI"),
]
if not data["whole_campaigns"]:
    campaign_columns = [col for col in campaign_columns if col.name not in ("budget", "cost_per_conversion", "roi")]
with campaign_area:
    page.table("Campaigns started in the period", data["campaigns"], campaign_columns, key="rfm_campaigns",
               caption=None if data["whole_campaigns"] else "Contacts and results of the chosen regions, segments and "
               "tiers only. Budget, cost per conversion and ROI are whole-campaign figures: clear those filters "
               "to see them.")

# -- customers --------------------------------------------------------------------------------------------------
TARGET_COLUMNS = [
    c.text("customer_id", "Customer id"), c.text("full_name", "Name"), c.text("email", "Email"),
    c.text("region", "Region"), c.text("segment", "Business segment"), c.text("wealth_tier", "Wealth tier"),
    c.text("rfm_segment", "RFM segment"), c.text("rfm_code", "RFM code"), c.count("r_score", "Recency score"),
    c.count("f_score", "Frequency score"), c.count("m_score", "Monetary score"),
    c.day("last_transaction_date", "Last purchase"), c.count("frequency", "Purchases (365 days)"),
    c.money("monetary", "Spend (365 days)"),
]
scope, picked = ctx.scope, tuple(chosen)
export_column.download_button(
    "Export target list", lambda: export.csv(rfm.target_list(ctx.db, scope, picked), TARGET_COLUMNS),
    file_name=f"target-list-{'-'.join(picked).lower().replace(' ', '-').replace(chr(39), '')}.csv",
    mime="text/csv", icon=":material/download:", key="rfm.target_list", on_click="ignore", disabled=not picked,
    width="stretch",
    help="CSV of every customer in the selected segments (id, name, email, region, segment, RFM code and "
    "scores) in the chosen regions, segments and tiers." if picked else
    "Click one or more segments in \"Customers by RFM segment\" to choose whom to target.")

table = data["customers"]
matching = int(table["matching"][0]) if table.height else 0
note = (f"The {table.height:,} biggest spenders of {matching:,} matching customers; search by id or name to find "
        "others." if matching > table.height else None)
page.table(f"Customers{focus}" + (f" matching \"{search.strip()}\"" if search.strip() else ""), table, [
    c.text("customer_id", "Customer id"), c.text("full_name", "Name"), rfm_segment,
    c.text("rfm_code", "RFM code", help="Recency, frequency and monetary scores, each 1 (lowest) to 5 (best)."),
    c.money("monetary", "Spend (365 days)"), c.count("frequency", "Purchases (365 days)"),
    c.count("recency_days", "Days since last purchase"), c.day("last_transaction_date", "Last purchase"),
    c.text("region", "Region"), c.text("segment", "Business segment"), c.text("wealth_tier", "Wealth tier"),
], key="rfm_customers", customer_column="customer_id", caption=note)
page.finish()
