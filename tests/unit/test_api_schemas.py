"""Request schemas validate what the API accepts, and the OpenAPI 3.1 document generated
from the same schemas documents every route, its auth and its errors in the one shape."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from marshmallow import ValidationError

from api.app import create_app
from api.schemas import JobCreate, ResultsQuery, ScreenIn


def test_job_needs_at_least_one_record() -> None:
    with pytest.raises(ValidationError) as err:
        JobCreate().load({"records": []})
    assert "records" in err.value.messages


def test_record_needs_a_name_and_rejects_unknown_fields() -> None:
    with pytest.raises(ValidationError) as err:
        JobCreate().load({"records": [{"id": "1"}, {"name": "A", "salary": 3}]})
    messages: Any = err.value.messages
    messages = messages["records"]
    assert "name" in messages[0] and "salary" in messages[1]


def test_threshold_outside_0_1_is_rejected() -> None:
    with pytest.raises(ValidationError) as err:
        JobCreate().load({"records": [{"name": "A"}], "threshold": 1.5})
    assert "threshold" in err.value.messages


def test_full_job_loads() -> None:
    job = JobCreate().load({
        "records": [{"id": "1", "name": "Козлов", "birth_date": "1960", "identifiers": ["X"]}],
        "lists": ["kr-mofa"], "threshold": 0.8, "limit": 5, "reference": "nightly",
    })
    assert job["records"][0]["name"] == "Козлов" and job["limit"] == 5


def test_screen_accepts_nationality_and_options() -> None:
    body = ScreenIn().load({"name": "김영복", "nationality": "kp", "threshold": 0.7})
    assert body["nationality"] == "kp"


def test_results_query_formats() -> None:
    assert ResultsQuery().load({})["format"] == "json"
    with pytest.raises(ValidationError):
        ResultsQuery().load({"format": "xml"})


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    app = create_app({"REDIS_CLIENT": redis.Redis(port=1)})
    response = app.test_client().get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def test_spec_is_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")


def test_every_route_is_documented(spec: dict[str, Any]) -> None:
    app = create_app({"REDIS_CLIENT": redis.Redis(port=1)})
    documented = {
        (path, method.upper()) for path, item in spec["paths"].items() for method in item
    }
    for rule in app.url_map.iter_rules():
        # The analyst's HTML pages (/ui/) are for browsers, not API clients: not in the spec.
        if rule.endpoint == "static" or rule.endpoint.startswith("ui."):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:  # type: ignore[operator]
            assert (path, method) in documented, f"{method} {path} missing from the spec"


def test_v1_operations_require_the_api_key_and_document_401(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    for path, item in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, op in item.items():
            assert op.get("security") == [{"ApiKey": []}], (method, path)
            assert "401" in op["responses"] and "429" in op["responses"], (method, path)


def test_error_responses_use_the_one_error_shape(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if not status.startswith(("4", "5")):
                    continue
                ref = response["content"]["application/json"]["schema"]["$ref"]
                shape = schemas[ref.rsplit("/", 1)[1]]
                error = shape["properties"]["error"]
                assert error["required"] == ["code", "message", "details"], (method, path)


def test_job_submission_documents_json_csv_and_multipart(spec: dict[str, Any]) -> None:
    body = spec["paths"]["/v1/jobs"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "text/csv", "multipart/form-data"}
    responses = spec["paths"]["/v1/jobs"]["post"]["responses"]
    assert {"200", "202", "400", "409", "413", "429"} <= set(responses)
    assert "Location" in responses["202"]["headers"]


def test_docs_page_is_self_contained(spec: dict[str, Any]) -> None:
    app = create_app({"REDIS_CLIENT": redis.Redis(port=1)})
    html = app.test_client().get("/docs").get_data(as_text=True)
    assert "/v1/jobs" in html and "/v1/screen" in html
    assert "http://" not in html.replace("http://localhost", "") and "https://" not in html
