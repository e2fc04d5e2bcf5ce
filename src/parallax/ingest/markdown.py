"""Read a web page captured as Markdown: header metadata, body paragraphs, no furniture.

A capture looks like examples/seeds/globalresearch.md:

    # Title
    By [Author](#)
    Global Research, September 26, 2016          <- outlet + published
    [World Socialist Web Site](#) 26 September 2016   <- a repost: original_source
    Region: [...], Theme: [...]                  <- meta
    body paragraphs ...
    The original source of this article is X / Copyright / Disclaimer ...   <- dropped

Header lines (byline, dated lines) are recognised only before the first body paragraph, so
a body sentence such as "By Sunday, 26 September 2016, ..." is never taken for metadata.
"""
from __future__ import annotations

import html
import re

from parallax.ingest.boilerplate import is_boilerplate, is_rule, join_body, normalise_whitespace, split_blocks
from parallax.ingest.dates import split_dated_line
from parallax.ingest.page import Page

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
# [text](url) or [text](url "title"); a url may hold one level of parentheses.
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_QUOTE_MARK = re.compile(r"^\s*>\s?")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")

# A .txt with this many "[text](url)" links is a Markdown capture; a lone one may be a
# quoted bracket followed by a parenthesis.
MIN_LINKS_FOR_MARKDOWN = 2

_BYLINE = re.compile(r"^By\s+(?P<names>[A-Z].{1,150})$")
# A byline names people: short, without sentence punctuation.
MAX_AUTHOR_NAME_CHARS = 60
_NAME_SEPARATOR = re.compile(r",\s*|\s+and\s+|\s*&\s*")
# A dated header line names an outlet, not a sentence: "Global Research, September 26, 2016".
MAX_DATED_NAME_CHARS = 80
# ...or carries a label instead of a name: "Updated: 26 September 2016", "Published on May 3, 2020".
_DATE_LABEL = re.compile(r"^(published|updated|posted|last updated|first published|date)\b.*$", re.IGNORECASE)

