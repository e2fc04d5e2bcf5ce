"""Read a saved HTML page with trafilatura: main text plus title, author, date, site name, url."""
from __future__ import annotations

from parallax.errors import InputError
from parallax.ingest.boilerplate import is_boilerplate, join_body
from parallax.ingest.page import Page

# Elements trafilatura keeps by default that are never article text ("Please enable
# JavaScript"); scripts and styles it removes itself.
PRUNE_XPATH = ["//noscript"]
# Dates only from markup that states them (meta tags, <time>, date elements). The
# extensive search guesses from any year on the page: "Copyright 2016" became "2016-01-01".
DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _authors(author: str | None) -> list[str]:
    """trafilatura joins several authors with "; "."""
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def parse_html(markup: str, source: str) -> Page:
    """The main text and metadata of an HTML page; InputError when it has no article text."""
    import trafilatura  # 0.25 s of imports, paid only when a page is HTML

    try:
        doc = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            prune_xpath=PRUNE_XPATH,
            date_extraction_params=DATE_PARAMS,
        )
    except Exception as error:  # trafilatura/lxml raise many types on broken markup
        detail = " ".join(str(error).split())
        raise InputError(source, f"could not parse HTML ({type(error).__name__}: {detail})") from error
    if doc is None:  # trafilatura found no main content at all
        raise InputError(source, "no article text found in HTML")
    title = (doc.title or "").strip()
    # trafilatura keeps the page's <h1> as the first line; the title already holds it.
    lines = [line for line in (doc.text or "").split("\n") if line.strip()]
    if title and lines and lines[0].strip() == title:
        lines = lines[1:]
    text = join_body([[line] for line in lines if not is_boilerplate(line)])
    if not text:
        raise InputError(source, "no article text found in HTML")
    meta = {
        key: value
        for key, value in (("description", doc.description), ("categories", doc.categories), ("tags", doc.tags))
        if value
    }
    return Page(
        text=text,
        title=title,
        outlet=(doc.sitename or "").strip(),
        url=(doc.url or "").strip(),
        authors=_authors(doc.author),
        published=doc.date or None,
        meta=meta,
    )
