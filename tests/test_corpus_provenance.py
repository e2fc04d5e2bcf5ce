"""Provenance: passages copied from an earlier article of another outlet (exact or near,
earliest source, carriers), short and boilerplate lines ignored, rows round trip; and the
KeyIndex under it."""
from __future__ import annotations

import random

import pytest

from parallax.corpus.dedup import text_hash
from parallax.corpus.keyindex import KeyIndex
from parallax.corpus.passages import jaccard, normalised_hash, passage_bounds, shingles
from parallax.corpus.provenance import EXACT, NEAR, NEAR_JACCARD, CopyIndex, Passage, summarise
from parallax.model import Article, normalise_text

WIRE = ("The United Nations Security Council met on Tuesday to discuss the attack on the aid convoy "
        "near Aleppo, which killed at least 20 people and destroyed 18 trucks.")
# WIRE with three words changed: a near copy
WIRE_EDITED = ("The UN Security Council met on Tuesday to discuss the strike on the aid convoy "
               "near Aleppo, which killed at least 20 people and destroyed 18 lorries.")
WIRE_2 = ("Russia and Syria denied any role in the strike, and Moscow said a drone of the coalition "
          "had been seen over the convoy shortly before it was hit.")
OWN = {
    "Reuters": "Diplomats said the meeting was called at the request of France and Britain after days of talks.",
    "AP": "Relief agencies suspended deliveries across the region while the circumstances were examined.",
    "CNN": "Residents of the eastern districts described long queues for bread and water on Wednesday morning.",
    "BBC": "The foreign secretary told parliament that those responsible would be held to account in time.",
}
BYLINE = "By Jane Doe in Geneva"  # under MIN_PASSAGE_WORDS
FURNITURE = "Follow us on Twitter and Facebook for the latest news from our newsroom every single day."


def article(outlet: str, *paragraphs: str) -> Article:
    return Article(text="\n\n".join(paragraphs), outlet=outlet)


def span(a: Article, paragraph: str) -> tuple[int, int]:
    start = a.text.index(paragraph)
    return start, start + len(paragraph)


def run(articles: list[Article]) -> tuple[CopyIndex, list[list]]:
    index = CopyIndex()
    return index, [index.add(a) for a in articles]


# ------------------------------------------------------------------ table of cases

def verbatim():
    a, b = article("Reuters", WIRE, OWN["Reuters"]), article("AP", OWN["AP"], WIRE)
    return [a, b], [(1, WIRE, 0, WIRE, EXACT)]


def same_outlet_repeats():
    return [article("Reuters", WIRE, OWN["Reuters"]), article("Reuters", WIRE, OWN["AP"])], []


def near_copy():
    a, b = article("Reuters", WIRE, OWN["Reuters"]), article("CNN", WIRE_EDITED, OWN["CNN"])
    return [a, b], [(1, WIRE_EDITED, 0, WIRE, NEAR)]


def short_and_boilerplate_ignored():
    return [article("Reuters", BYLINE, FURNITURE, OWN["Reuters"]), article("AP", BYLINE, FURNITURE, OWN["AP"])], []


def earliest_source():
    # AP copies Reuters, then CNN copies AP's copy: the source is still the earliest, Reuters
    articles = [article("Reuters", WIRE, WIRE_2), article("AP", OWN["AP"], WIRE, WIRE_2),
                article("CNN", WIRE, OWN["CNN"])]
    return articles, [(1, WIRE, 0, WIRE, EXACT), (1, WIRE_2, 0, WIRE_2, EXACT), (2, WIRE, 0, WIRE, EXACT)]


def first_carrier_repeats_itself():
    # Reuters had it first; AP copied it; Reuters repeating it copies nobody
    articles = [article("Reuters", WIRE), article("AP", WIRE, OWN["AP"]), article("Reuters", OWN["Reuters"], WIRE)]
    return articles, [(1, WIRE, 0, WIRE, EXACT)]


def unrelated_reports():
    return [article("Reuters", OWN["Reuters"], WIRE_2), article("BBC", OWN["BBC"], OWN["CNN"])], []


