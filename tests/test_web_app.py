"""The web app in-process (FastAPI TestClient, real models, no techniques): pasting and
uploading, permalinks, downloads, the JSON API against the CLI's documents, the corpus
pages, and what bad input gets."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from markupsafe import escape

from parallax.cli import main
from parallax.report.schema import json_schema
from parallax.web import WebSettings, create_app
from tests.web_support import corpus_store, seed_texts, web_config

VALIDATOR = Draft202012Validator(json_schema())
XSS_TITLE = "<script>alert('title')</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return corpus_store(tmp_path_factory.mktemp("web-corpus"))


@pytest.fixture(scope="module")
def client(corpus: Path):
    with TestClient(create_app(WebSettings(config=web_config(corpus), corpus=corpus))) as client:
        yield client


def wait_for(client: TestClient, location: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get(location)
        if 'id="progress"' not in response.text:
            assert response.status_code == 200, response.text[:500]
            return response.text
        assert response.headers["refresh"] == "2"
        time.sleep(0.3)
    raise AssertionError(f"{location} still working after {seconds} s")


def test_pasting_the_seeds_gives_a_comparison_at_a_permalink_with_downloads(client: TestClient, corpus: Path) -> None:
    first, second = seed_texts()
    response = client.post("/compare", data={"text_1": first, "outlet_1": "ZeroHedge", "text_2": second,
                                             "outlet_2": "Global Research"}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    page = wait_for(client, location)
    assert "ZeroHedge" in page and "Global Research" in page and "/static/report.js" in page
    assert "<style>" not in page and "<script>\n" not in page  # assets linked, nothing inline
    document = client.get(location + "/download.json").json()
    VALIDATOR.validate(document)
    assert [a["outlet"] for a in document["articles"]] == ["ZeroHedge", "Global Research"] and document["links"]
    headline = next(a["title"] for a in document["articles"] if a["title"])
    assert str(escape(headline)) in page.split("</title>")[0]  # from the stored title column
    report = client.get(location + "/download.html")
    assert "attachment" in report.headers["content-disposition"] and "<style>" in report.text
    # Submitted again: the same permalink, already stored (no new job).
    again = client.post("/compare", data={"text_1": first, "outlet_1": "ZeroHedge", "text_2": second,
                                          "outlet_2": "Global Research"}, follow_redirects=False)
    assert again.headers["location"] == location
    # A new app on the same store still serves it.
    with TestClient(create_app(WebSettings(config=web_config(corpus), corpus=corpus))) as fresh:
        assert fresh.get(location).status_code == 200


def test_the_api_compare_document_is_the_cli_document(client: TestClient, tmp_path: Path, capsys) -> None:
    first, second = seed_texts()
    response = client.post("/api/compare", json={"articles": [{"text": first, "outlet": "a"},
                                                              {"text": second, "outlet": "b"}]})
    assert response.status_code == 200 and response.headers["content-location"].startswith("/compare/")
    api = response.json()
    VALIDATOR.validate(api)
    for name, text in (("a.jsonl", first), ("b.jsonl", second)):
        (tmp_path / name).write_text(json.dumps({"text": text, "outlet": name[0]}) + "\n")
    out = tmp_path / "cli.json"
    assert main(["compare", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--no-techniques",
                 "--format", "json", "-o", str(out), "--no-cache"]) == 0
    cli = json.loads(out.read_text())
    for doc in (api, cli):
        for article in doc["articles"]:
            article.pop("source")
    assert api == cli


def test_the_api_analyze_document_is_the_cli_document(client: TestClient, tmp_path: Path) -> None:
    text = "“We will rebuild,” Mayor Jorge Sharp said on Tuesday. Officials claimed 12 people died."
    api = client.post("/api/analyze", json={"articles": [{"text": text, "title": "Quake", "outlet": "Wire"}]}).json()
    (tmp_path / "one.jsonl").write_text(json.dumps({"text": text, "title": "Quake", "outlet": "Wire"}) + "\n")
    out = tmp_path / "one.json"
    assert main(["analyze", str(tmp_path / "one.jsonl"), "--no-techniques", "--format", "json", "-o", str(out),
                 "--no-cache"]) == 0
    cli = json.loads(out.read_text())
    for doc in (api, cli):
        for article in doc["articles"]:
            article.pop("source")
    assert api == cli and api["articles"][0]["quotes"]


@pytest.mark.parametrize("body, status, words", [
    ({"articles": [{"text": "only one"}]}, 422, "at least 2"),
    ({"articles": [{"text": "x"}] * 11}, 422, "at most 10"),
    ({"articles": [{"text": "   "}, {"text": "a real text here."}]}, 400, "article 1: the text is empty"),
    ({"articles": [{"text": 5}, {"text": "b"}]}, 422, "valid string"),
    ({"nothing": []}, 422, "articles"),
])
def test_bad_api_requests_name_the_problem(client: TestClient, body: dict, status: int, words: str) -> None:
    response = client.post("/api/compare", json=body)
    assert response.status_code == status and words in response.text


def test_a_form_with_one_article_is_shown_again_with_the_text_kept(client: TestClient) -> None:
    response = client.post("/compare", data={"text_1": "A lone article about the port strike.", "title_1": XSS_TITLE})
    assert response.status_code == 400
    assert "found 1 article to compare" in response.text
    assert "A lone article about the port strike." in response.text
    assert XSS_TITLE not in response.text and "&lt;script&gt;alert(" in response.text


def test_uploads_are_read_by_their_kind_and_their_names_are_never_paths(client: TestClient) -> None:
    first, second = seed_texts()
    records = "\n".join(json.dumps({"text": t, "outlet": o}) for t, o in ((first, "ZH"), (second, "GR")))
    response = client.post("/compare", files=[("files", ("../../../etc/both.jsonl", records.encode(), "application/json"))],
                           follow_redirects=False)
    assert response.status_code == 303
    bad = client.post("/compare", files=[("files", ("/etc/passwd", b"root:x:0:0", "text/plain")),
                                          ("files", ("evil.exe", b"MZ\x00\x00", "application/octet-stream"))])
    assert bad.status_code == 400
    assert "passwd: cannot read this kind of file" in bad.text and "evil.exe: cannot read" in bad.text
    assert "root:x" not in bad.text


def test_an_article_with_script_in_its_title_and_quotes_renders_as_text(client: TestClient) -> None:
    body = (f"Officials met on Tuesday. “{XSS_TITLE} is what we found,” said Mayor Jorge Sharp. "
            "The council said the port would reopen.")
    location = client.post("/compare", data={"text_1": body, "title_1": XSS_TITLE, "outlet_1": "<b>Wire</b>",
                                             "text_2": body.replace("Tuesday", "Wednesday"), "outlet_2": "Daily"},
                           follow_redirects=False).headers["location"]
    page = wait_for(client, location)
    assert "<script>alert(" not in page and "<img src=x" not in page and "<b>Wire</b>" not in page
    assert "&lt;script&gt;alert(" in page


def test_a_full_queue_answers_503_with_retry_after(client: TestClient) -> None:
    queue = client.app.state.parallax.queue
    limit = queue.limit
    queue.limit = 0
    try:
        response = client.post("/api/compare", json={"articles": [{"text": "a one"}, {"text": "a two"}]})
        page = client.post("/compare", data={"text_1": "first text here", "text_2": "second text here"})
    finally:
        queue.limit = limit
    assert response.status_code == 503 and int(response.headers["retry-after"]) >= 1
    assert "busy" in response.json()["detail"]
    assert page.status_code == 503 and int(page.headers["retry-after"]) >= 1 and "busy" in page.text


@pytest.mark.parametrize("path", ["/compare/0123456789abcdef", "/compare/../../etc/passwd", "/compare/x%00",
                                  "/compare/0123456789abcdef/download.json", "/api/jobs/zzz", "/stories/99999",
                                  "/stories/1;DROP", "/outlets/Nobody"])
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_stories_search_filter_and_sort(client: TestClient) -> None:
    listed = client.get("/api/stories").json()
    assert sorted(sorted(s["articles"]) for s in listed) == [["q1", "q2", "q3"], ["s1", "s2"]]
    assert [s["articles"] for s in client.get("/api/stories", params={"q": "rotterdam"}).json()] == [["s1", "s2"]]
    assert [s["articles"] for s in client.get("/api/stories", params={"q": "valpara"}).json()][0][0] == "q1"
    assert client.get("/api/stories", params={"q": 'quake" OR "strike'}).json() == []  # FTS syntax is text
    assert [len(s["articles"]) for s in client.get("/api/stories", params={"since": "2024-04-01"}).json()] == [2]
    assert [s["articles"][0] for s in client.get("/api/stories", params={"sort": "recent"}).json()] == ["s1", "q1"]
    assert [s["outlets"] for s in client.get("/api/stories", params={"outlet": "Daily"}).json()] == [["Daily", "Globe", "Wire"]]
    assert client.get("/api/stories", params={"since": "yesterday"}).status_code == 400
    page = client.get("/stories", params={"q": "rotterdam"}).text
    assert "Rotterdam dock workers strike over pay" in page or "Strike halts" in page
    assert "Valparaiso" not in page.split("<tbody>")[1]


def test_the_api_stories_are_the_cli_stories(client: TestClient, corpus: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["stories", "--store", str(corpus), "--format", "json"]) == 0
    assert client.get("/api/stories").json() == json.loads(capsys.readouterr().out)
    assert main(["outlets", "--store", str(corpus), "--format", "json"]) == 0
    assert client.get("/api/outlets").json() == json.loads(capsys.readouterr().out)


def test_a_story_page_compares_one_article_per_outlet(client: TestClient) -> None:
    story = next(s for s in client.get("/api/stories").json() if "q1" in s["articles"])
    page = wait_for(client, f"/stories/{story['id']}")
    assert "3 articles; 3 compared" in page and "Daily" in page and "/static/report.js" in page
    document = client.get(f"/api/stories/{story['id']}").json()
    VALIDATOR.validate(document)
    assert sorted(a["outlet"] for a in document["articles"]) == ["Daily", "Globe", "Wire"]


def test_outlet_pages_draw_their_charts_as_svg_and_quotes_list_speakers(client: TestClient) -> None:
    outlets = client.get("/outlets").text
    assert "/outlets/Wire" in outlets and "(n=" in outlets
    wire = client.get("/outlets/Wire").text
    assert "<svg" in wire and "Most quoted speakers" in wire and "Jorge Sharp" in wire
    quotes = client.get("/quotes").text
    assert "We are still counting the dead" in quotes and "Jorge Sharp" in quotes
    assert "Niek Stam" in client.get("/quotes", params={"speaker": "Stam"}).text


def test_without_a_corpus_the_corpus_pages_say_how_to_get_one(tmp_path: Path) -> None:
    with TestClient(create_app(WebSettings(config=web_config(tmp_path / "s.db")))) as bare:
        assert bare.get("/api/health").json()["corpus"] is False
        page = bare.get("/stories")
        assert page.status_code == 404 and "parallax serve --store DB" in page.text
        assert bare.get("/api/stories").status_code == 404
