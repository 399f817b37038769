"""Every domain's models, imported in one place: Alembic's env.py and the app look here."""

from app.api.models import ApiToken
from app.auth.models import User
from app.certificates.models import Certificate, CertificateCounter, DistrictSettings, IssuerKey
from app.core.audit import AuditLog
from app.core.models import Base
from app.curriculum.models import (
    Area,
    ChecklistStep,
    CurriculumVersion,
    Item,
    ItemRevision,
    MaterialView,
    Skill,
)
from app.jobs.models import Job
from app.practicals.models import AssessmentSession, PracticalResult, ReplayKey, StepResult
from app.progress.models import KaderLevel, KaderSkillQuiz, SkillAchievement
from app.quizzes.models import QuizAttempt, QuizAttemptItem
from app.reports.models import SessionResultCount
from app.rosters.models import (
    Kader,
    Posyandu,
    Puskesmas,
    Pustu,
    RosterImport,
    RosterMembership,
    Wilayah,
)

__all__ = [
    "ApiToken",
    "Area",
    "AssessmentSession",
    "AuditLog",
    "Base",
    "Certificate",
    "CertificateCounter",
    "ChecklistStep",
    "CurriculumVersion",
    "DistrictSettings",
    "IssuerKey",
    "Item",
    "ItemRevision",
    "Job",
    "Kader",
    "KaderLevel",
    "KaderSkillQuiz",
    "MaterialView",
    "Posyandu",
    "PracticalResult",
    "Puskesmas",
    "Pustu",
    "QuizAttempt",
    "QuizAttemptItem",
    "ReplayKey",
    "RosterImport",
    "RosterMembership",
    "SessionResultCount",
    "Skill",
    "SkillAchievement",
    "StepResult",
    "User",
    "Wilayah",
]