def sentence_of_a_long_paragraph():
    # a copied sentence inside a paragraph of more than MAX_PASSAGE_WORDS words
    long = " ".join([OWN["BBC"], OWN["CNN"], WIRE, OWN["AP"], OWN["BBC"].replace("time", "due course"),
                     OWN["CNN"].replace("Wednesday", "Thursday")])
    a, b = article("Reuters", WIRE, OWN["Reuters"]), article("BBC", long)
    return [a, b], [(1, WIRE, 0, WIRE, EXACT)]


def merged_into_own_paragraph():
    # the wire paragraph with the outlet's own sentence before it: contained, a near copy
    merged = OWN["CNN"] + " " + WIRE + " " + WIRE_2.split(",")[0] + "."
    a, b = article("Reuters", WIRE, OWN["Reuters"]), article("CNN", merged)
    return [a, b], [(1, merged, 0, WIRE, NEAR)]


CASES = [verbatim, same_outlet_repeats, near_copy, short_and_boilerplate_ignored, earliest_source,
         first_carrier_repeats_itself, unrelated_reports, sentence_of_a_long_paragraph, merged_into_own_paragraph]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_copies(case):
    articles, expected = case()
    _, copies = run(articles)
    found = [(i, c) for i, per_article in enumerate(copies) for c in per_article]
    assert len(found) == len(expected), found
    for (i, copy), (article_index, passage, source_index, source_passage, kind) in zip(found, expected):
        a, source = articles[article_index], articles[source_index]
        start, end = span(a, passage)
        assert i == article_index and (copy.start, copy.end) == (start, end)
        assert copy.article_id == a.id
        assert copy.source_article_id == source.id and copy.source_outlet == source.outlet
        assert (copy.source_start, copy.source_end) == span(source, source_passage)
        assert copy.kind == kind
        if kind == EXACT:
            assert copy.similarity == 1.0
        else:
            assert copy.similarity < 1.0


def test_near_copy_similarity_is_the_bigram_jaccard():
    (_, [copy]) = run(near_copy()[0])[1]
    assert copy.similarity == round(jaccard(shingles(WIRE_EDITED), shingles(WIRE)), 3)
    assert NEAR_JACCARD <= copy.similarity < 1.0


def test_short_lines_and_furniture_are_no_passages():
    text = "\n\n".join([BYLINE, FURNITURE, WIRE])
    assert passage_bounds(text) == [span(Article(text=text), WIRE)]


# ------------------------------------------------------------------ carriers

def test_three_outlets_carrying_one_passage():
    articles = [article("Reuters", WIRE, OWN["Reuters"]), article("AP", OWN["AP"], WIRE),
                article("CNN", WIRE_EDITED, OWN["CNN"]), article("AP", WIRE, OWN["BBC"])]  # AP again: still 3
    index, copies = run(articles)
    assert index.carriers(copies[2][0]) == 3
    assert index.carriers(Passage(articles[0].id, *span(articles[0], WIRE))) == 3
    assert index.carriers(Passage(articles[0].id, *span(articles[0], OWN["Reuters"]))) == 1
    assert index.carriers(Passage(articles[0].id, 0, 5)) == 0  # not an indexed passage


def test_an_article_is_indexed_once():
    a = article("Reuters", WIRE)
    index, _ = run([a, article("AP", WIRE)])
    assert index.add(a) == [] and len(index) == 2


def test_articles_of_no_named_outlet_are_outlets_of_their_own():
    _, copies = run([article("", WIRE, OWN["AP"]), article("", OWN["BBC"], WIRE)])
    assert [c.kind for c in copies[1]] == [EXACT]


# ------------------------------------------------------------------ summary

def test_summary_line():
    articles = [article("Reuters", WIRE, WIRE_2), article("BBC", OWN["BBC"], WIRE, BYLINE, WIRE_2)]
    _, copies = run(articles)
    summary = summarise(articles[1].text, copies[1])
    assert (summary.paragraphs, summary.copied, summary.sources) == (3, 2, {"Reuters": 2})
    assert summary.line() == "2 of 3 paragraphs copied from Reuters"
    assert summarise(articles[0].text, copies[0]).line() == "0 of 2 paragraphs copied"


def test_summary_line_with_two_sources():
    articles = [article("Reuters", WIRE), article("AP", WIRE_2), article("BBC", WIRE, WIRE_2, OWN["BBC"])]
    _, copies = run(articles)
    assert summarise(articles[2].text, copies[2]).line() == "2 of 3 paragraphs copied: 1 from Reuters, 1 from AP"


