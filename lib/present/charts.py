"""Altair chart builders. Each takes an aggregated table from :mod:`lib.present.breakdowns`.

Department charts carry a point selection named ``dept`` on the ``department``
field, so a click on a department can filter the other views. Every chart has
tooltips. Chart size depends on the number of departments or periods, never on
the number of responses.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from lib.present.breakdowns import hidden_texts
from lib.i18n import _, vega_locale
from lib.present import model
from lib.survey.frame import NOT_GIVEN

SELECTION = "dept"
#: The same click on a cell's number (a text layer on top of the cells catches the click there).
SELECTION_LABELS = "dept_label"
SELECTIONS = (SELECTION, SELECTION_LABELS)
GROUP_COLORS = {"detractor": "#d7301f", "passive": "#bdbdbd", "promoter": "#1a9850"}
SUPPRESSED_COLOR = "#e0e0e0"
GOOD, BAD, NEUTRAL = "#1a9850", "#d7301f", "#4575b4"
#: Type sizes that read on a projector: axis labels, axis titles, value labels on marks.
LABEL_SIZE, TITLE_SIZE, VALUE_SIZE = 13, 14, 13
#: Characters per line of a wrapped statement or department name on an axis.
WRAP = 34


def wrapped(width: int = WRAP, value: str = "datum.value") -> str:
    """A Vega expression that writes an axis label (``value``, an expression) on lines of at most ``width``
    characters (whole words)."""
    return f"split(trim(replace({value}, /(.{{1,{width}}})(\\s+|$)/g, '$1\\n')), '\\n')"


def unit_label() -> str:
    """A Vega expression naming a department axis label as :func:`lib.present.model.unit` does: the group of answers
    with no unit in the session's language (the data keep the name the selection filters by)."""
    shown = json.dumps(model.unit(NOT_GIVEN), ensure_ascii=False)
    return f"(datum.value === {json.dumps(NOT_GIVEN)} ? {shown} : datum.value)"


def _units(df: pd.DataFrame) -> pd.DataFrame:
    """The table with ``unit``: each department as people read it (:func:`lib.present.model.unit`), for tooltips and
    labels; ``department`` stays the data's name, which a click selects."""
    return df.assign(unit=df["department"].map(model.unit)) if "department" in df.columns else df


def _lines(names: pd.Series | list[str], width: int = WRAP) -> int:
    """The most lines a wrapped name takes."""
    import textwrap

    return max([len(textwrap.wrap(str(n), width)) or 1 for n in names] or [1])


def _step(names: pd.Series | list[str], width: int = WRAP) -> int:
    """A row's height that holds its wrapped label and a bar thick enough to read."""
    return max(34, 16 * _lines(names, width) + 14)


def _zero(axis: str = "x") -> alt.Chart:
    """A line at zero."""
    return alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#333", strokeWidth=1.5).encode(
        **{axis: alt.X("zero:Q") if axis == "x" else alt.Y("zero:Q")})


def _period_axis(field: str = "short") -> alt.X:
    """A time axis that says the period in the session's words ("K1 2026", "vecka 14, 2026"), in time order."""
    return alt.X(f"{field}:N", sort=None, title=None, axis=alt.Axis(labelAngle=0, labelExpr=wrapped(14), labelLimit=0))


def period_labels(df: pd.DataFrame) -> pd.DataFrame:
    """The period table with ``short``: the period's name, with "*" when it is incomplete (the page says what the
    mark means)."""
    if "short" not in df.columns:
        df = df.assign(short=df["label"])
    if "incomplete" in df.columns:
        df = df.assign(short=[f"{x} *" if inc else x for x, inc in zip(df["short"], df["incomplete"])])
    return df


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
    return max(140, 36 * n + 40)


def _dept_axis(order: list[str] | alt.EncodingSortField | str | None = None) -> alt.Y:
    return alt.Y("department:N", sort=order, title=None,
                 axis=alt.Axis(labelLimit=0, labelOverlap=False, labelExpr=wrapped(32, unit_label()),
                               labelFontSize=LABEL_SIZE))


