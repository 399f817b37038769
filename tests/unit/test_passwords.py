import pytest

from app.auth.passwords import password_problems


@pytest.mark.parametrize(
    ("password", "role", "expected"),
    [
        ("kadercakap-demo", "dinkes", []),
        ("short", "dinkes", ["too_short"]),
        ("ninechars", "admin", ["too_short"]),
        ("581937", "kader", []),
        ("12345", "kader", ["too_short", "too_simple"]),
        ("29183", "kader", ["too_short"]),
        ("123456", "kader", ["too_simple"]),
        ("987654", "kader", ["too_simple"]),
        ("000000", "kader", ["too_simple"]),
        ("aaaaaaaaaaaa", "fasilitator", ["too_simple"]),
        ("x" * 129, "admin", ["too_long", "too_simple"]),
    ],
)
def test_rules(password, role, expected):
    assert password_problems(password, "someone", role) == expected


def test_password_equal_to_username_refused():
    assert "same_as_username" in password_problems("dinkes.brebes", "Dinkes.Brebes", "dinkes")
