"""Chart builders: selections, tooltips, size independent of the number of responses, image export."""

from __future__ import annotations

import json
import re

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


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_images_are_what_altair_saves(summary, lang):
    """One layout for both formats gives byte for byte the PNG (at twice the size) and SVG that Altair's save gives."""
    import io

    for chart in (charts.nps_by_department(breakdowns.nps_by_department(summary)),
                  charts.item_heatmap(breakdowns.item_favorability(summary), "favorable_pct", 5)):
        chart = charts.localized(chart, lang)
        png, svg = io.BytesIO(), io.StringIO()
        chart.save(png, format="png", scale_factor=2)
        chart.save(svg, format="svg")
        ours_png, ours_svg = charts.images(chart)
        assert ours_png == png.getvalue()

        def named(text: str) -> str:  # views, gradients and clips are numbered afresh each time a chart is written
            return re.sub(r"view_[0-9a-f]+|gradient_[0-9]+|clip[0-9]+", "id", text)
        assert named(ours_svg.decode("utf-8")) == named(svg.getvalue())


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


# --- what the charts promise (issue 23): read off each chart's Vega-Lite specification --------------------------------


def _layers(spec: dict) -> list[dict]:
    """Every single-view layer of a (nested) layered specification."""
    if "layer" in spec:
        return [x for layer in spec["layer"] for x in _layers(layer)]
    return [spec]


def _mark(layer: dict) -> str:
    mark = layer.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def _rows(spec: dict, layer: dict | None = None) -> list[dict]:
    """The data rows a layer draws (its own data, else the chart's)."""
    data = (layer or {}).get("data") or spec.get("data") or {}
    if "values" in data:
        return data["values"]
    return spec.get("datasets", {}).get(data.get("name"), [])


@pytest.fixture(scope="module")
def sources():
    files = make_sample()
    c = load_survey(files["customer_survey.xlsx"], "customer_survey.xlsx")
    e = load_survey(files["employee_survey.xlsx"], "employee_survey.xlsx", columns=SAMPLE_COLUMNS)
    return c, e, Settings(mapping=tuple(SAMPLE_MAPPING.items()))


def test_bar_charts_have_a_zero_rule_and_their_values_printed(summary):
    from lib.present import model

    by_dept = breakdowns.nps_by_department(summary)
    employees = breakdowns.engagement_by_department(summary)
    cases = [(charts.nps_by_department(by_dept), "nps", by_dept["nps"]),
             (charts.enps_by_department(employees), "enps", employees.loc[~employees["suppressed"], "enps"])]
    for chart, field, values in cases:
        spec = chart.to_dict()
        layers = _layers(spec)
        zero = [x for x in layers if _mark(x) == "rule" and x["encoding"].get("x", {}).get("field") == "zero"]
        assert zero and _rows(spec, zero[0]) == [{"zero": 0}], field
        labels = [x for x in layers if _mark(x) == "text" and x["encoding"].get("text", {}).get("field") == "value"]
        assert len(labels) == 2, field  # right of a positive bar, left of a negative one
        printed = {r["department"]: r["value"] for r in _rows(spec) if r.get(field) is not None}
        shown = values.dropna()
        assert len(printed) == len(shown) and set(printed.values()) == {model.number(v) for v in shown}, field
    engagement = charts.engagement_by_department(employees, summary.settings.min_group).to_dict()
    assert [x for x in _layers(engagement) if _mark(x) == "text" and x["encoding"]["text"]["field"] == "value"]


@pytest.mark.parametrize("lang", ["en", "sv", "fi"])
def test_legends_are_not_clipped(summary, lang):
    """Every legend of named groups has no label limit (Vega's labelLimit 0), or one wider than its longest label."""
    from lib.i18n import set_language

    set_language(lang)
    try:
        found = 0
        for name, chart in all_charts(summary).items():
            spec = chart.to_dict()
            for layer in _layers(spec):
                color = layer.get("encoding", {}).get("color", {})
                if color.get("type") != "nominal" or color.get("legend", {}) is None:
                    continue
                names = {str(r.get(color["field"])) for r in _rows(spec, layer)}
                legend = color.get("legend", {})
                assert "labelLimit" in legend, name  # Vega's default clips at 160 px ("Promote…")
                assert legend["labelLimit"] == 0 or legend["labelLimit"] >= 8 * max(map(len, names)), (name, legend)
                found += 1
        assert found >= 3  # promoter groups, score distribution, answers per statement
    finally:
        set_language("en")