def nps_by_department(df: pd.DataFrame) -> alt.LayerChart:
    sel = _dept_selection()
    order = df["department"].tolist()
    y = _dept_axis(order)
    data = _units(df).assign(value=df["nps"].map(lambda v: "" if pd.isna(v) else model.number(v)),
                     side=df["nps"].map(lambda v: 1 if not pd.isna(v) and v >= 0 else -1))
    tooltip = [alt.Tooltip("unit:N", title=_("Department")), alt.Tooltip("nps:Q", title="NPS", format=".1f"),
               alt.Tooltip("low:Q", title=_("95% CI low"), format=".1f"),
               alt.Tooltip("high:Q", title=_("95% CI high"), format=".1f"), alt.Tooltip("n:Q", title=_("Customer answers"))]
    base = alt.Chart(data)
    bars = base.mark_bar(size=22).encode(
        y=y, x=alt.X("nps:Q", title=_("NPS (−100 to 100)"), scale=alt.Scale(domain=[-100, 100]),
                     axis=alt.Axis(values=[-100, -50, 0, 50, 100])),
        color=alt.condition("datum.nps >= 0", alt.value(GOOD), alt.value(BAD)),
        opacity=alt.condition(sel, alt.value(0.9), alt.value(0.35)), tooltip=tooltip,
    ).add_params(sel)
    errors = base.mark_rule(color="#333").encode(y=y, x="low:Q", x2="high:Q", tooltip=tooltip)
    labels = _value_labels(base, y, "nps", "high", "low")
    small = base.transform_filter("datum.small").mark_text(align="left", dx=6, color="#8c510a",
                                                           fontSize=VALUE_SIZE).encode(
        y=y, x=alt.value(4), text=alt.value(_("too few answers")))
    return (bars + errors + _zero() + labels + small).properties(
        height=_height(len(df)), title=_("NPS by department, with 95% intervals"))


def _value_labels(base: alt.Chart, y: alt.Y, field: str, right: str | None = None, left: str | None = None,
                  text: str = "value:N") -> alt.LayerChart:
    """Value labels beside each bar's end (or beyond its interval: ``right``/``left`` name the interval's ends):
    right of a positive bar, left of a negative one."""
    pos = base.transform_filter(f"isValid(datum.{field}) && datum.{field} >= 0").mark_text(
        align="left", dx=5, fontSize=VALUE_SIZE, fontWeight="bold", color="#222").encode(
        y=y, x=alt.X(f"{right or field}:Q"), text=text)
    neg = base.transform_filter(f"isValid(datum.{field}) && datum.{field} < 0").mark_text(
        align="right", dx=-5, fontSize=VALUE_SIZE, fontWeight="bold", color="#222").encode(
        y=y, x=alt.X(f"{left or field}:Q"), text=text)
    return pos + neg


def nps_shares(df: pd.DataFrame) -> alt.Chart:
    sel = _dept_selection()
    labels = _group_labels()
    data = _units(df).assign(label=df["group"].map(labels))
    return alt.Chart(data).mark_bar().encode(
        y=_dept_axis(alt.EncodingSortField("share", op="sum", order="descending")),
        x=alt.X("share:Q", stack="normalize", title=_("Share of answers"), axis=alt.Axis(format="%")),
        color=alt.Color("label:N", title=None, sort=[labels[g] for g in GROUP_COLORS],
                        scale=alt.Scale(domain=[labels[g] for g in GROUP_COLORS], range=list(GROUP_COLORS.values())),
                        legend=alt.Legend(orient="bottom", labelLimit=0, labelFontSize=LABEL_SIZE, columns=3)),
        order=alt.Order("order:Q"),
        opacity=alt.condition(sel, alt.value(0.95), alt.value(0.35)),
        tooltip=[alt.Tooltip("unit:N", title=_("Department")), alt.Tooltip("label:N", title=_("Group")),
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
                        legend=alt.Legend(orient="bottom", labelLimit=0, labelFontSize=LABEL_SIZE, columns=3)),
        tooltip=[alt.Tooltip("score:O", title=_("Answer")), alt.Tooltip("count:Q", title=_("Answers")),
                 alt.Tooltip("share:Q", title=_("Share %"), format=".1f")],
    ).properties(height=260, title=_("Distribution of answers"))


