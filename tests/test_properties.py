"""Property tests for the metrics: bounds, interval order, invariance to row order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.figures import metrics, stats

scores = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=400)


@given(scores)
def test_nps_and_interval_within_bounds(xs):
    r = stats.nps(np.array(xs, dtype=float))
    assert -100 <= r.score <= 100
    lo, hi = r.ci95
    assert -100 <= lo <= hi <= 100
    assert r.promoters + r.passives + r.detractors == r.n == len(xs)


@given(st.integers(0, 2000), st.integers(0, 2000), st.integers(0, 2000))
def test_interval_from_counts(d, a, p):
    r = stats.nps_from_counts(d, a, p)
    if d + a + p == 0:
        assert r.score is None
        return
    lo, hi = r.ci95
    assert -100 <= lo <= hi <= 100


@given(scores)
def test_nps_is_promoters_minus_detractors(xs):
    """Against a count done here, answer by answer: 9–10 promote, 0–6 detract."""
    promoters = sum(1 for x in xs if x >= 9)
    detractors = sum(1 for x in xs if x <= 6)
    r = stats.nps(np.array(xs, float))
    assert (r.promoters, r.detractors, r.passives) == (promoters, detractors, len(xs) - promoters - detractors)
    assert r.score == pytest.approx(100 * (promoters - detractors) / len(xs))


answers = st.lists(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3), min_size=1, max_size=60)


def _engagement(rows, groups):
    pts = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
    scaled = stats.rescale(pts, 1, 5)
    answered = (~np.isnan(pts)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        score = np.where(answered > 0, np.nansum(scaled, axis=1) / np.maximum(answered, 1), np.nan)
    fav = (pts >= 4).sum(axis=1)
    sums = metrics.engagement_sums(np.array(groups), score, answered.astype(float), fav.astype(float), 2)
    return [sums.result(g) for g in range(2)] + [sums.total().result(0)]


@settings(max_examples=60)
@given(answers, st.randoms(use_true_random=False))
def test_engagement_within_0_100_and_order_free(rows, rnd):
    groups = [i % 2 for i in range(len(rows))]
    first = _engagement(rows, groups)
    for e in first:
        if e.index is not None:
            assert 0 <= e.index <= 100
        if e.favorable_pct is not None:
            assert 0 <= e.favorable_pct <= 100
        if e.respondents == 0:
            assert e.index is None
    order = list(range(len(rows)))
    rnd.shuffle(order)
    second = _engagement([rows[i] for i in order], [groups[i] for i in order])
    for a, b in zip(first, second):
        assert a.n == b.n
        assert (a.index is None) == (b.index is None)
        if a.index is not None:
            assert abs(a.index - b.index) < 1e-9


@settings(max_examples=150, deadline=None)
@given(days=st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=0, max_size=60),
       weighted=st.booleans(), since=st.one_of(st.none(), st.integers(-2, 42), st.dates()),
       until=st.one_of(st.none(), st.integers(-2, 42), st.dates()), departments=st.lists(st.sampled_from("ABC"), max_size=2),
       data=st.data())
def test_a_date_window_keeps_and_counts_the_rows_comparing_every_date_does(days, weighted, since, until, departments,
                                                                           data):
    """The window taken as a run of the rows in date order gives the rows, and the rows left out by reason (counted
    by weight for a table of counts), that comparing every row's date with the window gives; a window's day may be
    any date (9999-12-31 once overflowed, and numpy's nanoseconds wrap a day past 2262 round silently)."""
    import datetime as dt
    import types

    import pandas as pd

    from lib.figures.filters import Filters, apply
    from lib.figures.linkage import link_departments

    # rows in 2025, or on the first or last days pandas can hold (1677-09-21 from 00:12, 2262-04-11 until 23:47)
    start = data.draw(st.sampled_from([dt.date(2025, 1, 1), dt.date(1677, 9, 21), dt.date(2262, 4, 11)]))
    if start.year == 2262:
        days = [None if d is None else -(d % 3) for d in days]
    n = len(days)
    since, until = (start + dt.timedelta(days=x) if isinstance(x, int) and (start.year != 2262 or x <= 0)
                    else x if not isinstance(x, int) else start for x in (since, until))
    if since is not None and until is not None and since > until:
        since, until = until, since
    depts = data.draw(st.lists(st.sampled_from("ABC"), min_size=n, max_size=n))
    hours = data.draw(st.lists(st.integers(1, 22), min_size=n, max_size=n))  # inside the first and last days
    frame = pd.DataFrame({
        "date": pd.to_datetime([None if d is None else pd.Timestamp(start) + pd.Timedelta(days=d, hours=h)
                                for d, h in zip(days, hours)]).astype("datetime64[ns]"),  # as the frames hold them
        "department": pd.Categorical(depts, categories=["A", "B", "C"])})
    if weighted:
        frame["weight"] = data.draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    survey = types.SimpleNamespace(frame=frame, cache={}, departments=["A", "B", "C"], segments={},
                                   weights=frame["weight"].to_numpy(dtype=np.int64) if weighted else np.ones(n, np.int64))
    link = link_departments(["A", "B", "C"], [])
    filters = Filters(departments=frozenset(departments) or None, since=since, until=until)
    got = apply(survey, filters, link, "customer")
    # the reference: every row's date compared with the window
    w = survey.weights
    mask = np.ones(n, bool) if filters.departments is None else frame["department"].isin(departments).to_numpy().copy()
    excluded = {}
    if filters.departments is not None and int(w[~mask].sum()):
        excluded["department"] = int(w[~mask].sum())
    if filters.since or filters.until:
        days_of = [None if pd.isna(t) else t.date() for t in frame["date"]]  # compared as Python dates
        has = np.array([d is not None for d in days_of], dtype=bool)
        keep = np.array([d is not None and (not filters.since or d >= filters.since)
                         and (not filters.until or d <= filters.until) for d in days_of], dtype=bool)
        for reason, ok in (("undated", has), ("date", keep | ~has)):
            lost = int(w[mask & ~ok].sum())
            if lost:
                excluded[reason] = lost
            mask &= ok
    assert got.mask.tolist() == mask.tolist() and got.excluded == excluded


@pytest.mark.parametrize("since, until, kept", [
    ("1677-09-22", None, [False, True, True]), (None, "1677-09-21", [True, False, False]),
    ("1677-09-21", "1677-09-21", [True, False, False]), ("2262-04-11", None, [False, False, True]),
    (None, "2262-04-10", [True, True, False]), ("0001-01-01", "9999-12-31", [True, True, True]),
])
def test_a_date_window_at_the_ends_of_pandas_dates(since, until, kept):
    """Rows on the first and last days pandas can hold (1677-09-21 after 00:12, 2262-04-11 before 23:47) are in a
    window by their day, as any other row (the first day's midnight is outside pandas' range)."""
    import datetime as dt
    import types

    import pandas as pd

    from lib.figures.filters import Filters, apply
    from lib.figures.linkage import link_departments

    frame = pd.DataFrame({"date": pd.to_datetime(["1677-09-21 12:00", "2025-01-01 12:00", "2262-04-11 12:00"])
                          .astype("datetime64[ns]"), "department": pd.Categorical(["A", "A", "A"])})
    survey = types.SimpleNamespace(frame=frame, cache={}, departments=["A"], segments={}, weights=np.ones(3, np.int64))
    day = lambda text: None if text is None else dt.date.fromisoformat(text)  # noqa: E731
    got = apply(survey, Filters(since=day(since), until=day(until)), link_departments(["A"], []), "customer")
    assert got.mask.tolist() == kept
