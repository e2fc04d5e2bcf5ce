"""Quote tracking: one tracked quote per quote across outlets (re-punctuated, partial, other
cue, a word changed), keyed by speaker, with the cue each outlet uses; rows round trip."""
from __future__ import annotations

import random

import pytest

from parallax.corpus.tracking import QuoteRow, QuoteTracker, TrackedMention
from parallax.model import Article, Cue, Quote, Speaker

LAVROV = "We will not accept any ultimatum from Washington, and we will respond to every provocation."
LAVROV_OTHER = "The talks in Geneva are over for now, and nobody should expect a new round soon."


def article(outlet: str, *quotes: tuple[str, str | None, str | None, str],
            published: str | None = None) -> tuple[Article, list[Quote]]:
    """An article quoting each (words, speaker, cue lemma, kind) in a sentence of its own."""
    sentences = []
    for words, speaker, cue, _ in quotes:
        who = speaker or "A voice in the crowd"
        sentences.append(f'{who} {cue or "said"}: "{words}"')
    text = "\n\n".join(sentences)
    a = Article(text=text, outlet=outlet, published=published)
    spans, at = [], 0
    for (words, speaker, cue, kind), sentence in zip(quotes, sentences):
        base = text.index(sentence, at)
        start = base + sentence.index(words)
        name = Speaker(speaker, base, base + len(speaker)) if speaker else None
        cue_span = Cue(cue, base, base + len(cue), cue) if cue else None
        spans.append(Quote(start, start + len(words), kind, speaker=name, cue=cue_span))
        at = base + len(sentence)
    return a, spans


def track(articles: list[tuple[Article, list[Quote]]]) -> tuple[QuoteTracker, list[list[TrackedMention]]]:
    tracker = QuoteTracker()
    return tracker, [tracker.add(a, quotes) for a, quotes in articles]


# ------------------------------------------------------------------ table of cases
# Each case: articles (outlet, quotes), and the expected tracked quotes as lists of
# (article index, quote index), with each one's outlets -> cues.

