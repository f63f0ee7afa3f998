"""Altair chart builders. Each takes an aggregated table from :mod:`lib.present.breakdowns`.

Department charts carry a point selection named ``dept`` on the ``department``
field, so a click on a department can filter the other views. Every chart has
tooltips. Chart size depends on the number of departments or periods, never on
the number of responses.
"""

from __future__ import annotations

import io

import altair as alt
import pandas as pd

from lib.present.breakdowns import hidden_texts
from lib.i18n import _, vega_locale

SELECTION = "dept"
#: The same click on a cell's number (a text layer on top of the cells catches the click there).
SELECTION_LABELS = "dept_label"
SELECTIONS = (SELECTION, SELECTION_LABELS)
GROUP_COLORS = {"detractor": "#d7301f", "passive": "#bdbdbd", "promoter": "#1a9850"}
SUPPRESSED_COLOR = "#e0e0e0"


def _group_labels() -> dict[str, str]:
    """Promoter/passive/detractor legend texts, in the colour order."""
    return {"detractor": _("Detractors (0–6)"), "passive": _("Passives (7–8)"), "promoter": _("Promoters (9–10)")}


def _dept_selection(name: str = SELECTION) -> alt.Parameter:
    return alt.selection_point(name=name, fields=["department"], on="click", clear="dblclick")


def selections(figure: alt.TopLevelMixin) -> list[str]:
    """The department selections a chart declares (what a click on it can select)."""
    spec = figure.to_dict()
    names = {p.get("name") for p in spec.get("params", [])}
    for layer in spec.get("layer", []):
        names |= {p.get("name") for p in layer.get("params", [])}
    return [n for n in SELECTIONS if n in names]


def _height(n: int) -> int:
    return max(140, 30 * n + 40)


