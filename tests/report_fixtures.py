"""Hand-built Analysis / Comparison fixtures for the report tests (no models needed).

Two short articles modelled on the seeds, with quotes (a technique inside a quote, a quote
inside a claim), a same_quote link, a same_fact link, a number conflict and a framing entry.
"""
from __future__ import annotations

from html.parser import HTMLParser

from parallax.model import Analysis, Article, Comparison, Link, Ref, Span

TEXT_A = (
    "US slams Russian barbarism in Syria\n\n"
    '"What Russia is sponsoring and doing is not counter-terrorism, it is barbarism," '
    "Samantha Power told the council. Hundreds of civilians have been killed.\n\n"
    "Power, Rycroft and Delattre walked out of the chamber."
)
TEXT_B = (
    "Referring to the convoy, Samantha Power claimed at the meeting, "
    "\u201cWhat Russia is sponsoring and doing is not counterterrorism, it is barbarism.\u201d\n\n"
    "Between 26 and 43 civilians were reported killed. The diplomats left the chamber "
    "as the Syrian ambassador spoke, making unsubstantiated allegations about \u201crebels\u201d."
)


def find(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the `occurrence`-th match of `phrase` in `text` (fails loudly if absent)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def span(text: str, phrase: str, label: str = "", score: float = 1.0, **attrs) -> Span:
    start, end = find(text, phrase)
    return Span(start, end, label, score, dict(attrs))


def mention(text: str, phrase: str, name: str | None = None) -> dict:
    start, end = find(text, phrase)
    return {"name": name or phrase, "start": start, "end": end}


def cue(text: str, verb: str, lemma: str) -> dict:
    start, end = find(text, verb)
    return {"text": verb, "start": start, "end": end, "lemma": lemma}


def quantity(text: str, phrase: str, low: float, high: float, unit: str) -> dict:
    start, end = find(text, phrase)
    return {"start": start, "end": end, "text": phrase, "low": low, "high": high,
            "approximate": low != high, "unit": unit}


def analysis_a(title: str = "US Slams Russian Barbarism") -> Analysis:
    article = Article(text=TEXT_A, title=title, outlet="ZeroHedge", url="https://zerohedge.example/a",
                      authors=["Tyler Durden"], published="2016-09-25", source="zerohedge.txt")
    analysis = Analysis(article)
    analysis["sentences"] = [span(TEXT_A, "US slams Russian barbarism in Syria", "sentence"),
                             span(TEXT_A, "Hundreds of civilians have been killed.", "sentence")]
    analysis["entities"] = [span(TEXT_A, "Samantha Power", "PERSON", name="Samantha Power"),
                            span(TEXT_A, "Power,", "PERSON", name="Samantha Power"),
                            span(TEXT_A, "Russia", "GPE", name="Russia")]
    analysis["quotes"] = [span(TEXT_A, "What Russia is sponsoring and doing is not counter-terrorism, it is barbarism,",
                               "direct", 0.9, speaker=mention(TEXT_A, "Samantha Power"),
                               cue=cue(TEXT_A, "told", "tell"))]
    analysis["claims"] = [span(TEXT_A, "Hundreds of civilians have been killed.", "claim", 0.8, kind="numeric",
                               quantities=[quantity(TEXT_A, "Hundreds", 200, 999, "civilian")])]
    analysis["techniques"] = [span(TEXT_A, "it is barbarism", "Name_Calling,Labeling", 0.83),
                              span(TEXT_A, "slams", "Loaded_Language", 0.31)]
    return analysis


def analysis_b() -> Analysis:
    article = Article(text=TEXT_B, title="US Accuses Russia of \u201cWar Crimes\u201d", outlet="Global Research",
                      authors=["Jordan Shilton"], published="2016-09-26", original_source="World Socialist Web Site",
                      source="globalresearch.md")
    analysis = Analysis(article)
    analysis["sentences"] = [span(TEXT_B, "Between 26 and 43 civilians were reported killed.", "sentence")]
    analysis["entities"] = [span(TEXT_B, "Samantha Power", "PERSON", name="Samantha Power")]
    analysis["quotes"] = [span(TEXT_B, "What Russia is sponsoring and doing is not counterterrorism, it is barbarism.",
                               "direct", 0.95, speaker=mention(TEXT_B, "Samantha Power"),
                               cue=cue(TEXT_B, "claimed", "claim"))]
    analysis["claims"] = [span(TEXT_B, "Between 26 and 43 civilians were reported killed.", "claim", 0.9,
                               kind="numeric", quantities=[quantity(TEXT_B, "Between 26 and 43", 26, 43, "civilian")]),
                          # A claim that contains the whole quote: nested highlights.
                          span(TEXT_B, TEXT_B.split("\n\n")[0], "claim", 0.5, kind="event", quantities=[])]
    analysis["techniques"] = [span(TEXT_B, "unsubstantiated allegations", "Doubt", 0.72)]
    return analysis


def comparison() -> Comparison:
    a, b = analysis_a(), analysis_b()
    qa, qb = a["quotes"][0], b["quotes"][0]
    ca = a["claims"][0]
    cb = next(claim for claim in b["claims"] if claim.attrs["kind"] == "numeric")
    walk_a = find(TEXT_A, "Power, Rycroft and Delattre walked out of the chamber.")
    walk_b = find(TEXT_B, "The diplomats left the chamber as the Syrian ambassador spoke")
    links = [
        Link("same_quote", Ref(0, qa.start, qa.end), Ref(1, qb.start, qb.end), 0.97, {"speaker": "Samantha Power"}),
        Link("same_fact", Ref(0, *walk_a), Ref(1, *walk_b), 0.71, {"cosine": 0.71}),
        Link("conflict", Ref(0, ca.start, ca.end), Ref(1, cb.start, cb.end), 0.8, {}),
    ]
    conflicts = [{
        "kind": "number", "topic": "civilians killed in Aleppo",
        "a": {"article": 0, "start": ca.start, "end": ca.end, "text": a.snippet(ca), "value": [200, 999]},
        "b": {"article": 1, "start": cb.start, "end": cb.end, "text": b.snippet(cb), "value": [26, 43]},
        "score": 0.8, "explanation": "200-999 civilians vs 26-43 civilians: the ranges do not overlap",
    }]
    hedge = find(TEXT_B, "unsubstantiated")
    rebels = find(TEXT_B, "rebels")
    framing = [{
        "quote": "What Russia is sponsoring and doing is not counter-terrorism, it is barbarism",
        "speaker": "Samantha Power", "link": 0,
        "sides": [
            {"article": 0, "start": qa.start, "end": qa.end, "cue": qa.attrs["cue"], "hedges": [],
             "scare_quotes": [], "loaded": []},
            {"article": 1, "start": qb.start, "end": qb.end, "cue": qb.attrs["cue"],
             "hedges": [{"text": "unsubstantiated", "start": hedge[0], "end": hedge[1]}],
             "scare_quotes": [{"text": "rebels", "start": rebels[0], "end": rebels[1]}], "loaded": []},
        ],
    }]
    unique_a = find(TEXT_A, "US slams Russian barbarism in Syria")
    coverage = {
        "speakers": {"Samantha Power": [1, 1], "Vitaly Churkin": [0, 2]},
        "speaker_chars": {"Samantha Power": [80, 78], "Vitaly Churkin": [0, 150]},
        "shared_share": [0.6, 0.55], "shared_score": 0.57,
        "unique": [[{"start": unique_a[0], "end": unique_a[1], "text": TEXT_A[unique_a[0]:unique_a[1]]}], []],
    }
    omissions = [{"article": 1, "source": {"article": 0, "start": unique_a[0], "end": unique_a[1],
                                           "text": TEXT_A[unique_a[0]:unique_a[1]]},
                  "kind": "claim", "summary": "the headline's charge of barbarism"}]
    outlets = [
        {"article": 0, "outlet": "ZeroHedge", "title": a.article.title, "quotes": 1,
         "speakers": {"Samantha Power": 1}, "loaded_terms": [], "shared_share": 0.6,
         "techniques_per_1000_words": {"Name_Calling,Labeling": 27.0, "Loaded_Language": 27.0}},
        {"article": 1, "outlet": "Global Research", "title": b.article.title, "quotes": 1,
         "speakers": {"Samantha Power": 1}, "loaded_terms": ["unsubstantiated allegations"], "shared_share": 0.55,
         "techniques_per_1000_words": {"Doubt": 30.3}},
    ]
    return Comparison([a, b], links, conflicts, framing, coverage, omissions, outlets)


class ColumnText(HTMLParser):
    """Text of each article column's paragraphs, leaving out the technique name badges."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[list[str]] = []
        self._in_body = self._in_p = self._in_tag = False
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "body" in classes:
            self.columns.append([])
            self._in_body, self._depth = True, 0
        elif self._in_body and tag == "div":
            self._depth += 1
        if self._in_body and tag == "p":
            self.columns[-1].append("")
            self._in_p = True
        if tag == "span" and "tag" in classes:
            self._in_tag = True

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_p = False
        if tag == "span":
            self._in_tag = False
        if self._in_body and tag == "div":
            if self._depth == 0:
                self._in_body = False
            self._depth -= 1

    def handle_data(self, data):
        if self._in_p and not self._in_tag:
            self.columns[-1][-1] += data
