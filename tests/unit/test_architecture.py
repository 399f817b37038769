"""The shape of the house, checked like code: packages import downwards only (so no import
cycles), modules stay small, functions stay simple (radon grade C at most).

The graph is read with `ast` from every import in app/, including imports inside functions,
which is where cycles used to hide.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

APP = Path(__file__).resolve().parents[2] / "app"

# Lowest first. A package may import packages of lower layers only. `app/extensions.py` is part
# of the ground floor; `app/__init__.py` and `app/models.py` are the root that wires every
# package together and is left out (a worker process builds its app from it).
LAYERS: list[set[str]] = [
    {"core"},
    {"rosters"},
    {"auth"},
    {"curriculum"},
    {"quizzes", "practicals"},
    {"progress"},
    {"certificates"},
    {"reports", "jobs"},
    {"audit", "home", "demo", "offline", "api"},
]
GROUND = {"extensions": "core"}
ROOT_MODULES = {"__init__", "models"}
MAX_LINES = 400
WORST_GRADE = "C"

Edges = dict[str, dict[str, list[str]]]  # package -> imported package -> where


def _package_of(path: Path) -> str | None:
    parts = path.relative_to(APP).with_suffix("").parts
    if len(parts) == 1:
        return None if parts[0] in ROOT_MODULES else GROUND.get(parts[0], parts[0])
    return parts[0]


def _imported_packages(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            names = [f"{base}.{alias.name}" for alias in node.names] if base == "app" else [base]
        for name in names:
            parts = name.split(".")
            if parts[0] == "app" and len(parts) > 1 and parts[1] not in ROOT_MODULES:
                found.append((GROUND.get(parts[1], parts[1]), node.lineno))
    return found


def package_graph() -> Edges:
    edges: Edges = defaultdict(lambda: defaultdict(list))
    for path in sorted(APP.rglob("*.py")):
        source = _package_of(path)
        if source is None:
            continue
        for target, line in _imported_packages(ast.parse(path.read_text(encoding="utf-8"))):
            if target != source:
                edges[source][target].append(f"{path.relative_to(APP.parent)}:{line}")
    return edges


def tangles(edges: Edges) -> list[list[str]]:
    """Groups of packages that reach each other through imports (strongly connected
    components of more than one package): every cycle lies inside one of them."""
    reach: dict[str, set[str]] = {}

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in edges.get(todo.pop(), {}):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    for package in edges:
        reach[package] = reachable(package)
    groups = {frozenset({p} | {q for q in reach[p] if p in reach.get(q, set())}) for p in edges}
    return sorted(sorted(g) for g in groups if len(g) > 1)


def test_tangles_include_a_cycle_through_an_import_inside_a_function():
    tree = ast.parse("def f():\n    from app.b.x import y\n")
    assert _imported_packages(tree) == [("b", 2)]
    assert tangles({"a": {"b": ["a.py:1"]}, "b": {"a": ["b.py:2"]}}) == [["a", "b"]]
    assert tangles({"a": {"b": ["a.py:1"]}, "b": {"core": ["b.py:2"]}}) == []


def test_no_import_cycle_between_packages():
    edges = package_graph()
    described = [
        ", ".join(group)
        + ": "
        + "; ".join(f"{a} -> {b} ({edges[a][b][0]})" for a in group for b in group if b in edges.get(a, {}))
        for group in tangles(edges)
    ]
    assert not described, "\n".join(described)


def test_packages_import_only_lower_layers():
    rank = {package: i for i, layer in enumerate(LAYERS) for package in layer}
    packages = {p.name for p in APP.iterdir() if (p / "__init__.py").exists()}
    assert not packages - rank.keys(), f"place new packages in LAYERS: {sorted(packages - rank.keys())}"
    upward = [
        f"{source} -> {target} ({', '.join(where[:3])})"
        for source, targets in sorted(package_graph().items())
        for target, where in sorted(targets.items())
        if rank.get(target, -1) >= rank[source]
    ]
    assert not upward, "\n".join(upward)


def test_no_module_over_400_lines():
    long = {
        str(path.relative_to(APP.parent)): n
        for path in sorted(APP.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_no_function_above_radon_grade_c():
    complex_ = [
        f"{path.relative_to(APP.parent)}:{block.lineno} {block.fullname} {cc_rank(block.complexity)}"
        f" ({block.complexity})"
        for path in sorted(APP.rglob("*.py"))
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if cc_rank(block.complexity) > WORST_GRADE
    ]
    assert not complex_, "\n".join(complex_)
