"""Aggregated tables behind every chart and table of the app.

Each function takes a :class:`~lib.figures.summary.Summary` (its filters already
applied) and returns a small DataFrame — one row per department, period,
statement or answer — so a chart's size never grows with the number of
responses. Employee figures come only from the rows and department groups
that :mod:`lib.privacy.groups` released for the view (``Summary.employee_view``);
hidden cells come back as missing with ``suppressed`` set.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.figures import metrics, stats
from lib.privacy import groups as privacy
from lib.figures.filters import department_index
from lib.i18n import Msg, _, format_number, format_period, msg
from lib.figures.summary import Summary

GROUPS = ("detractor", "passive", "promoter")


def _customer_rows(s: Summary) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    assert s.customer is not None and s.customer_filter is not None
    m = s.customer_filter.mask
    f = s.customer.frame
    return department_index(s.customer, s.link, "customer")[m], f["recommend"].to_numpy(dtype="float64")[m], f.loc[m]


def _employee_rows(s: Summary) -> tuple[np.ndarray, pd.DataFrame]:
    """The released employee rows and each one's department row (``len(names)``: totals only)."""
    assert s.employee is not None and s.employee_view is not None
    m = s.employee_view.mask
    return s.employee_view.group[m], s.employee.frame.loc[m]


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
    """The department table as people read it: translated headers, suppressed cells spelled out.

    Numbers stay numbers (rounded to one decimal); a hidden cell holds the text
    "fewer than k responses", never a zero or a blank.
    """
    t = department_table(s)
    texts = hidden_texts(s.settings.min_group)
    reasons = {d.department: d.suppressed_reason for d in s.departments}

    def cell(value: float, suppressed: bool, name: str = "") -> object:
        if suppressed:
            return texts[reasons.get(name) or "small"]
        return None if pd.isna(value) else round(float(value), 1)

    def interval(lo: float, hi: float) -> str | None:
        return None if pd.isna(lo) else _("{lo} to {hi}").format(lo=format_number(lo), hi=format_number(hi))

    out = pd.DataFrame({
        _("Department"): t["department"],
        _("NPS"): [None if pd.isna(v) else round(float(v), 1) for v in t["nps"]],
        _("NPS 95% CI"): [interval(lo, hi) for lo, hi in zip(t["nps_low"], t["nps_high"])],
        _("Customer n"): t["customer_n"],
        _("Engagement"): [cell(v, sup, d) for v, sup, d in zip(t["engagement"], t["suppressed"], t["department"])],
        _("Engagement 95% CI"): [None if sup else interval(lo, hi) for lo, hi, sup in
                                 zip(t["engagement_low"], t["engagement_high"], t["suppressed"])],
        _("Favourable %"): [cell(v, sup, d) for v, sup, d in zip(t["favorable_pct"], t["suppressed"], t["department"])],
        _("eNPS"): [cell(v, sup, d) for v, sup, d in zip(t["enps"], t["suppressed"], t["department"])],
        _("Employee n"): t["employee_n"],
    })
    if s.customer is None:
        out = out.drop(columns=[_("NPS"), _("NPS 95% CI"), _("Customer n")])
    if s.employee is None:
        out = out.drop(columns=[_("Engagement"), _("Engagement 95% CI"), _("Favourable %"), _("eNPS"), _("Employee n")])
    elif not s.employee.has_recommend:
        out = out.drop(columns=[_("eNPS")])
    return out


def nps_by_department(s: Summary) -> pd.DataFrame:
    """NPS with interval and P/A/D counts per department that has customer answers."""
    rows = []
    for d in s.departments:
        if d.nps is None:
            continue
        lo, hi = d.nps.ci95 or (np.nan, np.nan)
        rows.append({"department": d.department, "nps": d.nps.score, "low": lo, "high": hi, "n": d.nps.n,
                     "detractors": d.nps.detractors, "passives": d.nps.passives, "promoters": d.nps.promoters,
                     "small": d.nps.n < 30})
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
    counts = np.bincount(scores[~np.isnan(scores)].astype(np.int64), minlength=11)[:11]
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
    counts = metrics.nps_counts_by_group(codes.astype(np.int64), scores[ok], len(uniques))
    rows = []
    for i, p in enumerate(uniques):
        r = metrics.nps_result(counts[i])
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