# "Region: [Middle East](#), [USA](#)" and kin -> meta["region"] = ["Middle East", "USA"].
_TAXONOMY = re.compile(
    r"^(?P<key>Region|Theme|In-depth Report|Tags?|Topics?|Categor(?:y|ies)|Section)\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_ORIGINAL_SOURCE = re.compile(r"^The original source of this article is\s+(?P<name>.+?)\.?$", re.IGNORECASE)
_ARTICLES_BY = re.compile(r"^Articles by:\s*(?P<names>.+)$", re.IGNORECASE)


def strip_inline(line: str) -> str:
    """Markdown inline syntax -> plain text: links keep their text, images and emphasis go."""
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _EMPHASIS.sub(r"\2", line)
    line = _ESCAPED.sub(r"\1", line)
    return html.unescape(line)


def _is_link_only(raw_line: str) -> bool:
    """A line of nothing but links and separators is a menu ("[Home](/) | [World](/w)")."""
    rest = _LINK.sub("", _IMAGE.sub("", raw_line))
    return rest != raw_line and not re.sub(r"[\s|•·,/>-]", "", rest)


def _link_texts(raw_line: str) -> list[str]:
    return [strip_inline(text).strip() for text in _LINK.findall(raw_line) if text.strip()]


def _split_names(names: str) -> list[str] | None:
    parts = [part.strip() for part in _NAME_SEPARATOR.split(names) if part.strip()]
    looks_like_names = all(
        len(part) <= MAX_AUTHOR_NAME_CHARS and part[0].isupper() and not part.endswith(".") for part in parts
    )
    return parts if parts and looks_like_names else None


def _take_taxonomy(raw_line: str, page: Page) -> bool:
    match = _TAXONOMY.match(normalise_whitespace(strip_inline(raw_line)))
    if not match:
        return False
    key = match["key"].lower().replace("-", "_").replace(" ", "_")
    values = _link_texts(raw_line) or [v.strip() for v in match["value"].split(",") if v.strip()]
    page.meta[key] = values
    return True


def _take_header_line(raw_line: str, page: Page) -> bool:
    """Record a byline or dated line on `page`; False when the line is not header metadata."""
    line = normalise_whitespace(strip_inline(raw_line))
    byline = _BYLINE.match(line)
    names = _split_names(byline["names"]) if byline else None
    if names and not page.authors:
        page.authors = names
        return True
    dated = split_dated_line(line)
    if not dated or len(dated[0]) > MAX_DATED_NAME_CHARS or re.search(r"[.!?]$", dated[0]):
        return False
    name, iso = dated
    name = "" if _DATE_LABEL.match(name) else name
    if page.published is None:  # the first dated line is the page's own: outlet and date
        page.published = iso
        page.outlet = page.outlet or name
    elif name and name != page.outlet and page.original_source is None:
        page.original_source = name  # a later "Outlet date" line credits the original publisher
    return True


def _take_trailer_line(line: str, page: Page) -> None:
    """Metadata that captures print among the closing furniture."""
    original = _ORIGINAL_SOURCE.match(line)
    if original:
        page.original_source = original["name"].strip()
    by = _ARTICLES_BY.match(line)
    names = _split_names(by["names"]) if by else None
    if names and not page.authors:
        page.authors = names


def _take_metadata_line(raw_line: str, page: Page, in_header: bool) -> bool:
    """Record a metadata line on `page`; False when the line belongs to the body."""
    return _take_taxonomy(raw_line, page) or (in_header and _take_header_line(raw_line, page))


def _body_paragraphs(raw_lines: list[str], page: Page) -> list[str]:
    """The paragraphs of one body block, furniture dropped.

    Quote marks and heading marks go; each list item is its own paragraph; menu lines
    (only links) go. Wording-based furniture is judged per paragraph, not per line: a
    hard-wrapped line of body text may well start with "comment on" or "copyright".
    """
    paragraphs: list[list[str]] = []
    for raw in raw_lines:
        raw = _QUOTE_MARK.sub("", raw)
        heading = _HEADING.match(raw)
        raw = heading[2] if heading else raw
        new_item = _LIST_ITEM.match(raw) is not None
        raw = _LIST_ITEM.sub("", raw)
        line = normalise_whitespace(strip_inline(raw))
        _take_trailer_line(line, page)
        if not line or _is_link_only(raw):
            continue
        if new_item or not paragraphs:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    joined = (" ".join(lines) for lines in paragraphs)
    return [paragraph for paragraph in joined if not is_boilerplate(paragraph)]


def parse_markdown(text: str) -> Page:
    """Split a Markdown page capture into body text and metadata."""
    page = Page(text="")
    body: list[list[str]] = []  # the paragraphs of each body block
    for block in split_blocks(text):
        if is_rule(block):
            continue
        heading = _HEADING.fullmatch(block)
        if heading and not page.title and not body:
            page.title = normalise_whitespace(strip_inline(heading[2]))
            continue
        kept = [line for line in block.split("\n") if not _take_metadata_line(line, page, in_header=not body)]
        paragraphs = _body_paragraphs(kept, page)
        if paragraphs:
            body.append(paragraphs)
    page.text = join_body(body)
    return page


def looks_like_markdown_capture(text: str) -> bool:
    """True when a `.txt` file is really a Markdown page capture (read it as `.md`).

    Signs: it opens with a "# " heading, or has a "By [X](...)" byline, or carries at
    least MIN_LINKS_FOR_MARKDOWN "[text](url)" links (one could be a quoted bracket).
    """
    first_line = text.lstrip().split("\n", 1)[0]
    if _HEADING.match(first_line):
        return True
    if re.search(r"^By \[[^\]]+\]\(", text, re.MULTILINE):
        return True
    return len(_LINK.findall(text)) >= MIN_LINKS_FOR_MARKDOWN
