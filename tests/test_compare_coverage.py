"""Coverage: speakers per outlet, shared share, unique sentences, omissions, outlet summaries."""
from __future__ import annotations

import pytest

from parallax.comparison.coverage import canonical_speakers, coverage, omissions
from parallax.comparison.outlets import outlet_summaries
from parallax.model import OMITTED_CLAIM, SAME_FACT, SAME_QUOTE, UNATTRIBUTED, Link, Ref, Technique
from parallax.text import word_count
from test_compare_fixtures import make


@pytest.mark.parametrize("names, expected", [
    (["Power", "Samantha Power"], {"Power": "Samantha Power", "Samantha Power": "Samantha Power"}),
    (["Sergei Lavrov", "Lavrov", "Vitaly Churkin"],
     {"Sergei Lavrov": "Sergei Lavrov", "Lavrov": "Sergei Lavrov", "Vitaly Churkin": "Vitaly Churkin"}),
    # two full names sharing a surname are two people
    (["Hillary Clinton", "Bill Clinton"], {"Hillary Clinton": "Hillary Clinton", "Bill Clinton": "Bill Clinton"}),
])
def test_canonical_speakers(names, expected):
    assert canonical_speakers(names) == expected


A = make('"We walked out," Power said. Lavrov said the talks were over. The weather was fine.', "A",
         quotes=[("We walked out,", "direct", "Samantha Power", "said"),
                 ("the talks were over", "indirect", "Sergei Lavrov", "said")],
         claims=[("The weather", {"kind": "event", "score": 0.7})],
         techniques=[("We walked out", "Loaded_Language")])
B = make('"We walked out," said Power. Rebels shelled the town for a second day running, '
         'killing several people in the market square near the mosque.', "B",
         quotes=[("We walked out,", "direct", "Power", "said")],
         claims=[("Rebels shelled", {"kind": "event", "score": 0.8})])
LINKS = [Link(SAME_QUOTE, Ref(0, 1, 15), Ref(1, 1, 15), 1.0)]


def test_coverage_counts_speakers_shared_share_and_unique_sentences():
    cover = coverage([A, B], LINKS)
    assert cover.speakers == {"Samantha Power": [1, 1], "Sergei Lavrov": [1, 0]}
    assert cover.speaker_chars["Samantha Power"] == [14, 14]
    first_a, first_b = A.sentences[0], B.sentences[0]
    chars_a, chars_b = sum(len(s) for s in A.sentences), sum(len(s) for s in B.sentences)
    assert cover.shared_share == [round(len(first_a) / chars_a, 3), round(len(first_b) / chars_b, 3)]
    assert cover.shared_score == round((len(first_a) + len(first_b)) / (chars_a + chars_b), 3)
    assert [u.text for u in cover.unique[0]] == ["Lavrov said the talks were over.", "The weather was fine."]


def test_omissions_with_two_articles_are_each_ones_unlinked_material():
    found = omissions([A, B], LINKS)
    # A lacks B's claim about the shelling; B lacks A's claim (Lavrov's 5-word quote is too short to count)
    assert [(o.article, o.kind, o.source.article) for o in found] == [(0, OMITTED_CLAIM, 1), (1, OMITTED_CLAIM, 0)]
    assert found[0].source.text.startswith("Rebels shelled")
    assert found[0].source.text == B.text[found[0].source.start:found[0].source.end]


def test_omissions_with_three_articles_need_a_majority_of_the_others():
    c = make("Nothing related here at all, only filler words in one long sentence.", "C")
    found = omissions([A, B, c], LINKS)
    # each claim is carried by one outlet only: not "most other outlets" for anybody
    assert found == []
    linked = LINKS + [Link(SAME_FACT, Ref(1, B.claims[0].start, B.claims[0].end), Ref(2, 0, 10), 0.7)]
    found = omissions([A, B, c], linked)
    assert [(o.article, o.source.article) for o in found] == [(0, 1)]


def test_outlet_summaries():
    cover = coverage([A, B], LINKS)
    summary = outlet_summaries([A, B], cover)
    assert summary[0].quotes == 2 and summary[0].speakers == {"Samantha Power": 1, "Sergei Lavrov": 1}
    assert summary[0].words == word_count(A.text) == 15
    assert summary[0].techniques == 1
    assert summary[0].techniques_per_1000_words == {"Loaded_Language": 66.67}
    assert summary[0].all_techniques_per_1000_words == 66.67
    assert summary[1].techniques_per_1000_words == {} and summary[1].all_techniques_per_1000_words == 0.0
    assert summary[1].outlet == "B" and summary[1].shared_share == cover.shared_share[1]


UNCREDITED = make('"We walked out," Power said. "It was a farce," one diplomat said. The "talks" are over.', "U",
                  quotes=[("We walked out,", "direct", "Power", "said"), ("It was a farce,", "direct", None, "said"),
                          ("talks", "scare", None, None)])


@pytest.mark.parametrize("cover, speakers, shared_share", [
    # compared: names merged across the articles ("Power" is B's "Power", A's "Samantha Power")
    (coverage([A, UNCREDITED], []), {"Samantha Power": 1, UNATTRIBUTED: 1}, 0.0),
    # not compared: the article's own names, no share
    (None, {"Power": 1, UNATTRIBUTED: 1}, None),
])
def test_unattributed_quotes_are_counted_and_scare_quotes_are_not(cover, speakers, shared_share):
    """Every quote of speech counts under a speaker, so a per-speaker chart adds up to the
    outlet's quote count; scare quotes are the outlet's own words, not anybody's speech."""
    summary = outlet_summaries([A, UNCREDITED], cover)[1]
    assert summary.speakers == speakers
    assert summary.quotes == sum(summary.speakers.values()) == 2
    assert summary.shared_share == shared_share


def test_coverage_speakers_are_most_quoted_first_and_include_unattributed():
    cover = coverage([A, B, UNCREDITED], [])
    assert cover.speakers == {"Samantha Power": [1, 1, 1], "Sergei Lavrov": [1, 0, 0], UNATTRIBUTED: [0, 0, 1]}
    assert list(cover.speakers) == ["Samantha Power", "Sergei Lavrov", UNATTRIBUTED]  # ties A-Z


@pytest.mark.parametrize("text, labels, rates, total", [
    ("one two three four", ["Doubt"], {"Doubt": 250.0}, 250.0),
    # words as parallax.text counts them everywhere: a lone dash is no word, "don't" is one
    ("Power \u2014 don't - stop", ["Slogans", "Doubt", "Doubt"], {"Doubt": 666.67, "Slogans": 333.33}, 1000.0),
    # rounded once from the counts, not summed from rounded rates (2 x 333.33 = 666.66)
    ("a b c", ["Doubt", "Slogans"], {"Doubt": 333.33, "Slogans": 333.33}, 666.67),
    ("", [], {}, 0.0),
])
def test_technique_rates_per_1000_words(text, labels, rates, total):
    analysis = make(text, "T")
    analysis["techniques"] = [Technique(0, 1, label) for label in labels]
    (summary,) = outlet_summaries([analysis])
    assert (summary.techniques_per_1000_words, summary.all_techniques_per_1000_words) == (rates, total)
    assert summary.techniques == len(labels)
