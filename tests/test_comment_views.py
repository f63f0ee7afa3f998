"""The comment tables (lib.present.comment_views) write numbers as the presentation model does, in every language."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_python_m_lib_comments_writes_decimal_commas(capsys, lang):
    from lib.cli import main

    root = ROOT / "sample_data"
    files = {"sv": ("kundenkat.xlsx", "medarbetarenkat.xlsx"), "fi": ("asiakaskysely.xlsx", "henkilostokysely.xlsx")}[lang]
    assert main(["--lang", lang, "comments", "--customer", str(root / files[0]), "--employee", str(root / files[1])]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\d,\d", out)  # shares, scores, G²
    assert not re.search(r"\d\.\d", out), re.search(r".*\d\.\d.*", out).group(0)
    assert not re.search(r"(?<![\w-])-\d", out), re.search(r".*(?<![\w-])-\d.*", out).group(0)  # U+2212, not "-"
    assert "\u2212" in out
