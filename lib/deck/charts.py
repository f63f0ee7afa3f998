"""The deck's charts: each drawn at the size of a slide's body (:data:`lib.deck.layout.BODY`, one pixel a point), so
its labels keep their :data:`LABEL` size on the slide; horizontal, wrapped names; a zero line and the value on every
bar, written by the presentation model (:mod:`lib.present.model`) in the language's style.

Each builder takes a small frame the slide planner made from the model or the Summary's released figures; none reads
a response row. The app's charts (:mod:`lib.present.charts`) stay as they are: these are for the deck alone.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from lib.deck import layout
from lib.present.charts import localized

LABEL = 16.0  # px = pt on the slide
NAME_ROOM = 330.0  # the width of a bar chart's name column
GOOD, BAD, MAIN, SOFT, ORG = "#1a9850", "#d7301f", "#4575b4", "#bdbdbd", "#222222"
#: Rows a bar chart holds on one slide.
MAX_BARS = 10


def wrapped(text: str, room: float = NAME_ROOM, size: float = LABEL, lines: int = 3) -> str:
    """The name in at most ``lines`` lines of ``room`` points (a longer one ends in "…"), joined by line breaks
    that :func:`_split` turns into an axis label's lines."""
    parts = layout.wrap(text, size, room)
    if len(parts) > lines:
        parts = parts[:lines]
        while parts[-1] and layout.width(parts[-1] + "…", size) > room:
            parts[-1] = parts[-1][:-1]
        parts[-1] = parts[-1].rstrip() + "…"
    return "\n".join(parts)


