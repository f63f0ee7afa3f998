"""Chart builders: selections, tooltips, size independent of the number of responses, image export."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lib.present import breakdowns, charts
from lib.sample import SAMPLE_COLUMNS, SAMPLE_MAPPING, make_sample
from lib.figures.summary import Settings, summarize
from lib.survey.frame import load_survey


@pytest.fixture(scope="module")
def summary():
    files = make_sample()
    c = load_survey(files["customer_survey.xlsx"], "customer_survey.xlsx")
    e = load_survey(files["employee_survey.xlsx"], "employee_survey.xlsx", columns=SAMPLE_COLUMNS)
    return summarize(c, e, settings=Settings(mapping=tuple(SAMPLE_MAPPING.items())))


def all_charts(s):
    k = s.settings.min_group
    points = breakdowns.linkage_points(s)
    return {
        "nps_by_department": charts.nps_by_department(breakdowns.nps_by_department(s)),
        "nps_shares": charts.nps_shares(breakdowns.nps_shares(s)),
        "score_distribution": charts.score_distribution(breakdowns.score_distribution(s)),
        "nps_trend": charts.nps_trend(breakdowns.nps_trend(s, "M")),
        "engagement": charts.engagement_by_department(breakdowns.engagement_by_department(s), k),
        "enps": charts.enps_by_department(breakdowns.engagement_by_department(s)),
        "heatmap": charts.item_heatmap(breakdowns.item_favorability(s), "difference", k),
        "diverging": charts.item_diverging(breakdowns.item_distribution(s)),
        "scatter": charts.linkage_scatter(points, breakdowns.fitted_line(points)),
        "drivers": charts.drivers(breakdowns.drivers(s)),
    }


def test_every_chart_has_tooltips_and_department_charts_select(summary):
    for name, chart in all_charts(summary).items():
        spec = json.dumps(chart.to_dict())
        assert '"tooltip"' in spec, name
        if name in ("nps_by_department", "nps_shares", "engagement", "heatmap", "scatter"):
            assert f'"name": "{charts.SELECTION}"' in spec and '"fields": ["department"]' in spec, name


def test_chart_size_does_not_grow_with_responses(summary):
    sizes = {name: charts.spec_size(c) for name, c in all_charts(summary).items()}
    assert max(sizes.values()) < 200_000, sizes


def test_suppressed_departments_carry_no_figures_in_charts(summary):
    heat = breakdowns.item_favorability(summary)
    hidden = heat[heat["department"] == "Pharmacy Services"]
    assert len(hidden) and hidden["suppressed"].all() and hidden["favorable_pct"].isna().all()
    eng = breakdowns.engagement_by_department(summary)
    row = eng[eng["department"] == "Pharmacy Services"].iloc[0]
    assert row["suppressed"] and np.isnan(row["engagement"]) and np.isnan(row["enps"])
    assert "Pharmacy Services" not in breakdowns.linkage_points(summary)["department"].tolist()


def test_png_and_svg_export(summary):
    chart = charts.nps_by_department(breakdowns.nps_by_department(summary))
    assert charts.to_image(chart, "png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in charts.to_image(chart, "svg")[:400]


def test_trend_matches_a_direct_count(summary):
    trend = breakdowns.nps_trend(summary, "Q")
    assert trend["n"].sum() == summary.nps.n
    f = summary.customer.frame
    first = trend.iloc[0]
    q = f[(f["date"] >= first["period"]) & (f["date"] < first["period"] + pd.offsets.QuarterBegin(startingMonth=1))]
    s = q["recommend"].dropna()
    assert first["n"] == len(s)
    assert first["nps"] == pytest.approx(100 * ((s >= 9).mean() - (s <= 6).mean()))


def test_drivers_rank_statements(summary):
    d = breakdowns.drivers(summary)
    assert len(d) == len(summary.employee.items)
    assert (d["departments"] == summary.linkage.result.n).all()
    assert d["r"].is_monotonic_decreasing


def test_answers_per_statement_show_what_people_answered():
    """A reverse-worded statement is scored reversed, but its answer distribution is shown as answered."""
    data = make_sample()["employee_survey.xlsx"]
    leaving = "I often think about leaving this organisation"
    plain = load_survey(data, "e.xlsx")
    flipped = load_survey(data, "e.xlsx", columns=SAMPLE_COLUMNS)
    a = breakdowns.item_distribution(summarize(None, plain))
    b = breakdowns.item_distribution(summarize(None, flipped))
    def counts(d):
        return d[d["statement"] == leaving].set_index("point")["count"].to_dict()

    assert counts(a) == counts(b)
    assert summarize(None, plain).engagement.index != summarize(None, flipped).engagement.index
