"""Every area-bound model is scoped by a rule registered at app start, not by a view import."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import Flask

from app.core.models import Base
from app.core.scope import has_scope_rule

APP = Path(__file__).resolve().parents[3] / "app"
AREA_COLUMNS = {"kabupaten_code", "puskesmas_id", "posyandu_id", "kader_id", "session_id"}
# Area-bound rows that are never listed through scoped_select, and why.
REACHED_OTHERWISE = {
    "AuditLog": "the audit trail filters by the actor's kabupaten itself (app/audit/views.py)",
    "CertificateCounter": "numbering: only the issuing service touches it, for the kader's district",
    "DistrictSettings": "read by the actor's own kabupaten code, never listed",
    "IssuerKey": "read by the certificate's own kabupaten code, never listed",
    "KabupatenCoverage": "a roll-up read only for admin's national and provinsi nodes (reports.queries)",
    "KabupatenLevelCount": "a roll-up read only for admin's national and provinsi nodes (reports.queries)",
    "KaderLevel": "a summary read through scoped Kader rows",
    "KaderSkillQuiz": "a summary read through scoped Kader rows",
    "MaterialView": "read for the signed-in kader only",
    "PosyanduKaderCount": "a summary read through scoped Posyandu rows (reports.queries)",
    "RosterMembership": "read through a scoped Posyandu or Kader",
    "SessionResultCount": "a summary read through scoped assessment sessions",
    "SkillAchievement": "read through scoped Kader rows",
    "User": "accounts are reached through a scoped Kader or Posyandu (auth.account_views)",
}


def area_bound_models() -> dict[str, type]:
    return {
        m.class_.__name__: m.class_
        for m in Base.registry.mappers
        if {c.key for c in m.columns} & AREA_COLUMNS
    }


def test_every_area_bound_model_has_a_scope_rule_or_a_reason(app: Flask) -> None:
    models = area_bound_models()
    unscoped = {name for name, model in models.items() if not has_scope_rule(model)}
    assert unscoped == set(REACHED_OTHERWISE), (
        f"new area-bound models without a rule: {sorted(unscoped - set(REACHED_OTHERWISE))}; "
        f"listed as reached otherwise but now scoped or gone: {sorted(set(REACHED_OTHERWISE) - unscoped)}"
    )
    assert {"Kader", "Posyandu", "QuizAttempt", "PracticalResult", "Certificate", "Job"} <= models.keys()


def test_only_create_app_imports_the_scope_rules() -> None:
    """A rule must not depend on some view having been imported first (a CLI never imports views)."""
    importers = []
    for path in sorted(APP.rglob("*.py")):
        if path == APP / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.endswith(".scope_rules") for n in names):
                importers.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert not importers, importers
