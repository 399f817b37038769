"""The pure cores must not import flask or sqlalchemy (DESIGN: 'Pure cores')."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_MODULES = [
    "app/rosters/nik.py",
    "app/core/roles.py",
    "app/auth/passwords.py",
    "app/curriculum/loader.py",
    "app/curriculum/item_quality.py",
    "app/curriculum/item_rules.py",
    "app/curriculum/pictures.py",
    "app/curriculum/basis.py",
    "app/progress/rules.py",
    "app/progress/mastery.py",
    "app/practicals/rules.py",
    "app/practicals/policies.py",
    "app/rosters/roster_file.py",
    "app/certificates/document.py",
    "app/certificates/badges.py",
    "app/quizzes/scoring.py",
    "app/quizzes/statistics.py",
    "app/core/charts.py",
    "app/certificates/eligibility.py",
    "app/curriculum/levels.py",
    "app/rosters/policies.py",
    "app/rosters/columns.py",
    "app/rosters/roster_reading.py",
    "app/rosters/kader_rules.py",
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_no_framework(module):
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_login", "flask_babel", "sqlalchemy", "wtforms"}, imported
