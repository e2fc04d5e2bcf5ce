"""Words that are never speakers: datelines, party tags, share buttons, page labels, a
description in apposition, a name inside the speaker's description; and the short names
and descriptions that merge into one person.

Real sentences from PolNeAR train (../shared/data/polnear/polnear_train.jsonl, named by
their `article`) and BASIL (../shared/data/basil/basil_articles.jsonl, named by `uuid`
and paragraph), quoted verbatim; short made-up cases from issue 11 beside them.
"""
from __future__ import annotations

import pytest

from parallax.nlp.entities import entity_spans
from parallax.nlp.quotes.mentions import party_tags
from parallax.nlp.spacy_model import load_nlp

from test_quotes import quotes_of


def speakers(text: str) -> list[tuple[str, str, str]]:
    """(content start, mention, name) of every quote of speech with a speaker."""
    return [(text[q.start:q.end][:30], text[q.speaker.start:q.speaker.end], q.speaker.name)
            for q in quotes_of(text) if q.speaker and q.kind != "scare"]


def speaker_of(text: str, content_start: str) -> str:
    found = [name for content, _, name in speakers(text) if content.startswith(content_start[:30])]
    assert found, f"no attributed quote starting {content_start!r} in {speakers(text)}"
    return found[0]


@pytest.mark.parametrize("text, content_start, name", [
    # BASIL 8a841e62-6284-49a9-a2ed-931b603750f1 (fox, 2010-05-18), paragraph 1: the
    # party tag is no speaker.
    ('Sen. John Cornyn, R-TX, who heads the GOP campaign committee, said Tuesday, "I think it\'s '
     'a blockbuster revelation," and predicted, "I think it\'s definitely going to make that race '
     'more competitive."', "I think it's a blockbuster", "John Cornyn"),
    # BASIL 34ed48f7-3ad7-47ee-953d-906aad9b37fd (fox, 2017-06-15), paragraph 9
    ("“Without Capitol Hill police, it would have been a massacre—we had no defense—we had no "
     "defense at all,” Sen. Rand Paul, R-Ky., said on \"Fox & Friends.\"",
     "Without Capitol Hill police", "Rand Paul"),
    # BASIL 37cedba7-4b83-4c10-9707-120e759c5e0c (hpo, 2014-02-26), paragraph 0: dateline
    # and "(R)" are no speakers.
    ('WASHINGTON -- Arizona Gov. Jan Brewer (R) announced her decision to veto legislation on '
     'Wednesday that would have allowed businesses to legally refuse service to anyone on '
     '"religious freedom" grounds, effectively allowing them to discriminate against same-sex '
     'couples.', "that would have allowed", "Jan Brewer"),
    # BASIL ae5c9925-6003-40b6-bff6-61e8cf269ed4 (nyt, 2010-08-14), paragraph 9: the
    # apposition describes the speaker, it is not him.
    ("Representative James E. Clyburn, the No. 3 House Democrat, said Monday that “articulating "
     "the constitutional principles” on which the country was founded and “calling for tolerance "
     "on the part of all of its people” were part of “a presidential act worth exercising.”",
     "articulating the constitutional", "James E. Clyburn"),
    # BASIL b724c385-6954-43da-a0cc-95ae8a11628d (hpo, 2010-05-18), paragraph 0: the
    # dateline "HARTFORD, Conn." is where, not who.
    ("HARTFORD, Conn. — Connecticut Attorney General and U.S. Senate candidate Richard "
     "Blumenthal is defending himself against a report he misstated his military service in "
     "Vietnam.", "himself against a report", "Richard Blumenthal"),
    # PolNeAR train, breitbart_2016-07-26_cash-for-opponent-pours-in-as-fl: the company
    # in the speaker's description is not the speaker.
    ("“They’re very open to trying new things,” Jenna Golden, Twitter’s director of political "
     "advertising, said of Trump’s campaign.", "They’re very open", "Jenna Golden"),
    # PolNeAR train, nyt_2016-01-29_it-s-still-bill-but-old-magic-se: the people he
    # advised are not him.
    ("Paul Begala, a former political adviser to Mr. Clinton and a friend of the couple's, said "
     "that the former president's greatest strength now is as ''Hillary's authenticator.''",
     "Hillary's authenticator", "Paul Begala"),
    # Issue 11
    ('"We won," said Paul Begala, a Democratic strategist and advisor to Bill and Hillary Clinton.',
     "We won", "Paul Begala"),
    ("WhatsApp Email Telegram A senior prison official said the inmate had been moved to another "
     "wing.", "the inmate had been moved", "a senior prison official"),
])
def test_only_names_are_speakers(text, content_start, name):
    assert speaker_of(text, content_start) == name