def nps_trend(df: pd.DataFrame) -> alt.LayerChart:
    """NPS per month or quarter, the period named in the session's words on the axis, with its 95 % band."""
    data = period_labels(df).assign(value=df["nps"].map(model.number))
    tooltip = [alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("nps:Q", title="NPS", format=".1f"),
               alt.Tooltip("low:Q", title=_("95% CI low"), format=".1f"),
               alt.Tooltip("high:Q", title=_("95% CI high"), format=".1f"), alt.Tooltip("n:Q", title=_("Customer answers"))]
    base = alt.Chart(data).encode(x=_period_axis())
    band = base.mark_area(opacity=0.2, color=NEUTRAL).encode(y=alt.Y("low:Q", title="NPS"), y2="high:Q", tooltip=tooltip)
    line = base.mark_line(point=alt.OverlayMarkDef(size=70), color=NEUTRAL).encode(y="nps:Q", tooltip=tooltip)
    text = base.transform_filter("isValid(datum.nps)").mark_text(dy=-12, fontSize=VALUE_SIZE, color="#222").encode(
        y="nps:Q", text="value:N")
    return (band + line + text + _zero("y")).properties(height=300, title=_("NPS over time, with 95% interval band"))

def engagement_by_department(df: pd.DataFrame, k: int) -> alt.LayerChart:
    sel = _dept_selection()
    texts = hidden_texts(k)
    data = _units(df).assign(note=df["suppressed_reason"].map(lambda r: texts.get(r, "") if isinstance(r, str) else ""),
                     shown=df["engagement"].fillna(0), value=df["engagement"].map(model.number),
                     side=1)
    y = _dept_axis(data["department"].tolist())
    tooltip = [alt.Tooltip("unit:N", title=_("Department")),
               alt.Tooltip("engagement:Q", title=_("Engagement index"), format=".1f"),
               alt.Tooltip("favorable_pct:Q", title=_("Favourable %"), format=".1f"),
               alt.Tooltip("n:Q", title=_("Employee responses")), alt.Tooltip("note:N", title=" ")]
    base = alt.Chart(data)
    bars = base.mark_bar(color=NEUTRAL, size=22).encode(
        y=y, x=alt.X("shown:Q", title=_("Engagement index (0–100)"), scale=alt.Scale(domain=[0, 100])),
        opacity=alt.condition(sel, alt.value(0.9), alt.value(0.35)), tooltip=tooltip,
    ).add_params(sel)
    labels = _value_labels(base.transform_filter("!datum.suppressed"), y, "engagement")
    notes = base.transform_filter("datum.suppressed").mark_text(align="left", dx=4, color="#555",
                                                                fontSize=VALUE_SIZE).encode(
        y=y, x=alt.value(0), text="note:N", tooltip=tooltip)
    return (bars + labels + notes).properties(height=_height(len(df)), title=_("Engagement index by department"))

def enps_by_department(df: pd.DataFrame) -> alt.LayerChart:
    data = df[~df["suppressed"] & df["enps"].notna()]
    data = _units(data).assign(value=data["enps"].map(model.number))
    y = _dept_axis(data.sort_values("enps", ascending=False)["department"].tolist())
    tooltip = [alt.Tooltip("unit:N", title=_("Department")), alt.Tooltip("enps:Q", title="eNPS", format=".1f"),
               alt.Tooltip("enps_low:Q", title=_("95% CI low"), format=".1f"),
               alt.Tooltip("enps_high:Q", title=_("95% CI high"), format=".1f"),
               alt.Tooltip("n:Q", title=_("Employee responses"))]
    base = alt.Chart(data)
    bars = base.mark_bar(size=22).encode(
        y=y, x=alt.X("enps:Q", title="eNPS", scale=alt.Scale(domain=[-100, 100]),
                     axis=alt.Axis(values=[-100, -50, 0, 50, 100])),
        color=alt.condition("datum.enps >= 0", alt.value(GOOD), alt.value(BAD)), tooltip=tooltip)
    rule = base.mark_rule(color="#333").encode(y=y, x="enps_low:Q", x2="enps_high:Q", tooltip=tooltip)
    labels = _value_labels(base, y, "enps", "enps_high", "enps_low")
    return (bars + rule + _zero() + labels).properties(height=_height(len(data)),
                                                        title=_("eNPS by department, with 95% intervals"))

