"""Schemathesis against the OpenAPI contract: generated requests, 0 server errors, 0 responses
that break the schema. Bounded by a fixed number of examples per operation."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from trainer.extensions import db
from trainer.models import User
from trainer.services.tokens import create_token

EXAMPLES = 40
# Schema-valid requests may still be refused with a 400 that names the field (a date outside
# the loaded code years, say), so positive-data acceptance is not among the checks.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
]


def test_api_honours_its_contract(app, users):  # type: ignore[no-untyped-def]
    with app.app_context():
        token = create_token(db.session.get(User, users["trainee"]), "contract")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case):  # type: ignore[no-untyped-def]
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