@pytest.mark.parametrize("lang, quarter, month, week", [
    ("en", "Q1 2026", "January 2026", "week 45, 2025"),
    ("sv", "K1 2026", "januari 2026", "vecka 45, 2025"),
    ("fi", "1. nelj. 2026", "tammikuu 2026", "viikko 45/2025")])
def test_time_axes_name_the_period_in_the_language(sources, lang, quarter, month, week):
    """The time axis is nominal, in time order, horizontal, and its labels are the periods' names in the session's
    language, as the chart's data carries them."""
    from lib.figures import periods
    from lib.figures.filters import Filters
    from lib.i18n import set_language

    c, e, settings = sources
    set_language(lang)
    try:
        for kind, expected in (("quarter", quarter), ("month", month), ("week", week)):
            table = breakdowns.period_table(periods.by_period(c, e, Filters(), settings, kind), kind)
            named = charts.period_labels(table)["short"].tolist()
            for chart in (charts.period_trend(table), charts.engagement_trend(table)):
                spec = chart.to_dict()
                axes = [x["encoding"]["x"] for x in _layers(spec) if "x" in x.get("encoding", {})] or [
                    spec["encoding"]["x"]]
                assert all(a["field"] == "short" and a["type"] == "nominal" and a.get("sort", "x") is None
                           and a["axis"]["labelAngle"] == 0 for a in axes), (kind, axes)
                labels = [r["short"] for r in _rows(spec)]
                assert labels and labels == [x for x in named if x in labels], (kind, labels)  # named, in time order
            assert expected in [r["short"] for r in _rows(charts.period_trend(table).to_dict())], (kind, named[:4])
    finally:
        set_language("en")


def test_an_incomplete_period_is_marked(sources):
    from lib.figures import periods
    from lib.figures.filters import Filters
    from lib.i18n import set_language

    c, e, settings = sources
    set_language("sv")
    try:
        table = breakdowns.period_table(periods.by_period(c, e, Filters(), settings, "quarter"), "quarter")
        assert table["incomplete"].iloc[-1] and not table["incomplete"].all()
        rows = _rows(charts.period_trend(table).to_dict())
        marked = [r["short"] for r in rows if r["short"].endswith(" *")]
        assert marked == [r["short"] for r, inc in zip(rows, table["incomplete"]) if inc]
        assert rows[-1]["short"] in marked and all("ofullständig" in x for x in marked)
    finally:
        set_language("en")


def test_statement_names_are_wrapped_on_lines_not_cut(summary):
    """The statement axis has no label limit and wraps names on whole words; drawn, every word of every statement is
    on the chart and nothing ends in "…"."""
    import re

    long = "When I think about the next twelve months I can see how my own work helps our customers feel well looked after"
    dist = breakdowns.item_distribution(summary)
    extra = dist[dist["statement"] == dist["statement"].iloc[0]].assign(statement=long)
    chart = charts.item_diverging(pd.concat([dist, extra], ignore_index=True))
    axis = chart.to_dict()["encoding"]["y"]["axis"]
    assert axis["labelLimit"] == 0 and axis["labelExpr"] == charts.wrapped()
    heat = charts.item_heatmap(breakdowns.item_favorability(summary), "favorable_pct", summary.settings.min_group)
    heat_axes = [x["encoding"]["y"]["axis"] for x in _layers(heat.to_dict()) if "y" in x.get("encoding", {})] or [
        heat.to_dict()["encoding"]["y"]["axis"]]
    assert all(a["labelLimit"] == 0 and a["labelExpr"] == charts.wrapped() for a in heat_axes)
    svg = charts.to_image(chart, "svg").decode()
    lines = re.findall(r"<(?:text|tspan)[^>]*>([^<]+)</(?:text|tspan)>", svg)  # a wrapped label: a tspan per line
    drawn = " ".join(lines)
    assert "…" not in drawn
    for statement in (*dist["statement"].unique(), long):
        assert all(w in drawn.split() for w in statement.split()), statement
    mine = [x for x in lines if set(x.split()) <= set(long.split())]
    assert len(mine) >= 3 and max(map(len, mine)) <= charts.WRAP  # the long one on lines of at most WRAP