def item_heatmap(df: pd.DataFrame, value: str, k: int) -> alt.LayerChart:
    """Statement (rows, names written out on lines) × department (columns); ``value`` is "favorable_pct" or
    "difference" (a diverging scale around the organisation). Hidden cells are grey with "–"."""
    sel = _dept_selection()
    texts = hidden_texts(k)
    data = _units(df).assign(cell=df[value].map(lambda v: "" if pd.isna(v) else model.number(v, "index")),
                     note=df["suppressed_reason"].map(lambda r: texts.get(r, "") if isinstance(r, str) else ""))
    data.loc[data["suppressed"], "cell"] = model.DASH
    if value == "difference":
        scale = alt.Scale(scheme="redblue", domain=[-30, 30], clamp=True)
        title = _("Difference from the organisation (points)")
        dark = "abs(datum.difference) > 18"
    else:
        scale = alt.Scale(scheme="blues", domain=[0, 100])
        title = _("Favourable %")
        dark = "datum.favorable_pct > 65"
    tooltip = [alt.Tooltip("unit:N", title=_("Department")), alt.Tooltip("statement:N", title=_("Statement")),
               alt.Tooltip("favorable_pct:Q", title=_("Favourable %"), format=".1f"),
               alt.Tooltip("difference:Q", title=_("Difference"), format="+.1f"),
               alt.Tooltip("n:Q", title=_("Employee responses")), alt.Tooltip("note:N", title=" ")]
    statements = data["statement"].drop_duplicates().tolist()
    base = alt.Chart(data).encode(
        x=alt.X("department:N", title=None, axis=alt.Axis(orient="top", labelAngle=-35, labelLimit=0, labelOverlap=False,
                                                          labelFontSize=LABEL_SIZE, labelAlign="left",
                                                          labelExpr=unit_label())),
        y=alt.Y("statement:N", title=None, sort=statements,
                axis=alt.Axis(labelLimit=0, labelExpr=wrapped(), labelFontSize=LABEL_SIZE)))
    rect = base.transform_filter("!datum.suppressed").mark_rect(stroke="white").encode(
        color=alt.Color(f"{value}:Q", scale=scale, title=title,
                        legend=alt.Legend(orient="bottom", titleLimit=0, gradientLength=260)),
        opacity=alt.condition(sel, alt.value(1.0), alt.value(0.4)), tooltip=tooltip).add_params(sel)
    hidden = base.transform_filter("datum.suppressed").mark_rect(color=SUPPRESSED_COLOR, stroke="white").encode(
        tooltip=tooltip)
    text = base.mark_text(fontSize=VALUE_SIZE).encode(
        text="cell:N", tooltip=tooltip, color=alt.condition(dark, alt.value("white"), alt.value("#222"))).add_params(
        _dept_selection(SELECTION_LABELS))
    return (rect + hidden + text).properties(height=alt.Step(_step(statements)), title=_("Statements by department"))

