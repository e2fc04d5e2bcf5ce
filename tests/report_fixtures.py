"""Hand-built typed Analysis / Comparison fixtures for the report tests (no models needed).

Two short articles modelled on the seeds, with quotes (a technique inside a quote, a quote
inside a claim, a quote nobody is credited with, a scare quote), a same_quote link, a
same_fact link, a number conflict and a framing row. The per-outlet figures are computed
by comparison.outlets from the layers, as compare_analyses does.
"""
from __future__ import annotations

from html.parser import HTMLParser

from parallax.comparison.outlets import outlet_summaries
from parallax.model import (
    CONFLICT, NUMBER, OMITTED_CLAIM, SAME_FACT, SAME_QUOTE, TONE_LOADED, TONE_NEUTRAL, UNATTRIBUTED, Analysis,
    Article, Claim, Comparison, Conflict, ConflictSide, Coverage, Cue, Entity, Evidence, FramingRow, FramingSide,
    Link, Omission, Phrase, Quantity, Quote, Ref, Span, Speaker, Technique,
)

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
    "as the Syrian ambassador spoke, making unsubstantiated allegations about \u201crebels\u201d.\n\n"
    "\u201cWe count every strike,\u201d a monitor told reporters."
)


def find(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the `occurrence`-th match of `phrase` in `text` (fails loudly if absent)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def phrase(text: str, words: str) -> Phrase:
    return Phrase(*find(text, words), words)


def sentence(text: str, words: str) -> Span:
    return Span(*find(text, words), "sentence")


def entity(text: str, words: str, kind: str, name: str) -> Entity:
    return Entity(*find(text, words), kind, name=name, entity_id=name.lower())


def quote(text: str, words: str, kind: str, score: float, speaker: str | None = None,
          cue: tuple[str, str] | None = None) -> Quote:
    """A quote of `words`; `speaker` is the mention (its text is the name), `cue` (verb, lemma)."""
    return Quote(*find(text, words), kind, score,
                 speaker=Speaker(speaker, *find(text, speaker)) if speaker else None,
                 cue=Cue(cue[0], *find(text, cue[0]), lemma=cue[1]) if cue else None)


def quantity(text: str, words: str, low: float, high: float, unit: str) -> Quantity:
    return Quantity(*find(text, words), words, low, high, approximate=low != high, unit=unit)


def analysis_a(title: str = "US Slams Russian Barbarism") -> Analysis:
    article = Article(text=TEXT_A, title=title, outlet="ZeroHedge", url="https://zerohedge.example/a",
                      authors=["Tyler Durden"], published="2016-09-25", source="zerohedge.txt")
    analysis = Analysis(article)
    analysis["sentences"] = [sentence(TEXT_A, "US slams Russian barbarism in Syria"),
                             sentence(TEXT_A, "Hundreds of civilians have been killed.")]
    analysis["entities"] = [entity(TEXT_A, "Samantha Power", "PERSON", "Samantha Power"),
                            entity(TEXT_A, "Power,", "PERSON", "Samantha Power"),
                            entity(TEXT_A, "Russia", "GPE", "Russia")]
    analysis["quotes"] = [quote(TEXT_A, "What Russia is sponsoring and doing is not counter-terrorism, it is barbarism,",
                                "direct", 0.9, "Samantha Power", ("told", "tell"))]
    analysis["claims"] = [Claim(*find(TEXT_A, "Hundreds of civilians have been killed."), "claim", 0.8, kind="numeric",
                                quantities=[quantity(TEXT_A, "Hundreds of civilians", 200, 999, "civilian")])]
    analysis["techniques"] = [Technique(*find(TEXT_A, "it is barbarism"), "Name_Calling,Labeling", 0.83),
                              Technique(*find(TEXT_A, "slams"), "Loaded_Language", 0.31)]
    return analysis


def analysis_b() -> Analysis:
    article = Article(text=TEXT_B, title="US Accuses Russia of \u201cWar Crimes\u201d", outlet="Global Research",
                      authors=["Jordan Shilton"], published="2016-09-26", original_source="World Socialist Web Site",
                      source="globalresearch.md")
    analysis = Analysis(article)
    analysis["sentences"] = [sentence(TEXT_B, "Between 26 and 43 civilians were reported killed.")]
    analysis["entities"] = [entity(TEXT_B, "Samantha Power", "PERSON", "Samantha Power")]
    analysis["quotes"] = [quote(TEXT_B, "What Russia is sponsoring and doing is not counterterrorism, it is barbarism.",
                                "direct", 0.95, "Samantha Power", ("claimed", "claim")),
                          quote(TEXT_B, "rebels", "scare", 0.7),
                          # nobody is credited: counted under UNATTRIBUTED
                          quote(TEXT_B, "We count every strike,", "direct", 0.8, cue=("told", "tell"))]
    analysis["claims"] = [Claim(*find(TEXT_B, "Between 26 and 43 civilians were reported killed."), "claim", 0.9,
                                kind="numeric", quantities=[quantity(TEXT_B, "Between 26 and 43", 26, 43, "civilian")]),
                          # A claim that contains the whole quote: nested highlights.
                          Claim(*find(TEXT_B, TEXT_B.split("\n\n")[0]), "claim", 0.5, kind="event")]
    analysis["techniques"] = [Technique(*find(TEXT_B, "unsubstantiated allegations"), "Doubt", 0.72)]
    return analysis


def _ref(analysis: Analysis, article: int, where: Span | Phrase | tuple[int, int]) -> Ref:
    start, end = where if isinstance(where, tuple) else (where.start, where.end)
    return Ref(article, start, end, analysis.text[start:end])


def _framing_side(analysis: Analysis, article: int, q: Quote, hedges=(), scare=()) -> FramingSide:
    text = analysis.text
    tone = TONE_LOADED if q.cue.lemma == "claim" else TONE_NEUTRAL
    note = "casts doubt on the statement (MOS:SAID)" if tone == TONE_LOADED else None
    return FramingSide(article, q.start, q.end, analysis.snippet(q), q.cue, tone, note,
                       hedges=[phrase(text, h) for h in hedges], scare_quotes=[phrase(text, w) for w in scare],
                       loaded=[], sentence=Phrase(q.start, q.end, analysis.snippet(q)))


def comparison() -> Comparison:
    a, b = analysis_a(), analysis_b()
    qa, qb = a.quotes[0], b.quotes[0]
    ca, cb = a.claims[0], next(claim for claim in b.claims if claim.quantities)
    links = [
        Link(SAME_QUOTE, _ref(a, 0, qa), _ref(b, 1, qb), 0.97, Evidence(cosine=0.98, speaker=True)),
        Link(SAME_FACT, _ref(a, 0, find(TEXT_A, "Power, Rycroft and Delattre walked out of the chamber.")),
             _ref(b, 1, find(TEXT_B, "The diplomats left the chamber as the Syrian ambassador spoke")), 0.71,
             Evidence(cosine=0.71)),
        Link(CONFLICT, _ref(a, 0, ca), _ref(b, 1, cb), 0.8, Evidence(kind=NUMBER)),
    ]
    qty_a, qty_b = ca.quantities[0], cb.quantities[0]
    conflicts = [Conflict(
        NUMBER, "civilians killed in Aleppo",
        ConflictSide(0, qty_a.start, qty_a.end, qty_a.text, Phrase(ca.start, ca.end, a.snippet(ca)), 200, 999),
        ConflictSide(1, qty_b.start, qty_b.end, qty_b.text, Phrase(cb.start, cb.end, b.snippet(cb)), 26, 43),
        score=0.8, explanation="200-999 civilians vs 26-43 civilians: the ranges do not overlap", cosine=0.75)]
    framing = [FramingRow("What Russia is sponsoring and doing is not counter-terrorism, it is barbarism",
                          "Samantha Power", [0],
                          [_framing_side(a, 0, qa), _framing_side(b, 1, qb, ["unsubstantiated"], ["rebels"])])]
    headline = phrase(TEXT_A, "US slams Russian barbarism in Syria")
    coverage = Coverage(
        speakers={"Samantha Power": [1, 1], UNATTRIBUTED: [0, 1]},
        speaker_chars={"Samantha Power": [80, 78], UNATTRIBUTED: [0, 22]},
        shared_share=[0.6, 0.55], shared_score=0.57, unique=[[headline], []])
    omissions = [Omission(1, OMITTED_CLAIM, "the headline's charge of barbarism", _ref(a, 0, headline))]
    return Comparison([a, b], links, conflicts, framing, coverage, omissions, outlet_summaries([a, b], coverage))


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