CASES = {
    "re-punctuated": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "direct")]),
         ("Fox", [(LAVROV.replace(",", "").replace(".", "!"), "Lavrov", "claim", "direct")])],
        [[(0, 0), (1, 0)]], {"Reuters": ["say"], "Fox": ["claim"]}),
    "partial fragment": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "direct")]),
         ("CNN", [("any ultimatum from Washington", "Lavrov", "insist", "partial")])],
        [[(0, 0), (1, 0)]], {"Reuters": ["say"], "CNN": ["insist"]}),
    "another cue verb": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "direct")]),
         ("Breitbart", [(LAVROV, "Sergei Lavrov", "admit", "direct")])],
        [[(0, 0), (1, 0)]], {"Reuters": ["say"], "Breitbart": ["admit"]}),
    "a word changed": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "direct")]),
         ("BBC", [(LAVROV.replace("every", "any"), "Lavrov", "warn", "direct")])],
        [[(0, 0), (1, 0)]], {"Reuters": ["say"], "BBC": ["warn"]}),
    "unattributed copy joins the named quote": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "direct")]),
         ("Blog", [(LAVROV, None, None, "direct")])],
        [[(0, 0), (1, 0)]], {"Reuters": ["say"], "Blog": []}),
    "different quotes of one speaker": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "direct")]),
         ("Fox", [(LAVROV_OTHER, "Lavrov", "say", "direct")])],
        [[(0, 0)], [(1, 0)]], {"Reuters": ["say"]}),
    "the same words of two speakers": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "direct")]),
         ("Fox", [(LAVROV, "Maria Zakharova", "say", "direct")])],
        [[(0, 0)], [(1, 0)]], {"Reuters": ["say"]}),
    "one outlet twice, and two quotes in one article": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "direct"), (LAVROV_OTHER, "Sergei Lavrov", "add", "direct")]),
         ("Reuters", [(LAVROV_OTHER, "Lavrov", "repeat", "direct")])],
        [[(0, 0)], [(0, 1), (1, 0)]], {"Reuters": ["say"]}),
    "scare quotes and indirect speech are not tracked": (
        [("Reuters", [(LAVROV, "Sergei Lavrov", "say", "indirect")]),
         ("Fox", [(LAVROV, None, None, "scare")])],
        [], {}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_tracked_quotes(name):
    spec, groups, cues = CASES[name]
    articles = [article(outlet, *quotes) for outlet, quotes in spec]
    tracker, mentions = track(articles)
    assert len(tracker) == len(groups)
    for quote, group in zip(tracker.quotes(), groups):
        assert [(next(i for i, (a, _) in enumerate(articles) if a.id == m.article_id), m.start) for m in quote.mentions] \
            == [(i, articles[i][1][q].start) for i, q in group]
        assert [m.quote_id for i, q in group for m in mentions[i] if m.start == articles[i][1][q].start] \
            == [quote.id] * len(group)
    if groups:
        first = tracker.get(0)
        assert first.cues() == cues
        assert first.outlets == list(cues)


def test_a_tracked_quote_keeps_the_fullest_variant_and_the_first_named_speaker():
    articles = [article("CNN", ("any ultimatum from Washington", None, "insist", "partial"), published="2016-09-20"),
                article("Reuters", (LAVROV, "Sergei Lavrov", "say", "direct"), published="2016-09-21"),
                article("Fox", ("not accept any ultimatum", "Lavrov", "claim", "partial"), published="2016-09-22")]
    tracker, _ = track(articles)
    (quote,) = tracker.quotes()
    assert quote.text == LAVROV and quote.speaker == "Sergei Lavrov"
    assert (quote.first_article_id, quote.first_published) == (articles[0][0].id, "2016-09-20")
    assert quote.outlets == ["CNN", "Reuters", "Fox"]
    assert tracker.quote_rows() == [QuoteRow(0, "Sergei Lavrov", LAVROV, articles[0][0].id, "2016-09-20", 3, 3)]


def test_quotes_of_a_speaker():
    articles = [article("Reuters", (LAVROV, "Sergei Lavrov", "say", "direct")),
                article("Fox", (LAVROV, "Maria Zakharova", "say", "direct")),
                article("AP", (LAVROV_OTHER, "Lavrov", "say", "direct"))]
    tracker, _ = track(articles)
    assert [q.id for q in tracker.quotes(speaker="Lavrov")] == [0, 2]
    assert [q.id for q in tracker.quotes(speaker="Zakharova")] == [1]
    assert tracker.quotes(speaker="Nobody Known") == []


def test_an_article_is_tracked_once():
    a = article("Reuters", (LAVROV, "Sergei Lavrov", "say", "direct"))
    tracker, _ = track([a])
    assert tracker.add(*a) == [] and len(tracker.rows()) == 1


# ------------------------------------------------------------------ rows

def corpus(n: int, seed: int = 0) -> list[tuple[Article, list[Quote]]]:
    """Articles quoting variants of a few quotes of a few speakers, from 4 outlets."""
    rng = random.Random(seed)
    said = [LAVROV, LAVROV_OTHER, "Those responsible for this crime against humanitarian workers will be found.",
            "Aid will resume as soon as we have guarantees of safe passage for our convoys."]
    speakers = ["Sergei Lavrov", "Lavrov", None, "Stephen O'Brien", "Samantha Power"]
    out = []
    for k in range(n):
        quotes = []
        for _ in range(rng.randint(1, 3)):
            words = rng.choice(said)
            words = " ".join(words.split()[rng.randint(0, 2):]) if rng.random() < 0.3 else words
            quotes.append((words.replace(",", "") if rng.random() < 0.3 else words, rng.choice(speakers),
                           rng.choice(["say", "claim", "add", None]), rng.choice(["direct", "direct", "partial"])))
        out.append(article(f"outlet{k % 4}", *quotes, published=f"2016-09-{1 + k % 28:02d}"))
    return out


def test_rebuild_from_rows_then_continue_is_one_run():
    articles = corpus(30)
    whole, mentions = track(articles)
    first, _ = track(articles[:18])
    rebuilt = QuoteTracker.from_rows(first.rows())
    assert rebuilt.rows() == first.rows() and rebuilt.quote_rows() == first.quote_rows()
    assert [rebuilt.add(a, quotes) for a, quotes in articles[18:]] == mentions[18:]
    assert rebuilt.rows() == whole.rows() and rebuilt.quote_rows() == whole.quote_rows()


def test_mention_rows_are_flat_and_out_of_order_rows_are_refused():
    tracker, _ = track(corpus(8))
    rows = tracker.rows()
    assert all(isinstance(getattr(r, f), (int, str, type(None))) for r in rows for f in r.__dataclass_fields__)
    late = [r for r in rows if r.quote_id > 0]
    with pytest.raises(ValueError, match="in the order they were tracked"):
        QuoteTracker.from_rows(late)