def item_diverging(df: pd.DataFrame, reversed_statements: frozenset[str] | set[str] = frozenset()) -> alt.Chart:
    """Each statement's answers as a diverging bar: unfavourable answers left of zero, favourable ones right, coloured
    red to green by how favourable they are. A reverse-worded statement ("I often think about leaving") is turned
    round, so that its disagreement, the good answer, is green and on the right; its tooltip gives the answer as
    given."""
    if df.empty:
        return alt.Chart(df).mark_bar()
    rows = []
    for statement, part in df.groupby("statement", sort=False):
        low, high = int(part["point"].min()), int(part["point"].max())
        turn = statement in reversed_statements
        part = part.assign(scored=(low + high - part["point"]) if turn else part["point"]).sort_values("scored")
        mid = (low + high) / 2
        start = -(part.loc[part["scored"] < mid, "share"].sum() + part.loc[part["scored"] == mid, "share"].sum() / 2)
        for r in part.itertuples():
            rows.append({"statement": statement, "answer": r.answer, "share": r.share, "count": r.count,
                         "scored": int(r.scored), "good": (r.scored - low) / (high - low) if high > low else 0.5,
                         "offset_start": start, "offset_end": start + r.share})
            start += r.share
    data = pd.DataFrame(rows)
    plain = df[~df["statement"].isin(reversed_statements)]
    legend = plain.drop_duplicates("point").sort_values("point") if not plain.empty else df.drop_duplicates("point")
    names = {int(p): str(a) for p, a in zip(legend["point"], legend["answer"])}
    data["legend"] = data["scored"].map(lambda p: names.get(int(p), str(p)))
    domain = [names[p] for p in sorted(names)]
    palette = ["#d7301f", "#fc8d59", "#fee08b", "#d9ef8b", "#91cf60", "#1a9850"]
    colours = [palette[round(i * (len(palette) - 1) / max(1, len(domain) - 1))] for i in range(len(domain))]
    statements = data["statement"].drop_duplicates().tolist()
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("statement:N", title=None, sort=statements,
                axis=alt.Axis(labelLimit=0, labelExpr=wrapped(), labelFontSize=LABEL_SIZE)),
        x=alt.X("offset_start:Q", title=_("Share of answers (%): unfavourable to the left, favourable to the right")),
        x2="offset_end:Q",
        color=alt.Color("legend:N", title=None, sort=domain, scale=alt.Scale(domain=domain, range=colours),
                        legend=alt.Legend(orient="bottom", labelLimit=0, columns=min(len(domain), 4),
                                          labelFontSize=LABEL_SIZE)),
        tooltip=[alt.Tooltip("statement:N", title=_("Statement")), alt.Tooltip("answer:N", title=_("Answer")),
                 alt.Tooltip("share:Q", title=_("Share %"), format=".1f"), alt.Tooltip("count:Q", title=_("Answers"))],
    ).properties(height=alt.Step(_step(statements)), title=_("Answers per statement"))

def place_labels(points: pd.DataFrame, width: float = 700, height: float = 420) -> pd.DataFrame:
    """Where each department's name goes beside its point so that names do not cover each other: right of the point,
    else left, else a line above or below (greedy, in the chart's pixels); ``align`` and ``dy`` per point."""
    if points.empty:
        return points.assign(align=[], dy=[])
    xs, ys = points["engagement"].astype(float), points["nps"].astype(float)
    sx = (xs - xs.min()) / ((xs.max() - xs.min()) or 1) * width
    sy = (ys.max() - ys) / ((ys.max() - ys.min()) or 1) * height
    boxes: list[tuple[float, float, float, float]] = []
    aligns, dys = [], []
    for x, y, name in zip(sx, sy, points.get("unit", points["department"]).astype(str)):
        w = 7 * len(name)
        for align, dy in (("left", 0), ("right", 0), ("left", -14), ("left", 14), ("right", -14), ("right", 14)):
            x0 = x + 16 if align == "left" else x - 16 - w
            box = (x0, y + dy - 7, x0 + w, y + dy + 7)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                break
        boxes.append(box)
        aligns.append(align)
        dys.append(dy)
    return points.assign(align=aligns, dy=dys)