# ------------------------------------------------------------------ rows

def corpus(n: int, seed: int = 0) -> list[Article]:
    """Articles of shuffled paragraphs of the texts above, some lightly edited, from 5 outlets."""
    rng = random.Random(seed)
    pool = [WIRE, WIRE_2, *OWN.values()]
    out = []
    for k in range(n):
        paragraphs = rng.sample(pool, 3)
        paragraphs = [p.replace("the", "a", 1) if rng.random() < 0.3 else p for p in paragraphs]
        paragraphs.append(f"Paragraph {k} of its own, written for this article only, number {k} in the series.")
        out.append(article(f"outlet{k % 5}", *paragraphs))
    return out


def test_rebuild_from_rows_then_continue_is_one_run():
    articles = corpus(40)
    whole, copies = run(articles)
    first = CopyIndex()
    for a in articles[:25]:
        first.add(a)
    rebuilt = CopyIndex.from_rows(first.rows())
    assert rebuilt.rows() == first.rows()
    assert [rebuilt.add(a) for a in articles[25:]] == copies[25:]
    assert rebuilt.rows() == whole.rows()
    assert [rebuilt.carriers(c) for cs in copies[25:] for c in cs] == [whole.carriers(c) for cs in copies[25:] for c in cs]


def test_rows_are_plain_and_per_article():
    index, _ = run(corpus(6))
    rows = index.rows(corpus(6)[2].id)
    assert rows and all(r.article_id == corpus(6)[2].id for r in rows)
    for row in rows:
        assert all(isinstance(v, (int, str)) for v in (row.order, row.article_id, row.outlet, row.start, row.end,
                                                       row.text_hash, row.group))
        assert all(isinstance(h, int) for h in row.shingles) and row.shingles == sorted(row.shingles)


def test_rows_out_of_order_are_refused():
    rows = run(corpus(3))[0].rows()
    with pytest.raises(ValueError, match="passage rows must number"):
        CopyIndex.from_rows(rows[1:])


def test_memory_per_passage_is_bounded():
    index, _ = run(corpus(600, seed=1))
    assert len(index) == 2400
    assert index.memory_per_passage() < 400


def test_normalised_hash_is_the_hash_of_normalise_text():
    for text in ["A  b\tc", " Lead\u00a0line\n\nwith\u2009thin spaces ", "ÉCOLE  Straße", "x\x1cy"]:
        assert normalised_hash(text) == text_hash(normalise_text(text))


# ------------------------------------------------------------------ KeyIndex

@pytest.mark.parametrize("newest", [False, True])
def test_key_index_returns_each_keys_values_in_order(newest):
    rng = random.Random(3)
    index, reference, value = KeyIndex(), {}, 0
    for _ in range(400):  # many adds: several merged runs
        keys = [rng.randrange(30) for _ in range(rng.randint(0, 9))]
        index.add(keys, range(value, value + len(keys)))
        for key in keys:
            reference.setdefault(key, []).append(value)
            value += 1
    asked, found = index.lookup(list(range(35)), 5, newest=newest)
    got: dict[int, list[int]] = {}
    for i, v in zip(asked.tolist(), found.tolist()):
        got.setdefault(i, []).append(v)
    assert got == {k: (vs[::-1] if newest else vs)[:5] for k, vs in reference.items()}
    assert len(index) == value and len(index._runs) <= 12


def test_a_fresh_copy_is_found_behind_many_older_partial_matches():
    """Regression (bench/corpus_scale.py at 10^5: copied-paragraph recall 0.93): each of a
    passage's index keys had 64+ older passages sharing half its words, the bucket was read
    earliest first only, and the recent source never became a candidate."""
    words = WIRE.split()
    halves = (" ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:]))
    filler = ["Officials in {} gave no further details on the matter that week.",
              "A spokesman in {} declined to comment when reached by telephone."]
    older = [article(f"Outlet{i}", f"{halves[i % 2]} {filler[i % 2].format(f'town {i}')}") for i in range(140)]
    source, copier = article("Reuters", WIRE, OWN["Reuters"]), article("CNN", OWN["CNN"], WIRE_EDITED)
    _, copies = run([*older, source, copier])
    assert [(c.source_article_id, c.kind) for c in copies[-1]] == [(source.id, NEAR)]