def row_pages(names: list[str], room: float, most: int = MAX_BARS, lines: int = 3) -> list[list[int]]:
    """The rows (by their wrapped names) in pages whose labels, each with a little space, fill at most ``room``
    points and at most ``most`` rows: a chart's rows never crowd their names into each other."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for i, name in enumerate(names):
        need = (wrapped(name, lines=lines).count("\n") + 1) * LABEL * 1.25 + 10
        if pages[-1] and (used + need > room or len(pages[-1]) >= most):
            pages.append([])
            used = 0.0
        pages[-1].append(i)
        used += need
    return pages


def _upright(title: str) -> alt.Axis:
    """A y axis whose title reads upright, above the axis (a turned title is hard to read on a projector)."""
    return alt.Axis(title=title, titleAngle=0, titleAlign="left", titleAnchor="end", titleBaseline="bottom",
                    titleX=0, titleY=-12, tickCount=5)


def _split() -> str:
    return "split(datum.label, '\\n')"


def _finish(chart: alt.TopLevelMixin, box: layout.Box = layout.BODY) -> alt.TopLevelMixin:
    """The chart at the box's size, every text at least :data:`LABEL`, numbers and dates in the language's style."""
    chart = chart.properties(width=box.width, height=box.height,
                             autosize=alt.AutoSizeParams(type="fit", contains="padding")).configure_axis(
        labelFontSize=LABEL, titleFontSize=LABEL, labelLimit=0, titleFontWeight="normal", grid=False,
    ).configure_legend(labelFontSize=LABEL, titleFontSize=LABEL, labelLimit=0, titleLimit=0, orient="bottom",
                       titleFontWeight="normal").configure_text(fontSize=LABEL).configure_view(stroke=None)
    return localized(chart)


def _domain(values: list[float], fixed: tuple[float, float] | None = None) -> list[float]:
    """An x domain from zero (or the fixed ends) to the values, with room for the value labels beyond the bars."""
    shown = [v for v in values if v is not None and not math.isnan(v)] or [0.0]
    lo, hi = min(0.0, *shown), max(0.0, *shown)
    if fixed:
        lo, hi = min(lo, fixed[0]), max(hi, fixed[1])
    pad = 0.16 * max(hi - lo, 10.0)
    return [lo - pad if lo < 0 else lo, hi + pad if hi > 0 or lo == 0 else hi]


def bars(df: pd.DataFrame, axis_title: str, fixed: tuple[float, float] | None = None) -> alt.TopLevelMixin:
    """One bar per row, in the frame's order: ``name``, ``value`` (None: no bar), ``text`` (the label: the model's
    number, or the hidden text) and ``colour``."""
    data = df.assign(name=[wrapped(n) for n in df["name"]], order=range(len(df)),
                     shown=df["value"].fillna(0.0).astype(float),
                     side=[("left" if (v is not None and not pd.isna(v) and v < 0) else "right") for v in df["value"]])
    y = alt.Y("name:N", sort=list(dict.fromkeys(data["name"])), title=None,
              axis=alt.Axis(labelExpr=_split(), labelPadding=8, ticks=False, domain=False))
    x = alt.X("shown:Q", title=axis_title, scale=alt.Scale(domain=_domain(list(df["value"].astype(float)), fixed),
                                                           nice=False),
              axis=alt.Axis(tickCount=5))
    base = alt.Chart(data)
    bar = base.mark_bar(size=min(34, int(layout.BODY_HEIGHT * 0.8 / max(len(df), 1) * 0.7))).encode(
        y=y, x=x, color=alt.Color("colour:N", scale=None))
    right = base.transform_filter("datum.side == 'right'").mark_text(align="left", dx=6, fontSize=LABEL).encode(
        y=y, x="shown:Q", text="text:N")
    left = base.transform_filter("datum.side == 'left'").mark_text(align="right", dx=-6, fontSize=LABEL).encode(
        y=y, x="shown:Q", text="text:N")
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=ORG, strokeWidth=1.5).encode(x="zero:Q")
    return _finish(alt.layer(bar, zero, right, left))


def versus(df: pd.DataFrame, axis_title: str, org_label: str) -> alt.TopLevelMixin:
    """A department's statements against the organisation: ``name``, ``value`` (the department's favourable %),
    ``text``, ``org`` (the organisation's) and ``colour``; the organisation as a black tick on each row."""
    data = df.assign(name=[wrapped(n) for n in df["name"]], order=range(len(df)),
                     shown=df["value"].fillna(0.0).astype(float), marker=org_label)
    y = alt.Y("name:N", sort=list(dict.fromkeys(data["name"])), title=None,
              axis=alt.Axis(labelExpr=_split(), labelPadding=8, ticks=False, domain=False))
    x = alt.X("shown:Q", title=axis_title, scale=alt.Scale(domain=[0, 118], nice=False),
              axis=alt.Axis(values=[0, 25, 50, 75, 100]))
    base = alt.Chart(data)
    bar = base.mark_bar(size=min(30, int(layout.BODY_HEIGHT * 0.7 / max(len(df), 1) * 0.7))).encode(
        y=y, x=x, color=alt.Color("colour:N", scale=None))
    text = base.mark_text(align="left", dx=6, fontSize=LABEL).encode(y=y, x=alt.X("end:Q"), text="text:N"
                                                                     ).transform_calculate(end="max(datum.shown, datum.org || 0)")
    tick = base.transform_filter("isValid(datum.org)").mark_tick(thickness=3, size=36).encode(
        y=y, x="org:Q", color=alt.Color("marker:N", title=None, scale=alt.Scale(range=[ORG])))
    return _finish(alt.layer(bar, tick, text))


def heatmap(df: pd.DataFrame, legend_title: str) -> alt.TopLevelMixin:
    """Statements (rows) by departments (columns): ``statement``, ``department``, ``text`` (the model's number or
    "–"), ``difference`` from the organisation (colour, diverging around it; None: grey)."""
    columns = list(dict.fromkeys(df["department"]))
    room = (layout.BODY_WIDTH - NAME_ROOM) / max(len(columns), 1) - 8
    data = df.assign(statement=[wrapped(n, lines=2) for n in df["statement"]],
                     department=[wrapped(n, room, lines=3) for n in df["department"]],
                     order=range(len(df)))
    y = alt.Y("statement:N", sort=list(dict.fromkeys(data["statement"])), title=None,
              axis=alt.Axis(labelExpr=_split(), ticks=False, domain=False, labelPadding=8))
    x = alt.X("department:N", sort=[wrapped(c, room, lines=3) for c in columns], title=None,
              axis=alt.Axis(orient="bottom", labelAngle=0, labelExpr=_split(), ticks=False, domain=False,
                            labelBaseline="top", labelAlign="center", labelPadding=8))
    base = alt.Chart(data).encode(x=x, y=y)
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.condition("isValid(datum.difference)",
                            alt.Color("difference:Q", title=legend_title,
                                      scale=alt.Scale(scheme="redblue", domain=[-20, 20], clamp=True),
                                      legend=alt.Legend(gradientLength=260, direction="horizontal", orient="top")),
                            alt.value("#eeeeee")))
    text = base.mark_text(fontSize=LABEL).encode(text="text:N", color=alt.condition(
        "abs(datum.difference) > 12", alt.value("white"), alt.value("black")))
    return _finish(alt.layer(rect, text))