def linkage_scatter(points: pd.DataFrame, line: pd.DataFrame, x_title: str | None = None,
                    y_title: str | None = None) -> alt.LayerChart:
    """Departments by their employee measure (x; the engagement index unless named) and customer measure (y)."""
    sel = _dept_selection()
    x_title, y_title = x_title or _("Engagement index"), y_title or _("Customer NPS")
    tooltip = [alt.Tooltip("unit:N", title=_("Department")),
               alt.Tooltip("engagement:Q", title=x_title, format=".1f"),
               alt.Tooltip("nps:Q", title=y_title, format=".1f"), alt.Tooltip("customer_n:Q", title=_("Customer answers")),
               alt.Tooltip("employee_n:Q", title=_("Employee responses")),
               alt.Tooltip("favorable_pct:Q", title=_("Favourable %"), format=".1f"),
               alt.Tooltip("enps:Q", title="eNPS", format=".1f")]
    points = _units(points)
    base = alt.Chart(points)
    dots = base.mark_circle(color="#4575b4", stroke="white").encode(
        x=alt.X("engagement:Q", title=x_title, scale=alt.Scale(zero=False, padding=20)),
        y=alt.Y("nps:Q", title=y_title, scale=alt.Scale(zero=False, padding=20)),
        size=alt.Size("customer_n:Q", title=_("Customer answers"), scale=alt.Scale(range=[60, 900])),
        opacity=alt.condition(sel, alt.value(0.85), alt.value(0.3)), tooltip=tooltip,
    ).add_params(sel)
    placed = place_labels(points)
    labels = [alt.Chart(placed[placed["align"] == side]).mark_text(
        align=side, dx=16 if side == "left" else -16, fontSize=13, color="#222").encode(
        x="engagement:Q", y="nps:Q", yOffset=alt.YOffset("dy:Q", scale=None), text="unit:N")
        for side in ("left", "right")]
    layers = [dots, *labels]
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
        color=alt.condition("datum.r >= 0", alt.value(GOOD), alt.value(BAD)),
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
    png, svg = images(chart, png=fmt == "png")
    return png if fmt == "png" else svg


def images(chart: alt.TopLevelMixin, png: bool = True) -> tuple[bytes, bytes]:
    """The chart as PNG (at twice its size; empty when ``png`` is False) and SVG: the specification is made and laid
    out once, and the PNG is the SVG rasterised (what vl-convert's own PNG export draws, in a third of the time of
    saving each format from the chart)."""
    import vl_convert as vlc

    try:
        from altair.utils._importers import vl_version_for_vl_convert

        version: str | None = vl_version_for_vl_convert()
    except ImportError:  # pragma: no cover - an Altair without it: vl-convert's own default
        version = None
    svg = vlc.vegalite_to_svg(drawable_spec(chart), vl_version=version)
    return (vlc.svg_to_png(svg, scale=2) if png else b""), svg.encode("utf-8")


