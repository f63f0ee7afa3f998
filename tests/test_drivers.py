"""Key drivers (lib.figures.drivers): the intervals shown hold their weights."""

import numpy as np
import pytest

from lib.figures import drivers


@pytest.mark.parametrize("seed", range(10))
def test_a_shown_interval_holds_its_weight(seed):
    # seed 4 gives a weight of 0.00077 whose percentile interval, 0.00078 to 0.024, lies above it
    rng = np.random.default_rng(seed)
    n = 120
    x = rng.normal(size=(n, 4))
    y = x[:, 0] + 0.5 * x[:, 1] + rng.normal(size=n)
    t = drivers._compute(np.column_stack([x, y]), ("a", "b", "c", "d"), np.full(4, n), 200).table
    shown = t["low"].notna()
    assert (t["low"].isna() == t["high"].isna()).all()
    assert ((t.loc[shown, "low"] <= t.loc[shown, "weight"] + 1e-9)
            & (t.loc[shown, "weight"] <= t.loc[shown, "high"] + 1e-9)).all()
    assert shown.sum() >= 2  # the two real drivers keep theirs


def test_a_hidden_statement_does_not_take_the_drivers_away():
    from lib.figures.summary import summarize
    from lib.privacy import groups as privacy
    from tests.test_privacy_groups import K, STATEMENTS, load, staff_file

    e = load(staff_file({"Alfa": 40, "Beta": 40}, blanks={("Alfa", 2): 36, ("Beta", 2): 40}))
    assert privacy.hidden_items(e, K) == {e.items[2].key}  # four people answered the third statement
    s = summarize(None, e)
    got = drivers.relative_importance(s, resamples=40)
    assert got is not None
    assert set(got.table["statement"]) == {i.label for i in e.items[:2]}
    assert STATEMENTS[2] not in set(got.table["statement"])