def _dept_axis(order: list[str] | alt.EncodingSortField | str | None = None) -> alt.Y:
    return alt.Y("department:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False))


def nps_by_department(df: pd.DataFrame) -> alt.LayerChart:
    sel = _dept_selection()
    order = df["department"].tolist()
    y = _dept_axis(order)
    tooltip = [alt.Tooltip("department:N", title=_("Department")), alt.Tooltip("nps:Q", title="NPS", format=".1f"),
               alt.Tooltip("low:Q", title=_("95% CI low"), format=".1f"),
               alt.Tooltip("high:Q", title=_("95% CI high"), format=".1f"), alt.Tooltip("n:Q", title=_("Customer answers"))]
    base = alt.Chart(df)
    bars = base.mark_bar().encode(
        y=y, x=alt.X("nps:Q", title=_("NPS (−100 to 100)"), scale=alt.Scale(domain=[-100, 100])),
        color=alt.condition("datum.nps >= 0", alt.value("#1a9850"), alt.value("#d7301f")),
        opacity=alt.condition(sel, alt.value(0.9), alt.value(0.35)), tooltip=tooltip,
    ).add_params(sel)
    errors = base.mark_rule(color="#333").encode(y=y, x="low:Q", x2="high:Q", tooltip=tooltip)
    small = base.transform_filter("datum.small").mark_text(align="left", dx=6, color="#8c510a").encode(
        y=y, x="high:Q", text=alt.value(_("small sample")))
    return (bars + errors + small).properties(height=_height(len(df)), title=_("NPS by department, with 95% intervals"))


def nps_shares(df: pd.DataFrame) -> alt.Chart:
    sel = _dept_selection()
    labels = _group_labels()
    data = df.assign(label=df["group"].map(labels))
    return alt.Chart(data).mark_bar().encode(
        y=_dept_axis(alt.EncodingSortField("share", op="sum", order="descending")),
        x=alt.X("share:Q", stack="normalize", title=_("Share of answers"), axis=alt.Axis(format="%")),
        color=alt.Color("label:N", title=None, sort=[labels[g] for g in GROUP_COLORS],
                        scale=alt.Scale(domain=[labels[g] for g in GROUP_COLORS], range=list(GROUP_COLORS.values())),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        opacity=alt.condition(sel, alt.value(0.95), alt.value(0.35)),
        tooltip=[alt.Tooltip("department:N", title=_("Department")), alt.Tooltip("label:N", title=_("Group")),
                 alt.Tooltip("share:Q", title=_("Share %"), format=".1f"), alt.Tooltip("count:Q", title=_("Answers"))],
    ).add_params(sel).properties(height=_height(df["department"].nunique()), title=_("Promoters, passives and detractors"))


def score_distribution(df: pd.DataFrame) -> alt.Chart:
    labels = _group_labels()
    data = df.assign(label=df["group"].map(labels))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("score:O", title=_("Answer (0–10)")),
        y=alt.Y("count:Q", title=_("Answers")),
        color=alt.Color("label:N", title=None, scale=alt.Scale(domain=[labels[g] for g in GROUP_COLORS],
                                                              range=list(GROUP_COLORS.values())),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("score:O", title=_("Answer")), alt.Tooltip("count:Q", title=_("Answers")),
                 alt.Tooltip("share:Q", title=_("Share %"), format=".1f")],
    ).properties(height=260, title=_("Distribution of answers"))


def nps_trend(df: pd.DataFrame) -> alt.LayerChart:
    tooltip = [alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("nps:Q", title="NPS", format=".1f"),
               alt.Tooltip("low:Q", title=_("95% CI low"), format=".1f"),
               alt.Tooltip("high:Q", title=_("95% CI high"), format=".1f"), alt.Tooltip("n:Q", title=_("Customer answers"))]
    base = alt.Chart(df).encode(x=alt.X("period:T", title=None))
    band = base.mark_area(opacity=0.2, color="#4575b4").encode(y=alt.Y("low:Q", title="NPS"), y2="high:Q", tooltip=tooltip)
    line = base.mark_line(point=True, color="#4575b4").encode(y="nps:Q", tooltip=tooltip)
    return (band + line).properties(height=280, title=_("NPS over time, with 95% interval band"))


def engagement_by_department(df: pd.DataFrame, k: int) -> alt.LayerChart:
    sel = _dept_selection()
    texts = hidden_texts(k)
    data = df.assign(note=df["suppressed_reason"].map(lambda r: texts.get(r, "") if isinstance(r, str) else ""),
                     shown=df["engagement"].fillna(0))
    y = _dept_axis(data["department"].tolist())
    tooltip = [alt.Tooltip("department:N", title=_("Department")),
               alt.Tooltip("engagement:Q", title=_("Engagement index"), format=".1f"),
               alt.Tooltip("favorable_pct:Q", title=_("Favourable %"), format=".1f"),
               alt.Tooltip("n:Q", title=_("Employee responses")), alt.Tooltip("note:N", title=" ")]
    bars = alt.Chart(data).mark_bar(color="#4575b4").encode(
        y=y, x=alt.X("shown:Q", title=_("Engagement index (0–100)"), scale=alt.Scale(domain=[0, 100])),
        opacity=alt.condition(sel, alt.value(0.9), alt.value(0.35)), tooltip=tooltip,
    ).add_params(sel)
    notes = alt.Chart(data).transform_filter("datum.suppressed").mark_text(align="left", dx=4, color="#737373").encode(
        y=y, x=alt.value(0), text="note:N", tooltip=tooltip)
    return (bars + notes).properties(height=_height(len(df)), title=_("Engagement index by department"))


def enps_by_department(df: pd.DataFrame) -> alt.LayerChart:
    data = df[~df["suppressed"] & df["enps"].notna()]
    y = _dept_axis(data.sort_values("enps", ascending=False)["department"].tolist())
    tooltip = [alt.Tooltip("department:N", title=_("Department")), alt.Tooltip("enps:Q", title="eNPS", format=".1f"),
               alt.Tooltip("enps_low:Q", title=_("95% CI low"), format=".1f"),
               alt.Tooltip("enps_high:Q", title=_("95% CI high"), format=".1f"),
               alt.Tooltip("n:Q", title=_("Employee responses"))]
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        y=y, x=alt.X("enps:Q", title="eNPS", scale=alt.Scale(domain=[-100, 100])),
        color=alt.condition("datum.enps >= 0", alt.value("#1a9850"), alt.value("#d7301f")), tooltip=tooltip)
    rule = base.mark_rule(color="#333").encode(y=y, x="enps_low:Q", x2="enps_high:Q", tooltip=tooltip)
    return (bars + rule).properties(height=_height(len(data)), title=_("eNPS by department, with 95% intervals"))


