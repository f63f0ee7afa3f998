"""The layout of the house, as CONTRIBUTING.md states it: which room may import and touch what."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_the_engine_knows_nothing_of_the_app():
    for path in (ROOT / "lib").glob("*.py"):
        assert not _imports(path) & {"streamlit", "ui", "pages"}, path


def test_the_glue_never_imports_a_page():
    for path in (ROOT / "ui").glob("*.py"):
        assert "pages" not in _imports(path), path


def test_only_the_state_module_touches_session_state():
    for path in [ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]:
        if path.name != "state.py" or path.parent.name != "ui":
            assert "session_state" not in path.read_text(), path


def test_pages_compute_no_statistics():
    """Pages call lib for every figure: they never import the statistics or metrics modules."""
    for path in (ROOT / "pages").glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "lib"
                 for a in node.names}
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not names & {"stats", "metrics"} and not modules & {"lib.figures.stats", "lib.figures.metrics"}, path