def drawable_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite specification, data included and whole however many rows (as Altair's save), without
    Altair's schema check (every chart of the pages and decks is checked in tests/test_charts.py), each text safe for
    vl-convert (:func:`lib.present.exports.xml_safe`: its SVG parser aborted the whole server process on a department
    named with a control character)."""
    from lib.present.exports import xml_safe

    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict(validate=False)

    def clean(value: object) -> object:
        if isinstance(value, str):
            return xml_safe(value)
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return clean(spec)  # type: ignore[return-value]


def spec_size(chart: alt.TopLevelMixin) -> int:
    """Bytes of the chart's JSON specification, data included."""
    with alt.data_transformers.disable_max_rows():
        return len(chart.to_json())


def period_trend(df: pd.DataFrame) -> alt.LayerChart:
    """Customer NPS per period with its 95 % interval band (its own chart: the engagement index has its own,
    :func:`engagement_trend`)."""
    data = period_labels(df).assign(value=df["nps"].map(lambda v: "" if pd.isna(v) else model.number(v)))
    tooltip = [alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("nps:Q", title="NPS", format=".1f"),
               alt.Tooltip("customer_n:Q", title=_("Customer answers"))]
    base = alt.Chart(data).encode(x=_period_axis())
    band = base.mark_area(opacity=0.15, color=NEUTRAL).encode(y=alt.Y("nps_low:Q", title=_("Customer NPS")),
                                                             y2="nps_high:Q")
    line = base.mark_line(point=alt.OverlayMarkDef(size=70), color=NEUTRAL).encode(y="nps:Q", tooltip=tooltip)
    text = base.transform_filter("isValid(datum.nps)").mark_text(dy=-12, fontSize=VALUE_SIZE, color="#222").encode(
        y="nps:Q", text="value:N")
    return (band + line + text + _zero("y")).properties(height=280, title=_("Customer NPS by period, with 95% intervals"))


def engagement_trend(df: pd.DataFrame) -> alt.LayerChart:
    """The engagement index per period on its own 0–100 axis: a point and interval per survey wave (a line joins
    them), so a single wave is as visible as a series."""
    data = period_labels(df)
    data = data[data["engagement"].notna()]
    data = data.assign(value=data["engagement"].map(model.number))
    tooltip = [alt.Tooltip("label:N", title=_("Period")),
               alt.Tooltip("engagement:Q", title=_("Engagement index"), format=".1f"),
               alt.Tooltip("employee_n:Q", title=_("Employee responses"))]
    base = alt.Chart(data).encode(x=_period_axis())
    y = alt.Y("engagement:Q", title=_("Engagement index (0–100)"), scale=alt.Scale(domain=[0, 100]))
    line = base.mark_line(color=BAD, strokeDash=[4, 3]).encode(y=y)
    rule = base.mark_rule(color=BAD, strokeWidth=2).encode(y="engagement_low:Q", y2="engagement_high:Q")
    dots = base.mark_point(filled=True, size=160, color=BAD).encode(y=y, tooltip=tooltip)
    text = base.mark_text(dx=14, align="left", fontSize=VALUE_SIZE, color="#222").encode(y=y, text="value:N")
    return (line + rule + dots + text).properties(height=260,
                                                  title=_("Engagement index by survey period, with 95% intervals"))


def pulse_trend(df: pd.DataFrame) -> alt.Chart:
    """The pulse question's mean per period."""
    data = period_labels(df)
    return alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=60), color=GOOD).encode(
        x=_period_axis(), y=alt.Y("pulse:Q", title=_("Pulse (mean)"), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("pulse:Q", title=_("Pulse (mean)"), format=".2f"),
                 alt.Tooltip("pulse_n:Q", title=_("Employee responses"))],
    ).properties(height=240, title=_("Pulse by period"))


def departments_glance(df: pd.DataFrame) -> alt.LayerChart:
    """Departments at a glance: each department's figure as a bar from the organisation's (the line) to its own,
    green above and red below, its value printed at the bar's end (:func:`lib.present.overview.glance`'s table)."""
    sel = _dept_selection()
    data = _units(df).assign(side=(df["difference"] >= 0).map(lambda up: 1 if up else -1))
    y = _dept_axis(data["department"].tolist())
    org = float(data["organisation"].iloc[0]) if len(data) else 0.0
    spread = max(10.0, float(data["difference"].abs().max()) if len(data) else 10.0) * 1.35
    tooltip = [alt.Tooltip("unit:N", title=_("Department")), alt.Tooltip("label:N", title=_("Value")),
               alt.Tooltip("difference:Q", title=_("Difference from the organisation"), format="+.1f"),
               alt.Tooltip("n:Q", title=_("Answers"))]
    base = alt.Chart(data)
    x = alt.X("organisation:Q", title=None, scale=alt.Scale(domain=[org - spread, org + spread]),
              axis=alt.Axis(labels=False, ticks=False, grid=False))
    bars = base.mark_bar(size=18).encode(
        y=y, x=x, x2="value:Q", color=alt.condition("datum.difference >= 0", alt.value(GOOD), alt.value(BAD)),
        opacity=alt.condition(sel, alt.value(0.9), alt.value(0.35)), tooltip=tooltip).add_params(sel)
    centre = alt.Chart(pd.DataFrame({"organisation": [org]})).mark_rule(color="#333", strokeWidth=2).encode(
        x=alt.X("organisation:Q"))
    labels = _value_labels(base.transform_calculate(gap="datum.difference"), y, "gap", "value", "value",
                           text="label:N")
    return (bars + centre + labels).properties(height=max(120, 26 * len(data) + 30))
