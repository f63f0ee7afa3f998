"""The bundled sample data: reproducible, and showing what the demo promises."""

from __future__ import annotations

from lib.sample import SAMPLE_COLUMNS, SAMPLE_DIR, SAMPLE_MAPPING, make_sample
from lib.figures.summary import Settings, summarize
from lib.survey.frame import load_survey


def test_sample_is_reproducible_and_committed():
    fresh = make_sample()
    assert fresh == make_sample()
    for name, data in fresh.items():
        assert (SAMPLE_DIR / name).read_bytes() == data, f"sample_data/{name} is stale: run python -m lib make-sample"


def test_sample_tells_the_story():
    files = make_sample()
    customer = load_survey(files["customer_survey.xlsx"], "customer_survey.xlsx")
    employee = load_survey(files["employee_survey.xlsx"], "employee_survey.xlsx", columns=SAMPLE_COLUMNS)
    assert customer.kind == "customer" and employee.kind == "employee"
    assert 2500 <= customer.total_rows <= 5000 and 300 <= employee.total_rows <= 900
    assert 8 <= len(employee.items) <= 12 and sum(i.reverse for i in employee.items) == 1
    assert employee.detection.one("enps") is not None and employee.comments
    dates = customer.frame["date"]
    assert (dates.max() - dates.min()).days > 300
    plain = summarize(customer, employee)
    assert plain.link.only_customer == ("Home Care",) and plain.link.only_employee == ("Homecare",)
    s = summarize(customer, employee, settings=Settings(mapping=tuple(SAMPLE_MAPPING.items())))
    assert len(s.link.names) == 12
    assert [(d.department, d.suppressed_reason) for d in s.departments if d.suppressed] == [
        ("Payroll Services", "protects"), ("Pharmacy Services", "small")]
    r = s.linkage.result.pearson_r
    assert 0.4 < r < 0.95, r  # clear but imperfect


def test_the_sample_reads_alike_in_english_swedish_and_finnish():
    """Same seed, other words: every figure is the same, and the bundled files are what make-sample writes."""
    import pytest

    from lib.sample import TEXTS, make_sample, sample_columns, sample_files, sample_mapping
    from lib.figures.summary import Settings, summarize
    from lib.survey.frame import load_survey

    figures = {}
    for lang in TEXTS:
        c_path, e_path = sample_files(lang)
        assert {c_path.name: c_path.read_bytes(), e_path.name: e_path.read_bytes()} == make_sample(lang)
        c = load_survey(c_path.read_bytes(), c_path.name, kind="customer")
        e = load_survey(e_path.read_bytes(), e_path.name, kind="employee", columns=sample_columns(lang))
        s = summarize(c, e, settings=Settings(mapping=tuple(sample_mapping(lang).items())))
        assert [col.role for col in e.detection.columns] == [col.role for col in load_survey(
            sample_files("en")[1].read_bytes(), "e.xlsx", kind="employee", columns=sample_columns("en")).detection.columns]
        figures[lang] = (s.nps.score, s.nps.n, s.engagement.index, s.engagement.favorable_pct, s.enps.score,
                         s.linkage.result.pearson_r, *sorted(d.employee_n for d in s.departments))
    assert figures["sv"] == pytest.approx(figures["en"]) and figures["fi"] == pytest.approx(figures["en"])
    assert TEXTS["sv"].departments[4] == ("Hemtjänst", "Hemtjänsten")


def test_favourable_interval_on_the_sample_treats_the_person_as_the_cluster():
    """README: on the sample the design effect is about 3, so the per-answer Wilson interval would be about 1.76
    times too narrow; the interval shown is the ratio estimator's (54.3 to 60.0)."""
    import math

    from lib.figures.stats import wilson_interval
    from lib.figures.summary import Settings, summarize
    from lib.sample import SAMPLE_COLUMNS, SAMPLE_DIR, SAMPLE_MAPPING
    from lib.survey.frame import load_survey

    c = load_survey((SAMPLE_DIR / "customer_survey.xlsx").read_bytes(), "c.xlsx", kind="customer")
    e = load_survey((SAMPLE_DIR / "employee_survey.xlsx").read_bytes(), "e.xlsx", kind="employee",
                    columns=SAMPLE_COLUMNS)
    eng = summarize(c, e, settings=Settings(mapping=tuple(SAMPLE_MAPPING.items()))).engagement
    low, high = eng.favorable_ci95
    assert (round(low, 1), round(high, 1)) == (54.3, 60.0) and low <= eng.favorable_pct <= high
    # Wilson over every answer, as the interval was before: what the ratio is against
    answers = int(e.frame[[i.key for i in e.items]].notna().to_numpy().sum())
    w_low, w_high = wilson_interval(round(eng.favorable_pct / 100 * answers), answers)
    ratio = (high - low) / (w_high - w_low)
    assert math.isfinite(ratio) and 1.6 < ratio < 1.9 and 2.6 < ratio**2 < 3.6, ratio


def test_the_comments_texts_change_no_figure():
    """The comments' texts come from their own generator: any text seed gives the same rows, the same comment
    cells filled, in every language; only the words differ."""
    import numpy as np

    from lib.sample import SEED, TEXTS, customer_rows, employee_rows

    for lang in TEXTS:
        drawn = []
        for text_seed in (1, 2):
            rng, words = np.random.default_rng(SEED), np.random.default_rng(text_seed)
            drawn.append((customer_rows(rng, TEXTS[lang], words)[1], employee_rows(rng, TEXTS[lang], words)[1]))
        (c1, e1), (c2, e2) = drawn
        for first, second in ((c1, c2), (e1, e2)):
            assert [r[:-1] for r in first] == [r[:-1] for r in second]
            assert [r[-1] is None for r in first] == [r[-1] is None for r in second]
            assert [r[-1] for r in first] != [r[-1] for r in second]
            assert all(isinstance(r[-1], str) and r[-1].strip() for r in first if r[-1] is not None)