@pytest.mark.parametrize("text", [
    "MORE: Trump says he will win Florida\nThe rest of the story.",
    # PolNeAR train, breitbart_2015-11-18_ny-daily-news-paris-terror-attac (its footer)
    "Follow AWR Hawkins on Twitter: @AWRHawkins.",
])
def test_page_labels_are_not_speakers(text):
    assert all(mention not in ("MORE", "Follow AWR Hawkins on Twitter") for _, mention, _ in speakers(text))


@pytest.mark.parametrize("text, tags", [
    ("Sen. Patrick Leahy (D-Vt.) called it", [("democrat", "vermont")]),
    ("Gov. Jan Brewer (R) announced", [("republican", None)]),
    ("Sen. John Cornyn, R-TX, said", [("republican", "texas")]),
    ("the D-Day landings", []),  # no state after the dash: not a tag
])
def test_party_tags(text, tags):
    assert [(t.party, t.state) for t in party_tags(text, 0, len(text))] == tags


def test_short_first_name_merges_into_the_full_one():
    # BASIL b724c385-6954-43da-a0cc-95ae8a11628d (hpo, 2010-05-18), paragraphs 0 and 13
    text = ("HARTFORD, Conn. — Connecticut Attorney General and U.S. Senate candidate Richard "
            "Blumenthal is defending himself against a report he misstated his military service in "
            "Vietnam.\n-Here are the facts: unlike many of his peers, Dick Blumenthal voluntarily "
            "joined the Marine Corps Reserves in 1970 and served for six months in Parris Island, SC "
            "and six years in the reserves.")
    doc = load_nlp()(text)
    names = {e.name for e in entity_spans(doc) if e.label == "PERSON"}
    assert "Richard Blumenthal" in names and "Dick Blumenthal" not in names


@pytest.mark.parametrize("text, title", [
    # Issue 11: a film, a song
    ("Sam Mendes’s World War One film “1917” won the top prize.", "1917"),
    ("She closed the concert with the song “Imagine” on Sunday.", "Imagine"),
    # PolNeAR train, huff-post_2016-08-29_anthony-weiner-reportedly-caught
    ("In recent years, Weiner opened a consulting firm, became involved in a nonprofit restaurant "
     "and acted in the Syfy movie “Sharknado 3: Oh Hell No!” This past spring, his sexual and "
     "political escapades were featured in the documentary “Weiner.”", "Sharknado 3"),
    ("This past spring, his sexual and political escapades were featured in the documentary "
     "“Weiner.”", "Weiner."),
    # BASIL 180f27cd-7dce-467b-bf2a-459029e6f3ea (nyt, 2016-03-25), paragraph 3
    ("On Wednesday, Mr. Cruz repeatedly quoted from the movie “The American President” to defend "
     "his wife, as she held an event and faced questions about Mr. Trump’s threats.",
     "The American President"),
])
def test_titles_of_works_are_not_quotes(text, title):
    assert not [q for q in quotes_of(text) if text[q.start:q.end].startswith(title)]


def test_a_quote_after_a_work_noun_is_still_a_quote_when_it_is_speech():
    text = "The show “was a disaster from start to finish,” the critic said."
    (quote,) = [q for q in quotes_of(text) if text[q.start:q.end].startswith("was a disaster")]
    assert quote.kind == "partial" and text[quote.speaker.start:quote.speaker.end] == "the critic"
