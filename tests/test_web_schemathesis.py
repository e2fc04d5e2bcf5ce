"""Schemathesis over the app's own /openapi.json: generated requests, bounded in number,
never get a server error (5xx other than the queue's deliberate 503 with Retry-After)."""
from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from parallax.web import WebSettings, create_app
from tests.web_support import corpus_store, web_config

# Examples per operation: enough to hit empty, huge, odd and malformed inputs of each field;
# the analysing endpoints run the real pipeline, so more would cost minutes.
EXAMPLES = 12


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    corpus = corpus_store(tmp_path_factory.mktemp("schemathesis"))
    app = create_app(WebSettings(config=web_config(corpus), corpus=corpus))
    with TestClient(app):  # runs the lifespan: models loaded, queue started
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def test_the_schema_lists_every_api_operation(schema) -> None:
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert labels == {"GET /api/health", "POST /api/analyze", "POST /api/compare", "GET /api/jobs/{job_id}",
                      "GET /api/stories", "GET /api/stories/{story_id}", "GET /api/outlets"}


def test_no_generated_request_gets_a_server_error(schema) -> None:
    failures, calls = [], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            response = case.call()
            calls.append(operation.label)
            if response.status_code >= 500 and not (response.status_code == 503 and "retry-after" in response.headers):
                failures.append(f"{operation.label} {case.path_parameters} {case.query} -> "
                                f"{response.status_code}: {response.text[:200]}")

        check()
    assert not failures, "\n".join(failures[:10])
    assert len(set(calls)) == 7 and len(calls) >= 7 * EXAMPLES // 2, calls
