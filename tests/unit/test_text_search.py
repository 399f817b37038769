"""The search pattern finds exactly the rows that contain the typed text, wildcards included."""

import sqlite3
import string

from hypothesis import given
from hypothesis import strategies as st

from app.core.text_search import ESCAPE, like_pattern

# SQLite's lower() folds ASCII only, so the property is stated over ASCII text.
text = st.text(alphabet=string.printable, max_size=12)


@given(needle=text, haystack=text)
def test_like_pattern_matches_exactly_substring_containment(needle, haystack):
    db = sqlite3.connect(":memory:")
    (found,) = db.execute(
        "SELECT lower(?) LIKE ? ESCAPE ?", (haystack, like_pattern(needle), ESCAPE)
    ).fetchone()
    assert bool(found) == (needle.lower() in haystack.lower())


def test_wildcards_are_literal():
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"