def item_heatmap(df: pd.DataFrame, value: str, k: int) -> alt.LayerChart:
    """Department × statement; ``value`` is "favorable_pct" or "difference"."""
    sel = _dept_selection()
    texts = hidden_texts(k)
    data = df.assign(cell=df[value].round(0).astype("Int64").astype("string").fillna(""),
                     note=df["suppressed_reason"].map(lambda r: texts.get(r, "") if isinstance(r, str) else ""))
    data.loc[data["suppressed"], "cell"] = "–"
    if value == "difference":
        scale = alt.Scale(scheme="redblue", domain=[-30, 30], clamp=True)
        title = _("Difference from the organisation (points)")
    else:
        scale = alt.Scale(scheme="blues", domain=[0, 100])
        title = _("Favourable %")
    tooltip = [alt.Tooltip("department:N", title=_("Department")), alt.Tooltip("statement:N", title=_("Statement")),
               alt.Tooltip("favorable_pct:Q", title=_("Favourable %"), format=".1f"),
               alt.Tooltip("difference:Q", title=_("Difference"), format="+.1f"),
               alt.Tooltip("n:Q", title=_("Employee responses")), alt.Tooltip("note:N", title=" ")]
    base = alt.Chart(data).encode(x=alt.X("statement:N", title=None,
                                          axis=alt.Axis(labelAngle=-30, labelLimit=200, labelOverlap=False)),
                                  y=_dept_axis())
    rect = base.mark_rect().encode(
        color=alt.condition("datum.suppressed", alt.value(SUPPRESSED_COLOR), alt.Color(f"{value}:Q", scale=scale, title=title)),
        opacity=alt.condition(sel, alt.value(1.0), alt.value(0.4)), tooltip=tooltip).add_params(sel)
    text = base.mark_text(fontSize=11).encode(text="cell:N", tooltip=tooltip).add_params(
        _dept_selection(SELECTION_LABELS))
    return (rect + text).properties(height=alt.Step(28), title=_("Statements by department"))


def item_diverging(df: pd.DataFrame) -> alt.Chart:
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("statement:N", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("offset_start:Q", title=_("Share of answers (%), negative to the left")),
        x2="offset_end:Q",
        color=alt.Color("point:O", title=_("Answer"), scale=alt.Scale(scheme="redyellowgreen"),
                        legend=alt.Legend(orient="bottom", labelExpr="datum.label")),
        tooltip=[alt.Tooltip("statement:N", title=_("Statement")), alt.Tooltip("answer:N", title=_("Answer")),
                 alt.Tooltip("share:Q", title=_("Share %"), format=".1f"), alt.Tooltip("count:Q", title=_("Answers"))],
    ).properties(height=alt.Step(28), title=_("Answers per statement"))


def linkage_scatter(points: pd.DataFrame, line: pd.DataFrame, x_title: str | None = None,
                    y_title: str | None = None) -> alt.LayerChart:
    """Departments by their employee measure (x; the engagement index unless named) and customer measure (y)."""
    sel = _dept_selection()
    x_title, y_title = x_title or _("Engagement index"), y_title or _("Customer NPS")
    tooltip = [alt.Tooltip("department:N", title=_("Department")),
               alt.Tooltip("engagement:Q", title=x_title, format=".1f"),
               alt.Tooltip("nps:Q", title=y_title, format=".1f"), alt.Tooltip("customer_n:Q", title=_("Customer answers")),
               alt.Tooltip("employee_n:Q", title=_("Employee responses")),
               alt.Tooltip("favorable_pct:Q", title=_("Favourable %"), format=".1f"),
               alt.Tooltip("enps:Q", title="eNPS", format=".1f")]
    base = alt.Chart(points)
    dots = base.mark_circle(color="#4575b4", stroke="white").encode(
        x=alt.X("engagement:Q", title=x_title, scale=alt.Scale(zero=False, padding=20)),
        y=alt.Y("nps:Q", title=y_title, scale=alt.Scale(zero=False, padding=20)),
        size=alt.Size("customer_n:Q", title=_("Customer answers"), scale=alt.Scale(range=[60, 900])),
        opacity=alt.condition(sel, alt.value(0.85), alt.value(0.3)), tooltip=tooltip,
    ).add_params(sel)
    labels = base.mark_text(align="left", dx=9, fontSize=11, color="#444").encode(
        x="engagement:Q", y="nps:Q", text="department:N")
    layers = [dots, labels]
    if len(points):
        mx, my = float(points["engagement"].mean()), float(points["nps"].mean())
        guides = pd.DataFrame({"engagement": [mx], "nps": [my]})
        layers.append(alt.Chart(guides).mark_rule(strokeDash=[4, 4], color="#999").encode(x="engagement:Q"))
        layers.append(alt.Chart(guides).mark_rule(strokeDash=[4, 4], color="#999").encode(y="nps:Q"))
    if len(line):
        layers.append(alt.Chart(line).mark_line(color="#d73027", strokeWidth=2).encode(x="engagement:Q", y="nps:Q"))
    return alt.layer(*layers).properties(height=420, title=_("Departments: {x} and {y}").format(x=x_title, y=y_title))


