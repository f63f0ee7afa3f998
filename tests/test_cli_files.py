"""Files the command line reads besides the surveys: a template python-pptx cannot open and a setup file that cannot
be read each stop the run with one sentence saying why, status 2, before anything is built."""

from pathlib import Path

import pytest

from lib.cli import main
from lib.sample import SAMPLE_DIR

CUSTOMER = SAMPLE_DIR / "customer_survey.xlsx"
EMPLOYEE = SAMPLE_DIR / "employee_survey.xlsx"


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "bug" not in err, err
    return err


@pytest.mark.parametrize("content", [b"just some notes\n", b"PK\x03\x04" + b"\x00junk" * 30, b""])
@pytest.mark.parametrize("per_department", [False, True])
def test_a_template_that_is_not_a_presentation_is_one_sentence(tmp_path, capsys, content, per_department):
    template = tmp_path / "brand.txt"
    template.write_bytes(content)
    out = tmp_path / "out"
    args = ["report", "--customer", str(CUSTOMER), "--employee", str(EMPLOYEE), "--template", str(template),
            "--out", str(out), *(["--per-department"] if per_department else [])]
    assert main(args) == 2
    err = _one_line(capsys)
    assert "brand.txt" in err and "could not be used" in err
    assert not out.exists() or not any(out.iterdir())  # nothing built


def test_a_setup_file_that_cannot_be_read_says_why(tmp_path, capsys, monkeypatch):
    args = ["summary", "--customer", str(CUSTOMER), "--setup"]
    assert main([*args, str(tmp_path / "missing.json")]) == 2
    assert "There is no file" in _one_line(capsys)
    assert main([*args, str(tmp_path)]) == 2
    assert "is a folder" in _one_line(capsys)
    locked = tmp_path / "locked.json"
    locked.write_text("{}")

    def refuse(self, *a, **k):
        if self.name == "locked.json":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *a, **k)

    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert main([*args, str(locked)]) == 2
    err = _one_line(capsys)
    assert "permission denied" in err and "There is no file" not in err
