"""The OpenAPI document is valid OpenAPI 3.0, as openapi-spec-validator reads the standard."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError


def test_the_openapi_document_is_valid(client: FlaskClient) -> None:
    spec = json.loads(client.get("/api/openapi.json").get_data(as_text=True))
    validate(spec)
    assert spec["openapi"] == "3.0.3"


def test_the_validator_refuses_a_broken_document(client: FlaskClient) -> None:
    spec = json.loads(client.get("/api/openapi.json").get_data(as_text=True))
    path = spec["paths"]["/api/councils/{council}/actions"]
    path["get"]["parameters"].append({"in": "query", "name": "status"})  # no schema
    with pytest.raises(OpenAPIValidationError):
        validate(spec)