def drivers(df: pd.DataFrame) -> alt.Chart:
    return alt.Chart(df.dropna(subset=["r"])).mark_bar().encode(
        y=alt.Y("statement:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("r:Q", title=_("Correlation with department NPS (r)"), scale=alt.Scale(domain=[-1, 1])),
        color=alt.condition("datum.r >= 0", alt.value("#1a9850"), alt.value("#d7301f")),
        tooltip=[alt.Tooltip("statement:N", title=_("Statement")), alt.Tooltip("r:Q", format=".2f"),
                 alt.Tooltip("p:Q", title="p", format=".3f"),
                 alt.Tooltip("p_holm:Q", title=_("p, Holm-corrected"), format=".3f"),
                 alt.Tooltip("departments:Q", title=_("Departments"))],
    ).properties(height=alt.Step(28), title=_("Which statements go with customer NPS, across departments"))


def relative_weights(df: pd.DataFrame) -> alt.LayerChart:
    """Each statement's share of the explained variance in the recommend answer, with its bootstrap interval."""
    y = alt.Y("statement:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320))
    tooltip = [alt.Tooltip("statement:N", title=_("Statement")),
               alt.Tooltip("weight:Q", title=_("Relative weight"), format=".3f"),
               alt.Tooltip("share:Q", title=_("Share of R² (%)"), format=".1f"),
               alt.Tooltip("low:Q", title=_("95% CI low"), format=".3f"),
               alt.Tooltip("high:Q", title=_("95% CI high"), format=".3f")]
    bars = alt.Chart(df).mark_bar(color="#4575b4").encode(
        y=y, x=alt.X("weight:Q", title=_("Relative weight (share of variance in the recommend answer)")), tooltip=tooltip)
    errors = alt.Chart(df).mark_rule(color="#333").encode(y=y, x="low:Q", x2="high:Q")
    return (bars + errors).properties(height=alt.Step(28),
                                      title=_("Which statements go with recommending the workplace (eNPS)"))


def localized(chart: alt.TopLevelMixin, language: str | None = None) -> alt.TopLevelMixin:
    """The chart with its numbers and dates in the language's style (decimal comma, space between thousands,
    month names), through Vega's locale configuration; the same spec renders alike in the browser and as an image."""
    chart = chart.copy(deep=False)
    config = chart.config if isinstance(chart.config, alt.Config) else alt.Config()
    config.locale = vega_locale(language)
    chart.config = config
    return chart


def to_image(chart: alt.TopLevelMixin, fmt: str) -> bytes:
    """The chart as PNG or SVG bytes (vl-convert; no browser needed)."""
    buf = io.BytesIO() if fmt == "png" else io.StringIO()
    chart.save(buf, format=fmt, **({"scale_factor": 2} if fmt == "png" else {}))
    value = buf.getvalue()
    return value if isinstance(value, bytes) else value.encode("utf-8")


def spec_size(chart: alt.TopLevelMixin) -> int:
    """Bytes of the chart's JSON specification, data included."""
    with alt.data_transformers.disable_max_rows():
        return len(chart.to_json())


def period_trend(df: pd.DataFrame) -> alt.LayerChart:
    """Customer NPS and the engagement index per period, each with its 95 % interval band."""
    tooltip = [alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("nps:Q", title="NPS", format=".1f"),
               alt.Tooltip("customer_n:Q", title=_("Customer answers")),
               alt.Tooltip("engagement:Q", title=_("Engagement index"), format=".1f"),
               alt.Tooltip("employee_n:Q", title=_("Employee responses")), alt.Tooltip("enps:Q", title="eNPS", format=".1f")]
    x = alt.X("period:T", title=None)
    base = alt.Chart(df)
    nps = base.mark_line(point=True, color="#4575b4").encode(x=x, y=alt.Y("nps:Q", title=_("Customer NPS")),
                                                             tooltip=tooltip)
    nps_band = base.mark_area(opacity=0.15, color="#4575b4").encode(x=x, y="nps_low:Q", y2="nps_high:Q")
    eng = base.mark_line(point=True, color="#d73027").encode(
        x=x, y=alt.Y("engagement:Q", title=_("Engagement index (0–100)")), tooltip=tooltip)
    eng_band = base.mark_area(opacity=0.15, color="#d73027").encode(x=x, y="engagement_low:Q", y2="engagement_high:Q")
    return alt.layer(nps_band + nps, eng_band + eng).resolve_scale(y="independent").properties(
        height=300, title=_("Customer NPS (blue) and engagement index (red) by period, with 95% intervals"))


def pulse_trend(df: pd.DataFrame) -> alt.Chart:
    """The pulse question's mean per period."""
    return alt.Chart(df).mark_line(point=True, color="#1a9850").encode(
        x=alt.X("period:T", title=None), y=alt.Y("pulse:Q", title=_("Pulse (mean)"), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("pulse:Q", title=_("Pulse (mean)"), format=".2f"),
                 alt.Tooltip("pulse_n:Q", title=_("Employee responses"))],
    ).properties(height=240, title=_("Pulse by period"))
