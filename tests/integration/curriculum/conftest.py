import pytest

from app.curriculum.loader import load_curriculum
from app.curriculum.sync import sync_curriculum
from app.extensions import db
from tests.curriculum_tree import build_tree


@pytest.fixture
def mini_tree(tmp_path):
    return build_tree(tmp_path / "kurikulum")


@pytest.fixture
def synced(app, mini_tree):
    report = sync_curriculum(load_curriculum(mini_tree))
    db.session.commit()
    return report
