"""The layout of the house, as CONTRIBUTING.md states it: which room may import and touch what."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: lib's parts in pipeline order: a module may import its own part or an earlier one, never a later one.
#: Foundations (errors, i18n) come first; the orchestration (load, setup) and the faces (cli, sample, catalogues)
#: come last. A new subpackage or top-level module fails :func:`test_every_part_of_lib_has_its_place` until
#: it is given its place here and a line in CONTRIBUTING.md.
STAGES: dict[str, int] = {
    "errors": 0, "i18n": 0,
    "values": 1, "read": 2, "detect": 3, "survey": 4, "privacy": 5, "figures": 6, "present": 7, "deck": 8,
    "publish": 9, "setup": 9, "load": 9, "sample": 10, "cli": 10, "catalogues": 10, "__main__": 11, "__init__": 11,
}


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def _lib_modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts): p for p in (ROOT / "lib").rglob("*.py")}


def _module_of(name: str, modules: dict[str, Path]) -> str:
    """``lib.figures.stats`` for an imported name, whether it names a module or something inside one."""
    while name not in modules and f"{name}.__init__" not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in modules else f"{name}.__init__"


def _typing_only(tree: ast.Module) -> set[int]:
    """The ids of the import nodes under ``if TYPE_CHECKING:``, which never run."""
    guarded = [n for n in ast.walk(tree) if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)]
    return {id(x) for g in guarded for stmt in g.body for x in ast.walk(stmt)}


def _lib_edges(typing: bool = True) -> dict[str, set[str]]:
    """Every import between lib's modules, at the top of a file or inside a function (both can close a circle);
    with ``typing=False``, without those made only for type checkers."""
    modules = _lib_modules()
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        skip = set() if typing else _typing_only(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("lib.")]
            elif isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{path}: lib imports itself by absolute names (lib.stage.module)")
            elif isinstance(node, ast.ImportFrom) and node.module and (node.module == "lib" or node.module.startswith("lib.")):
                targets = [f"{node.module}.{a.name}" for a in node.names]
            for target in targets:
                found = _module_of(target, modules)
                if found in modules and found != name:
                    edges[name].add(found)
    return edges


def _part(module: str) -> str:
    return module.split(".")[1]


def test_the_engine_knows_nothing_of_the_app():
    for path in (ROOT / "lib").rglob("*.py"):
        assert not _imports(path) & {"streamlit", "ui", "pages"}, path


def test_every_part_of_lib_has_its_place():
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    for path in (ROOT / "lib").iterdir():
        if path.name.startswith((".", "__pycache__")) or path.name == "locales":
            continue
        part = path.stem
        assert part in STAGES, f"lib/{path.name} has no place in tests/test_house.py's STAGES"
        if path.is_dir():
            assert (path / "__init__.py").exists(), path
            assert ast.get_docstring(ast.parse((path / "__init__.py").read_text())), f"{path}/__init__.py says what it holds"
        shown = f"{part}/" if path.is_dir() else path.name
        listed = re.search(rf"^[├└]── (\S+, )*{re.escape(shown)}[ ,]", contributing, re.M)
        assert listed, f"CONTRIBUTING.md's tree lacks lib/{shown}"


def test_no_stage_imports_a_later_one():
    for source, targets in _lib_edges().items():
        for target in targets:
            assert STAGES[_part(source)] >= STAGES[_part(target)], f"{source} imports the later {target}"


def test_no_import_circle():
    """No circle among the imports that run (one made only for type checkers runs never)."""
    edges = _lib_edges(typing=False)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join([*trail[trail.index(nxt):], nxt]))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])


def test_no_private_name_is_imported_across_modules():
    """``from lib.x import _helper`` couples two modules through a name one of them called its own (``_`` is gettext)."""
    for path in [*(ROOT / "lib").rglob("*.py"), *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("lib", "ui")):
                private = [a.name for a in node.names if re.fullmatch(r"_[a-z]\w*", a.name)]
                assert not private, f"{path} imports {private} from {node.module}"


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
        names = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "lib.figures"
                 for a in node.names}
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not names & {"stats", "metrics"} and not modules & {"lib.figures.stats", "lib.figures.metrics"}, path


def test_the_house_test_can_fail(tmp_path, monkeypatch):
    """The circle and order checks see an import inside a function, the way the deck once closed a circle."""
    import tests.test_house as house

    fake = tmp_path / "lib"
    (fake / "values").mkdir(parents=True)
    (fake / "figures").mkdir()
    (fake / "values" / "a.py").write_text("def f():\n    from lib.figures import b\n")
    (fake / "figures" / "b.py").write_text("from lib.values.a import f\n")
    monkeypatch.setattr(house, "ROOT", tmp_path)
    edges = house._lib_edges()
    assert edges["lib.values.a"] == {"lib.figures.b"} and edges["lib.figures.b"] == {"lib.values.a"}
    for check in (house.test_no_stage_imports_a_later_one, house.test_no_import_circle):
        try:
            check()
        except AssertionError:
            continue
        raise AssertionError(f"{check.__name__} passed on a house with a circle")


def test_no_download_reads_the_session_from_its_worker_thread():
    """Streamlit builds a download's data in a worker thread, where the session's state and language are not there:
    an outside tester's Swedish CSV came out with "," and decimal points. So no lambda in the app reads ``state``;
    what a download needs is read in the script's run and captured."""
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Lambda):
                names = {n.id for n in ast.walk(node.body) if isinstance(n, ast.Name)}
                assert "state" not in names and "st" not in names, f"{path.name}:{node.lineno} reads the session in a lambda"