def test_reverse_worded_statements_are_coloured_by_favourable(summary):
    """“I often think about leaving”: disagreeing is the favourable answer, drawn in the favourable (green) colour on
    the right; for a plain statement agreeing is."""
    leaving = "I often think about leaving this organisation"
    dist = breakdowns.item_distribution(summary)
    assert leaving in set(dist["statement"])
    spec = charts.item_diverging(dist, {leaving}).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"]))
    rows = _rows(spec)
    assert colour[scale["domain"][-1]] == charts.GOOD and colour[scale["domain"][0]] == charts.BAD
    for statement, good_answer, bad_answer in ((leaving, "Strongly disagree", "Strongly agree"),
                                               (next(s for s in dist["statement"] if s != leaving), "Strongly agree",
                                                "Strongly disagree")):
        mine = {r["answer"]: r for r in rows if r["statement"] == statement}
        assert colour[mine[good_answer]["legend"]] == charts.GOOD, statement
        assert colour[mine[bad_answer]["legend"]] == charts.BAD, statement
        assert mine[good_answer]["offset_end"] > 0 > mine[bad_answer]["offset_start"], statement


def test_chart_axes_write_the_minus_sign_in_every_language():
    """Texts and tables write −8.5; the axes of the same figures must not write -8.5 (Vega's locale decides)."""
    from lib.i18n import vega_locale

    for lang in ("en", "sv", "fi"):
        assert vega_locale(lang)["number"]["minus"] == "\u2212"


def test_every_chart_the_pages_draw_is_valid_vega_lite(summary, sources):
    """The app draws its charts without Altair's schema check (it took most of a first draw); each chart function a
    page draws with is checked here instead, on the sample, with each language's number and date locale."""
    import ast
    from pathlib import Path

    from lib.figures import drivers, periods
    from lib.i18n import set_language
    from lib.present import overview

    c, e, settings = sources
    drawn = set()
    for page in (Path(__file__).resolve().parent.parent / "pages").glob("*.py"):
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "chart"
                    and node.args and isinstance(node.args[0], ast.Attribute)):
                drawn.add(node.args[0].attr)
    table = breakdowns.period_table(periods.by_period(c, e, summary.filters, settings, "week"), "week")
    kind, previous, latest, notes = overview.last_two(c, e, summary.filters, settings)
    glance = overview.build(summary, previous, latest, kind or "quarter", None, notes).glance
    made = {**all_charts(summary), "period_trend": charts.period_trend(table),
            "engagement_trend": charts.engagement_trend(table), "pulse_trend": charts.pulse_trend(table),
            "departments_glance": charts.departments_glance(glance),
            "relative_weights": charts.relative_weights(drivers.relative_importance(summary).table),
            "nps_shares": charts.nps_shares(breakdowns.nps_shares(summary)),
            "item_heatmap": charts.item_heatmap(breakdowns.item_favorability(summary), "favorable_pct", 5),
            "item_diverging": charts.item_diverging(breakdowns.item_distribution(summary), set()),
            "engagement_by_department": all_charts(summary)["engagement"],
            "enps_by_department": all_charts(summary)["enps"], "linkage_scatter": all_charts(summary)["scatter"]}
    assert drawn and drawn <= set(made), drawn - set(made)
    try:
        for lang in ("en", "sv", "fi"):
            set_language(lang)
            for name in drawn:
                charts.localized(made[name], lang).to_dict(validate=True)  # raises on a spec Vega-Lite refuses
    finally:
        set_language("en")


@pytest.mark.parametrize("view", ["org", "dept"])
def test_every_chart_of_the_decks_is_valid_vega_lite(summary, view):
    """The decks' images are drawn without Altair's schema check (:func:`lib.present.charts.images`); each chart of
    the sample's decks is checked here instead, in each language."""
    from lib.deck import slides
    from lib.i18n import set_language

    try:
        for lang in ("en", "sv", "fi"):
            set_language(lang)
            deck = slides.organisation_deck(summary, "Org") if view == "org" else \
                slides.department_deck(summary, summary.departments[3].department, "Org")
            drawn = [x.chart for x in deck.slides if x.chart is not None]
            assert drawn
            for chart in drawn:
                charts.localized(chart, lang).to_dict(validate=True)  # raises on a spec Vega-Lite refuses
    finally:
        set_language("en")


def test_a_chart_of_many_cells_is_drawn_whole():
    """A heatmap of 7,200 cells (many departments, all shown) is an image, as Altair's save gave, not an error."""
    rows = [{"department": f"Unit {d:03d}", "statement": f"Statement {i:02d}", "favorable_pct": float((d * i) % 100),
             "difference": float((d * i) % 40 - 20), "n": 12, "suppressed": False, "suppressed_reason": None,
             "reverse": False} for d in range(300) for i in range(24)]
    png, svg = charts.images(charts.item_heatmap(pd.DataFrame(rows), "favorable_pct", 5))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and b"Unit 299" in svg
