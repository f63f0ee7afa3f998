"""Aggregated tables behind every chart and table of the app.

Each function takes a :class:`~lib.figures.summary.Summary` (its filters already
applied) and returns a small DataFrame — one row per department, period,
statement or answer — so a chart's size never grows with the number of
responses. Employee figures come only from the rows and department groups
that :mod:`lib.privacy.groups` released for the view (``Summary.employee_view``);
hidden cells come back as missing with ``suppressed`` set.

The tables people read as they are (departments, HME, changes) are the presentation
model's (:mod:`lib.present.model`): this module hands them on as DataFrames and
formats no figure itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.figures import metrics, stats
from lib.privacy import groups as privacy
from lib.figures.filters import department_index
from lib.i18n import Msg, format_period, msg
from lib.figures.summary import Summary
from lib.present import model
from lib.present.items import item_favorability, item_points
from lib.survey.hierarchy import Hierarchy

GROUPS = ("detractor", "passive", "promoter")


def _customer_rows(s: Summary) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    assert s.customer is not None and s.customer_filter is not None
    m = s.customer_filter.mask
    f = s.customer.frame
    return department_index(s.customer, s.link, "customer")[m], f["recommend"].to_numpy(dtype="float64")[m], f.loc[m]


def department_table(s: Summary) -> pd.DataFrame:
    """The overview table: one row per department, suppressed cells missing and flagged."""
    rows = []
    for d in s.departments:
        e = d.engagement
        rows.append({
            "department": d.department,
            "nps": d.nps.score if d.nps else np.nan,
            "nps_low": d.nps.ci95[0] if d.nps and d.nps.ci95 else np.nan,
            "nps_high": d.nps.ci95[1] if d.nps and d.nps.ci95 else np.nan,
            "customer_n": d.customer_n,
            "engagement": e.index if e and e.index is not None else np.nan,
            "engagement_low": e.index_ci95[0] if e and e.index_ci95 else np.nan,
            "engagement_high": e.index_ci95[1] if e and e.index_ci95 else np.nan,
            "favorable_pct": e.favorable_pct if e and e.favorable_pct is not None else np.nan,
            "enps": d.enps.score if d.enps else np.nan,
            "employee_n": d.employee_n,
            "suppressed": d.suppressed,
            "suppressed_reason": d.suppressed_reason,
        })
    cols = ["department", "nps", "nps_low", "nps_high", "customer_n", "engagement", "engagement_low", "engagement_high",
            "favorable_pct", "enps", "employee_n", "suppressed", "suppressed_reason"]
    return pd.DataFrame(rows, columns=cols)


def hidden_texts(k: int) -> dict[str, str]:
    """What a hidden cell says, by reason (the texts are :mod:`lib.privacy.groups`'s)."""
    return {reason: str(privacy.hidden_text(reason, k)) for reason in privacy.HIDDEN_REASONS}


def department_report(s: Summary) -> pd.DataFrame:
    """The department table as a download holds it: :func:`lib.present.model.department_table`'s translated headers
    and values. Numbers stay numbers (rounded as the model shows them); a hidden cell holds the text "fewer than k
    responses", never a zero or a blank."""
    return model.department_table(s).values()


def nps_by_department(s: Summary) -> pd.DataFrame:
    """NPS with interval and P/A/D counts per department that has customer answers; a department below the minimum
    of customer answers (``small``) keeps its n and counts but no NPS or interval (:func:`lib.figures.metrics.nps_shown`)."""
    rows = []
    for d in s.departments:
        if d.nps is None:
            continue
        shown = metrics.nps_shown(d.nps, s.settings.min_customers)
        lo, hi = d.nps.ci95 if shown and d.nps.ci95 else (np.nan, np.nan)
        rows.append({"department": d.department, "nps": d.nps.score if shown else np.nan, "low": lo, "high": hi,
                     "n": d.nps.n, "detractors": d.nps.detractors, "passives": d.nps.passives,
                     "promoters": d.nps.promoters, "small": not shown})
    df = pd.DataFrame(rows, columns=["department", "nps", "low", "high", "n", "detractors", "passives", "promoters", "small"])
    return df.sort_values("nps", ascending=False, kind="stable").reset_index(drop=True)


def nps_shares(s: Summary) -> pd.DataFrame:
    """Long table of promoter/passive/detractor shares (%) per department."""
    base = nps_by_department(s)
    out = []
    for _i, r in base.iterrows():
        for g, col in zip(GROUPS, ("detractors", "passives", "promoters")):
            out.append({"department": r["department"], "group": g, "count": int(r[col]),
                        "share": 100.0 * r[col] / r["n"] if r["n"] else np.nan, "order": GROUPS.index(g)})
    return pd.DataFrame(out, columns=["department", "group", "count", "share", "order"])


def score_distribution(s: Summary) -> pd.DataFrame:
    """How many customers gave each answer 0–10."""
    _g, scores, _f = _customer_rows(s)
    ok = ~np.isnan(scores)
    weights = s.customer.weights[s.customer_filter.mask][ok]  # answers per row (a table of counts), else ones
    counts = np.bincount(scores[ok].astype(np.int64), weights=weights, minlength=11)[:11].astype(np.int64)
    total = counts.sum()
    return pd.DataFrame({
        "score": np.arange(11), "count": counts,
        "share": 100.0 * counts / total if total else np.zeros(11),
        "group": ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2,
    })


def nps_trend(s: Summary, period: str = "M") -> pd.DataFrame:
    """NPS with its interval per month ("M") or quarter ("Q") of the response date."""
    _g, scores, f = _customer_rows(s)
    dates = f["date"].to_numpy(dtype="datetime64[ns]")
    ok = ~np.isnan(scores) & ~np.isnat(dates)
    cols = ["period", "label", "nps", "low", "high", "n"]
    if not ok.any():
        return pd.DataFrame(columns=cols)
    per = pd.PeriodIndex(pd.DatetimeIndex(dates[ok]), freq=period)
    codes, uniques = pd.factorize(per, sort=True)
    counts = metrics.nps_counts_by_group(codes.astype(np.int64), scores[ok], len(uniques),
                                         s.customer.weights[s.customer_filter.mask][ok])
    rows = []
    for i, p in enumerate(uniques):
        r = metrics.nps_result(counts[i])
        if not metrics.nps_shown(r, s.settings.min_customers):  # too few answers: n only
            r = stats.NpsResult(None, r.n, r.promoters, r.passives, r.detractors, None)
        lo, hi = r.ci95 or (np.nan, np.nan)
        rows.append({"period": p.start_time, "label": format_period(p.start_time.date(), period), "nps": r.score,
                     "low": lo, "high": hi, "n": r.n})
    return pd.DataFrame(rows, columns=cols)


def engagement_by_department(s: Summary) -> pd.DataFrame:
    rows = []
    for d in s.departments:
        e = d.engagement
        if e is None or e.n == 0:
            continue
        rows.append({"department": d.department, "engagement": e.index if e.index is not None else np.nan,
                     "favorable_pct": e.favorable_pct if e.favorable_pct is not None else np.nan,
                     "enps": d.enps.score if d.enps else np.nan,
                     "enps_low": d.enps.ci95[0] if d.enps and d.enps.ci95 else np.nan,
                     "enps_high": d.enps.ci95[1] if d.enps and d.enps.ci95 else np.nan,
                     "n": e.n, "suppressed": e.suppressed, "suppressed_reason": d.suppressed_reason})
    df = pd.DataFrame(rows, columns=["department", "engagement", "favorable_pct", "enps", "enps_low", "enps_high", "n",
                                     "suppressed", "suppressed_reason"])
    return df.sort_values(["suppressed", "engagement"], ascending=[True, False], kind="stable").reset_index(drop=True)


def item_distribution(s: Summary) -> pd.DataFrame:
    """Share of each answer point per statement, as people answered (reverse-worded statements unflipped),
    for the employees :mod:`lib.privacy.groups` released (empty when none)."""
    cols = ["statement", "point", "answer", "count", "share", "offset_start", "offset_end"]
    if s.employee is None or not s.employee.items:
        return pd.DataFrame(columns=cols)
    group, points, _fav = item_points(s)
    if s.engagement is None or s.engagement.suppressed or s.employee_view is None:
        return pd.DataFrame(columns=cols)
    from lib.values.scale_library import LABEL_SCALES

    labels_by_key = {sc.key: sc for sc in LABEL_SCALES}
    rows = []
    for j, item in enumerate(s.employee.items):
        if item.key in s.employee_view.hidden:
            continue
        col = points[:, j]
        col = col[~np.isnan(col)]
        if item.reverse:  # scored reversed, but shown as answered: "Strongly agree" stays "Strongly agree"
            col = item.scale.low + item.scale.high - col
        total = len(col)
        sc = item.scale
        mid = (sc.low + sc.high) / 2
        pts = list(range(sc.low, sc.high + 1))
        shares = [100.0 * float((col == p).sum()) / total if total else 0.0 for p in pts]
        # diverging layout: negative answers left of zero, half the midpoint on each side
        neg = sum(sh for p, sh in zip(pts, shares) if p < mid) + sum(sh / 2 for p, sh in zip(pts, shares) if p == mid)
        start = -neg
        for p, sh in zip(pts, shares):
            ls = labels_by_key.get(sc.labels or "")
            own = item.answers[p - sc.low] if len(item.answers) > p - sc.low else ""  # as the file words it
            answer = own or (ls.points[p - ls.low][0] if ls else str(p))
            rows.append({"statement": item.label, "point": p, "answer": answer, "count": int((col == p).sum()),
                         "share": sh, "offset_start": start, "offset_end": start + sh})
            start += sh
    return pd.DataFrame(rows, columns=cols)


def drivers(s: Summary) -> pd.DataFrame:
    """How strongly each statement's department favourable % goes with department NPS: Pearson r over the
    departments the linkage used (same anonymity and size rules), with Holm-corrected p-values across the
    statements (``p_holm``), since testing ten statements at once makes one look significant by chance."""
    cols = ["statement", "r", "p", "departments", "p_holm"]
    if s.linkage is None or s.employee is None or not s.employee.items or len(s.linkage.departments) < 3:
        return pd.DataFrame(columns=cols)
    fav = item_favorability(s)
    nps = {d.department: d.nps.score for d in s.departments if d.nps is not None}
    used = set(s.linkage.departments)
    rows = []
    for item in s.employee.items:
        sub = fav[(fav["statement"] == item.label) & fav["department"].isin(used)].dropna(subset=["favorable_pct"])
        x = sub["favorable_pct"].to_numpy(dtype=float)
        y = np.array([nps[d] for d in sub["department"]], dtype=float)
        c = stats.correlation(x, y)
        rows.append({"statement": item.label, "r": c.pearson_r if c.pearson_r is not None else np.nan,
                     "p": c.pearson_p if c.pearson_p is not None else np.nan, "departments": c.n})
    out = pd.DataFrame(rows, columns=cols[:-1])
    tested = out["p"].notna()
    out["p_holm"] = np.nan
    if tested.any():
        out.loc[tested, "p_holm"] = stats.holm(out.loc[tested, "p"].tolist())
    return out.sort_values("r", ascending=False, kind="stable").reset_index(drop=True)


def linkage_points(s: Summary) -> pd.DataFrame:
    """One row per department used in the correlation, with every figure for tooltips."""
    cols = ["department", "engagement", "nps", "customer_n", "employee_n", "favorable_pct", "enps"]
    if s.linkage is None:
        return pd.DataFrame(columns=cols)
    by = {d.department: d for d in s.departments}
    rows = []
    for name, x, y in zip(s.linkage.departments, s.linkage.employee_values, s.linkage.customer_values):
        d = by[name]
        rows.append({"department": name, "engagement": x, "nps": y, "customer_n": d.customer_n, "employee_n": d.employee_n,
                     "favorable_pct": d.engagement.favorable_pct if d.engagement else np.nan,
                     "enps": d.enps.score if d.enps else np.nan})
    return pd.DataFrame(rows, columns=cols)


def fitted_line(points: pd.DataFrame) -> pd.DataFrame:
    """Least-squares line of NPS on engagement across the plotted range (two points)."""
    if len(points) < 3 or points["engagement"].nunique() < 2:
        return pd.DataFrame(columns=["engagement", "nps"])
    slope, intercept = np.polyfit(points["engagement"], points["nps"], 1)
    xs = np.array([points["engagement"].min(), points["engagement"].max()])
    return pd.DataFrame({"engagement": xs, "nps": intercept + slope * xs})


def comments(s: Summary, side: str) -> tuple[list[str], Msg | None]:
    """Free-text answers of the view, sorted and shuffled, with nothing attached (no department, no date).

    Employee comments come from :func:`lib.privacy.groups.comments`: only whole
    comment groups inside the view; when there are none, the list is empty and
    the second value says why.
    """
    survey = s.customer if side == "customer" else s.employee
    result = s.customer_filter if side == "customer" else s.employee_filter
    if survey is None or result is None or not survey.comments:
        return [], None
    seed = s.settings.comment_seed
    if side == "employee" and s.employee_view is not None:
        texts, n = privacy.comments(survey, s.employee_view.chosen, s.settings.min_group, s.settings.floor,
                                    s.settings.min_comments, seed)
        if not n:
            need = privacy.comment_threshold(s.settings.min_group, s.settings.min_comments)
            return [], msg("Comments are shown only for whole groups of at least {n} employee responses, and this "
                           "selection holds none.", n=need)
        return texts, None
    parts = []
    for key in survey.comments.values():
        col = survey.frame[key][result.mask].dropna().astype(str).str.strip()
        parts.append(col[col != ""])
    return privacy.shuffled(pd.concat(parts, ignore_index=True), seed), None


def hme_table(s: Summary) -> pd.DataFrame:
    """HME and its sub-indices for the selection and for each gender, as :func:`lib.present.model.hme_table` writes
    them (empty when the file lacks HME's statements)."""
    table = model.hme_table(s)
    return pd.DataFrame() if table is None else table.texts()


ARROWS = model.ARROWS


def rest_flags(s: Summary) -> dict[tuple[str, str], str]:
    """▲ or ▼ by (department, measure) where a department differs from the rest of the organisation after the
    Benjamini–Hochberg correction (:func:`lib.figures.comparisons.versus_rest`)."""
    from lib.figures.comparisons import versus_rest

    return {(t.department, t.measure): ARROWS[t.difference > 0] for t in versus_rest(s) if t.significant}


def minimum_note(min_customers: int, page: str) -> Msg:
    """What the minimum of customer answers keeps: the widest 95 % margin a department NPS can then have
    (:func:`lib.figures.metrics.nps_margin_bound`), as the Customer NPS (``page`` "customer") or Linkage page says it."""
    margin = metrics.nps_margin_bound(min_customers)
    if page == "customer":
        return msg("A department's NPS is shown from {m} customer answers, so that its 95% margin is at most ±{margin} "
                   "points.", m=min_customers, margin=margin)
    return msg("A department counts with at least {m} customer answers, so that its NPS's 95% margin is at most "
               "±{margin} points.", m=min_customers, margin=margin)


def period_table(summaries: list, kind: str) -> pd.DataFrame:
    """One row per period: NPS, engagement index and eNPS with their 95 % intervals and n (employee figures as the
    privacy module released them for that period; hidden ones are NaN; an NPS below the minimum of customer answers is
    NaN with its n). An incomplete period is marked in its label and ``incomplete``."""
    rows = []
    for p, s in summaries:
        e = s.engagement if s.engagement is not None and not s.engagement.suppressed else None
        nps_ok = metrics.nps_shown(s.nps, s.settings.min_customers)
        nps_lo, nps_hi = (s.nps.ci95 or (np.nan, np.nan)) if nps_ok else (np.nan, np.nan)
        e_lo, e_hi = (e.index_ci95 or (np.nan, np.nan)) if e else (np.nan, np.nan)
        rows.append({"period": pd.Timestamp(p.start), "label": p.shown(kind), "incomplete": p.incomplete,
                     "nps": s.nps.score if nps_ok else np.nan, "nps_low": nps_lo, "nps_high": nps_hi,
                     "customer_n": s.nps.n if s.nps else 0,
                     "engagement": e.index if e else np.nan, "engagement_low": e_lo, "engagement_high": e_hi,
                     "enps": s.enps.score if s.enps else np.nan, "employee_n": e.respondents if e else 0,
                     "pulse": s.pulse.mean if s.pulse else np.nan, "pulse_n": s.pulse.n if s.pulse else 0})
    return pd.DataFrame(rows)


def change_table(tests: list) -> pd.DataFrame:
    """The change tests as :func:`lib.present.model.change_table` writes them: who, which figure, before, after, the
    change with its arrow when it is real after Holm's correction, and both p-values."""
    return model.change_table(tests).texts()


def organisation_table(hierarchy: Hierarchy, names: list[str], mapping: dict[str, str]) -> pd.DataFrame:
    """The organisation as the Data page lists it: ``unit`` (indented by level), ``level`` (1: the top), ``in_files``
    (whether a unit of the files, after ``mapping``, is this one) and ``manager`` (e-mail addresses)."""
    alias = {privacy.key(a): b for a, b in mapping.items() if str(b).strip()}
    in_files = {privacy.key(alias.get(privacy.key(n), n)) for n in names}
    managers: dict[str, list[str]] = {}
    for unit, address in hierarchy.managers:
        managers.setdefault(unit, []).append(address)
    units = hierarchy.units()
    return pd.DataFrame({"unit": ["\u2003" * d + u for u, d in units], "level": [d + 1 for _u, d in units],
                         "in_files": [privacy.key(u) in in_files for u, _d in units],
                         "manager": [", ".join(managers.get(u, [])) for u, _d in units]})