def trend(df: pd.DataFrame, axis_title: str, fixed: tuple[float, float]) -> alt.TopLevelMixin:
    """One measure per period: ``period`` (its label, in order), ``value`` and ``text``."""
    data = df.assign(order=range(len(df)))
    x = alt.X("period:N", sort=list(df["period"]), title=None, axis=alt.Axis(labelAngle=0, ticks=False))
    lo, hi = _domain(list(df["value"].astype(float)), fixed)
    y = alt.Y("value:Q", scale=alt.Scale(domain=[lo, hi], nice=False), axis=_upright(axis_title))
    base = alt.Chart(data).encode(x=x, y=y)
    line = base.mark_line(color=MAIN, strokeWidth=3, point=alt.OverlayMarkDef(size=120, color=MAIN))
    text = base.mark_text(dy=-18, fontSize=LABEL).encode(text="text:N")
    layers = [line, text]
    if lo < 0 < hi:
        layers.append(alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=ORG).encode(y="zero:Q"))
    return _finish(alt.layer(*layers))


def _placed(df: pd.DataFrame, xd: list[float], yd: list[float], size: tuple[float, float]) -> pd.DataFrame:
    """Each point's name beside it where it covers no other name and no point (tried right, left, above and below
    of the point in turn; the first place when none is free): columns ``tx``, ``ty`` (data units) and ``align``."""
    w, h = size
    sx, sy = w / (xd[1] - xd[0]), h / (yd[1] - yd[0])
    points = [((x - xd[0]) * sx, (yd[1] - y) * sy) for x, y in zip(df["x"], df["y"])]
    boxes: list[tuple[float, float, float, float]] = [(px - 9, py - 9, px + 9, py + 9) for px, py in points]
    tries = ((12, 0, "left"), (-12, 0, "right"), (8, -18, "left"), (8, 18, "left"), (-8, -18, "right"),
             (-8, 18, "right"), (12, -32, "left"), (12, 32, "left"))
    out = []
    for (px, py), name in zip(points, df["name"]):
        tw = layout.width(name, LABEL)
        chosen = None
        for dx, dy, align in tries:
            x0 = px + dx if align == "left" else px + dx - tw
            box = (x0, py + dy - 10, x0 + tw, py + dy + 10)
            inside = box[0] >= 0 and box[2] <= w and box[1] >= 0 and box[3] <= h
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                chosen = (dx, dy, align, box)
                break
        if chosen is None:
            dx, dy, align = (12, 0, "left") if px + 12 + tw <= w else (-12, 0, "right")
            x0 = px + dx if align == "left" else px + dx - tw
            chosen = (dx, dy, align, (x0, py + dy - 10, x0 + tw, py + dy + 10))
        dx, dy, align, box = chosen
        boxes.append(box)
        out.append((xd[0] + (px + dx) / sx, yd[1] - (py + dy) / sy, align))
    return pd.DataFrame(out, columns=["tx", "ty", "align"], index=df.index)


def scatter(df: pd.DataFrame, fit: pd.DataFrame, x_title: str, y_title: str) -> alt.TopLevelMixin:
    """Departments by their employee (``x``) and customer (``y``) measure, each named (``name``) where its name
    covers no other, with the fitted line (``fit``: ``x``, ``y``)."""
    def ends(values: pd.Series) -> list[float]:
        lo, hi = float(values.min()), float(values.max())
        pad = 0.08 * max(hi - lo, 1.0)
        return [lo - pad, hi + pad]

    xd, yd = ends(df["x"]), ends(df["y"])
    labels = df.join(_placed(df, xd, yd, (layout.BODY_WIDTH - 110, layout.BODY_HEIGHT - 90)))
    xs = alt.X("x:Q", title=x_title, scale=alt.Scale(domain=xd, nice=False, zero=False), axis=alt.Axis(tickCount=8))
    ys = alt.Y("y:Q", scale=alt.Scale(domain=yd, nice=False, zero=False), axis=_upright(y_title))
    line = alt.Chart(fit).mark_line(color=BAD, strokeWidth=2, clip=True).encode(x=xs, y=ys)
    dots = alt.Chart(df).mark_circle(size=160, color=MAIN, opacity=0.85).encode(x=xs, y=ys)
    layers = [line, dots]
    for align in ("left", "right"):
        part = labels[labels["align"] == align]
        if len(part):
            layers.append(alt.Chart(part).mark_text(align=align, baseline="middle", fontSize=LABEL, color="#333").encode(
                x=alt.X("tx:Q", scale=alt.Scale(domain=xd, nice=False, zero=False)),
                y=alt.Y("ty:Q", scale=alt.Scale(domain=yd, nice=False, zero=False)), text="name:N"))
    return _finish(alt.layer(*layers))
