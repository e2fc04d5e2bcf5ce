"""The web app's request-body cap and security headers, on a bare app (no models), and the
asset route that names no path."""
from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from parallax.web.app import ASSETS, create_app
from parallax.web.forms import safe_name
from parallax.web.security import CONTENT_SECURITY_POLICY, BodyLimit, SecurityHeaders

LIMIT = 1000


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict:
        return {"bytes": len(await request.body())}

    app.add_middleware(BodyLimit, max_bytes=LIMIT)
    app.add_middleware(SecurityHeaders)
    return TestClient(app)


def test_a_body_over_the_limit_gets_413_with_the_limit_named(client: TestClient) -> None:
    response = client.post("/echo", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert "1,001 bytes" in response.json()["detail"] and "limit is 1,000 bytes" in response.json()["detail"]
    assert client.post("/echo", content=b"x" * LIMIT).json() == {"bytes": LIMIT}


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(client: TestClient) -> None:
    def chunks():
        for _ in range(10):
            yield b"y" * 300

    response = client.post("/echo", content=chunks())
    assert response.status_code == 413 and "over 1,000 bytes" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/echo", "/nowhere"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/static/..%2F..%2Fpyproject.toml", "/static/%2Fetc%2Fpasswd", "/static/report.html.j2",
                                  "/static/../cli.py", "/static/app.css%00.txt"])
def test_the_asset_route_serves_its_table_only(path: str) -> None:
    client = TestClient(create_app())  # no lifespan: assets need no models
    response = client.get(path)
    assert response.status_code == 404
    assert "[project]" not in response.text and "root:" not in response.text


def test_every_listed_asset_is_served_with_its_type() -> None:
    client = TestClient(create_app())
    for name, (_, _, media) in ASSETS.items():
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("given, shown", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\me\\news.html", "news.html"),
    ("<script>x</script>.md", "script_.md"),
    ("", "upload"),
    ("...", "upload"),
])
def test_upload_names_are_shown_as_a_clean_base_name(given: str, shown: str) -> None:
    assert safe_name(given) == shown