def _item_points(s: Summary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    assert s.employee is not None
    group, f = _employee_rows(s)
    items = s.employee.items
    points = f[[i.key for i in items]].to_numpy(dtype="float64") if items else np.zeros((len(f), 0))
    fav_low = np.array([i.scale.high - 1 for i in items], dtype=float)
    return group, points, fav_low


def item_favorability(s: Summary) -> pd.DataFrame:
    """Favourable % per department × statement, and its difference from the whole (filtered) organisation."""
    cols = ["department", "statement", "favorable_pct", "difference", "n", "suppressed", "suppressed_reason"]
    if s.employee is None or not s.employee.items or s.employee_view is None:
        return pd.DataFrame(columns=cols)
    group, points, fav_low = _item_points(s)
    hidden_items = [i.key in s.employee_view.hidden for i in s.employee.items]
    org_ans, org_fav = metrics.item_favorable(points, fav_low)
    index = {name: g for g, name in enumerate(s.link.names)}
    rows = []
    for d in s.departments:
        if not d.employee_n:
            continue
        sel = group == index[d.department]
        ans, fav = metrics.item_favorable(points[sel], fav_low)
        for j, item in enumerate(s.employee.items):
            hidden = d.suppressed or hidden_items[j]
            pct = np.nan if hidden or ans[j] == 0 else 100.0 * fav[j] / ans[j]
            org = np.nan if hidden_items[j] or not org_ans[j] else 100.0 * org_fav[j] / org_ans[j]
            rows.append({"department": d.department, "statement": item.label, "favorable_pct": pct,
                         "difference": pct - org if not np.isnan(pct) else np.nan, "n": d.employee_n,
                         "suppressed": bool(hidden),
                         "suppressed_reason": d.suppressed_reason or ("few_answers" if hidden else None)})
    return pd.DataFrame(rows, columns=cols)


def item_distribution(s: Summary) -> pd.DataFrame:
    """Share of each answer point per statement, as people answered (reverse-worded statements unflipped),
    for the employees :mod:`lib.privacy.groups` released (empty when none)."""
    cols = ["statement", "point", "answer", "count", "share", "offset_start", "offset_end"]
    if s.employee is None or not s.employee.items:
        return pd.DataFrame(columns=cols)
    group, points, _fav = _item_points(s)
    if s.engagement is None or s.engagement.suppressed or s.employee_view is None:
        return pd.DataFrame(columns=cols)
    from lib.values.vocab import LABEL_SCALES

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
            answer = ls.points[p - ls.low][0] if ls else str(p)
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
    for name, x, y in zip(s.linkage.departments, s.linkage.engagement, s.linkage.nps):
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
    frame = survey.frame.loc[result.mask]
    texts = []
    for key in survey.comments.values():
        col = frame[key].dropna().astype(str).str.strip()
        texts.extend(t for t in col.tolist() if t)
    return privacy.shuffled(texts, seed), None


def hme_table(s: Summary) -> pd.DataFrame:
    """HME and its sub-indices for the selection and, when the file has a gender column, for each gender: whole
    numbers (rounded half up when shown), hidden groups spelled out by :mod:`lib.privacy.groups`, incomplete ones "–"."""
    from lib.figures.hme import SUBINDEX_NAMES

    n = s.nordic
    if n.hme is None:
        return pd.DataFrame()
    k = s.settings.min_group
    rows = [(str(_("All")), n.hme), *n.hme_by_gender.items()]

    def cell(result, value):  # type: ignore[no-untyped-def]
        if result.suppressed:
            return str(privacy.hidden_text("small", k))
        return "–" if value is None else float(value)

    out = pd.DataFrame({
        (n.gender_column or _("Group")): [name for name, _r in rows],
        _("HME"): [cell(r, r.total) for _n, r in rows],
        **{str(SUBINDEX_NAMES[key]): [cell(r, r.subindices[key]) for _n, r in rows] for key in SUBINDEX_NAMES},
        _("Respondents"): [r.respondents for _n, r in rows],
    })
    return out


ARROWS = {True: "▲", False: "▼"}


def rest_flags(s: Summary) -> dict[tuple[str, str], str]:
    """▲ or ▼ by (department, measure) where a department differs from the rest of the organisation after the
    Benjamini–Hochberg correction (:func:`lib.figures.comparisons.versus_rest`)."""
    from lib.figures.comparisons import versus_rest

    return {(t.department, t.measure): ARROWS[t.difference > 0] for t in versus_rest(s) if t.significant}


def period_table(summaries: list, kind: str) -> pd.DataFrame:
    """One row per period: NPS, engagement index and eNPS with their 95 % intervals and n (employee figures as the
    privacy module released them for that period; hidden ones are NaN)."""
    rows = []
    for p, s in summaries:
        e = s.engagement if s.engagement is not None and not s.engagement.suppressed else None
        nps_lo, nps_hi = (s.nps.ci95 or (np.nan, np.nan)) if s.nps else (np.nan, np.nan)
        e_lo, e_hi = (e.index_ci95 or (np.nan, np.nan)) if e else (np.nan, np.nan)
        rows.append({"period": pd.Timestamp(p.start), "label": p.label(kind),
                     "nps": s.nps.score if s.nps and s.nps.n else np.nan, "nps_low": nps_lo, "nps_high": nps_hi,
                     "customer_n": s.nps.n if s.nps else 0,
                     "engagement": e.index if e else np.nan, "engagement_low": e_lo, "engagement_high": e_hi,
                     "enps": s.enps.score if s.enps else np.nan, "employee_n": e.respondents if e else 0,
                     "pulse": s.pulse.mean if s.pulse else np.nan, "pulse_n": s.pulse.n if s.pulse else 0})
    return pd.DataFrame(rows)


def change_table(tests: list) -> pd.DataFrame:
    """The change tests as people read them: who, which figure, before, after, the change with its arrow when it
    is real after Holm's correction, and both p-values."""
    names = {"nps": _("NPS"), "enps": _("eNPS"), "engagement": _("Engagement index")}
    rows = [{_("Department"): t.department or _("Whole organisation"), _("Figure"): names[t.measure],
             _("Before"): round(t.other, 1), _("After"): round(t.value, 1),
             _("Change"): f"{ARROWS[t.difference > 0]} {format_number(t.difference, 1)}" if t.significant
             else format_number(t.difference, 1),
             _("p"): format_number(t.p, 3), _("p (Holm)"): format_number(t.p_corrected, 3)} for t in tests]
    return pd.DataFrame(rows)
