"""Benchmark data lives in bench/: the production app neither imports it nor offers its command."""

from __future__ import annotations

import ast
from pathlib import Path

from app import create_app

APP = Path(__file__).resolve().parents[3] / "app"


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_app_code_never_imports_bench():
    offenders = [
        str(path.relative_to(APP.parent))
        for path in sorted(APP.rglob("*.py"))
        if any(m == "bench" or m.startswith("bench.") for m in imported_modules(path))
    ]
    assert offenders == []


def test_production_app_offers_the_demo_but_not_bench_data(database_url):
    app = create_app("testing", DATABASE_URL=database_url)
    assert "seed-demo" in app.cli.commands
    assert "bench-data" not in app.cli.commands
    app.extensions["kc_db"]["engine"].dispose()
