"""The API against requests generated from its own OpenAPI document (schemathesis): no server
error, and every response as the document describes it (status, content type, headers such as
a 405's Allow and the lists' paging headers, and body): lists with their filters and paging
parameters, CSV downloads, meetings, Popolo memberships and reviews."""

from __future__ import annotations

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings

from tests.core.growth import grow, schedule_first_meeting

#: Cases generated per operation: enough to try every parameter's edges, small enough for CI.
EXAMPLES = 25


def test_every_generated_request_is_answered_as_documented(app: Flask) -> None:
    grow(app, "herefordshire", 1)  # meetings, attendance and memberships to publish
    schedule_first_meeting(app, "herefordshire")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30  # every list twice (JSON or CSV, and .csv), and the rest

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def answered_as_documented(case: schemathesis.Case) -> None:
            # The WSGI client does not unzip: a page kept by the page cache would come gzipped
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        answered_as_documented()
