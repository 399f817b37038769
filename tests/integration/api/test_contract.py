"""Contract tests generated from the OpenAPI document (Schemathesis, in-process over WSGI):
every operation, with valid and with invalid inputs, must answer as documented (status,
content type, body schema) and never with a server error. Examples are bounded (a few
seconds per operation) so the run stays short on both databases."""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.api import areas, certificates, kader, rosters  # noqa: F401 - they declare the operations
from app.api.registry import OPERATIONS
from app.certificates.services import issue
from app.extensions import db
from tests.factories import grant
from tests.integration.api.conftest import bearer

EXAMPLES = 16  # valid and invalid requests together
OPERATION_IDS = sorted(f"{op.method} {op.openapi_path}" for op in OPERATIONS)


@pytest.fixture
def api_schema(app, world, synced, signatory, tokens):
    grant(world.kader_brebes, "K01", "K02")
    issue(world.kader_brebes, "purwa", user_id=None, today=date.today())
    db.session.commit()
    app.config["API_RATE_LIMIT"] = "100000 per minute"  # the generator is not a client to slow down
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), tokens["dinkes"]


def test_every_operation_answers_as_documented(api_schema):
    """One database for all operations (setting it up costs more than the requests); every
    operation runs, and the failures of all of them are reported together."""
    schema, secret = api_schema
    failures = {}
    for label in OPERATION_IDS:
        method, path = label.split(" ")
        try:
            _check_operation(schema[path][method], secret)
        except Exception as exc:  # noqa: BLE001 - collected and reported below, per operation
            failures[label] = exc
    assert not failures, "\n\n".join(f"{label}:\n{exc}" for label, exc in failures.items())


def _check_operation(operation, secret: str) -> None:
    # "Schema-valid means accepted" cannot hold for an opaque cursor (a string of the right
    # shape that this API never gave out is a 400) nor for rosters: any text is a valid
    # text/csv body but most are not a roster table, and committing a pushed table with
    # row errors is refused (422) whatever the request looks like. All else is checked.
    opaque = any(p.name == "cursor" for p in operation.query) or "/roster-imports" in operation.path
    excluded = [positive_data_acceptance] if opaque else []
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def check(case):
        case.call_and_validate(headers=bearer(secret), excluded_checks=excluded)

    check()


def test_every_operation_is_in_the_document(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    found = sorted(f"{m.upper()} {p}" for p, item in document["paths"].items() for m in item)
    assert found == OPERATION_IDS
