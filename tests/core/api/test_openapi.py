"""The OpenAPI document is valid OpenAPI 3.0, as openapi-spec-validator reads the standard."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_smorest import Api
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

import core.api


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


def test_the_document_is_written_when_first_read_and_is_flask_smorests_own(
        app: Flask, make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    """Made with the app, the document holds no path; read, it is exactly the document
    flask-smorest writes at registration, whichever of several threads reads it first."""
    api = app.extensions["cpt_api"]
    assert api._spec.to_dict()["paths"] == {}  # nothing resolved at start
    with ThreadPoolExecutor(4) as pool:
        documents = list(pool.map(lambda _: json.dumps(api.spec.to_dict()), range(8)))
    assert len(set(documents)) == 1

    monkeypatch.setattr(core.api, "DocumentedOnFirstRead", Api)  # flask-smorest's own
    eager = make_app(sync=False)
    assert json.dumps(eager.extensions["cpt_api"].spec.to_dict()) == documents[0]
    assert len(json.loads(documents[0])["paths"]) > 20


def test_a_write_that_reads_the_document_gets_it_rather_than_waiting_for_itself(
        app: Flask) -> None:
    api = app.extensions["cpt_api"]
    seen: list[object] = []
    api.document_later(lambda: seen.append(api.spec))
    reader = threading.Thread(target=lambda: seen.append(api.spec), daemon=True)
    reader.start()
    reader.join(timeout=30)
    assert not reader.is_alive(), "reading the document waited for itself"
    assert seen[0] is seen[1] is api.spec
