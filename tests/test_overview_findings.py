"""Department findings (lib.present.overview): the printed difference is the difference of the printed figures, and
a test whose difference may not be shown gives no finding."""

import re

from hypothesis import given, strategies as st

from lib.figures.comparisons import Test
from lib.i18n import round_half_up
from lib.present import overview


def _float(text: str) -> float:
    return float(text.replace("\u2212", "-"))


@given(st.floats(-100, 100), st.floats(-100, 100))
def test_the_printed_difference_is_the_difference_of_the_printed_figures(value, other):
    d = value - other
    t = Test("nps", "Alfa", value, other, d, 0.001, 0.001, True, (d - 5, d + 5))
    up, down = overview.department_findings(None, [t])
    if round_half_up(value, 1) == round_half_up(other, 1):
        return
    (f,) = up + down
    m = re.search(r"NPS (\S+), (\S+) points (above|below) the rest \((\S+)\)", f.text)
    assert m, f.text
    shown, points, side, rest = m.groups()
    sign = 1 if side == "above" else -1
    assert round(sign * _float(points), 6) == round(_float(shown) - _float(rest), 6)


def test_a_difference_outside_its_interval_gives_no_finding():
    t = Test("nps", "Alfa", 100.0, 20.0, 80.0, 0.001, 0.001, True, (-10.0, 60.0))
    assert not t.shown
    assert overview.department_findings(None, [t]) == ([], [])
