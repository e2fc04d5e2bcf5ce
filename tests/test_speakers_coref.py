"""Speakers a user can trust: pronouns, roles and documents resolved within the article,
or the quote left unattributed (Speaker.name "", counted under UNATTRIBUTED).

Real sentences from PolNeAR train (../shared/data/polnear/polnear_train.jsonl, named by
their `article`) and BASIL (../shared/data/basil/basil_articles.jsonl, named by `uuid`
and paragraph), quoted verbatim; a few short made-up cases from issue 11 beside them.
"""
from __future__ import annotations

import pytest

from parallax.model import UNATTRIBUTED

from conftest import SEEDS
from test_quotes import quotes_of


def speaker_of(text: str, content_start: str) -> tuple[str, str]:
    """(mention text, name) of the speaker of the quote whose content starts so."""
    quotes = [q for q in quotes_of(text) if text[q.start:q.end].startswith(content_start)]
    assert quotes, f"no quote starting {content_start!r}"
    speaker = quotes[0].speaker
    assert speaker is not None, f"no speaker mention for {content_start!r}"
    return text[speaker.start:speaker.end], speaker.name


CASES = [
    # PolNeAR train, breitbart_2016-02-20_the-latest-hillary-clinton-tells: "He" is
    # Sanders, not the nearer (female) Hillary Clinton.
    ("Vermont Sen. Bernie Sanders says “the wind is at our backs” despite his loss to Hillary "
     "Clinton in the Nevada caucuses.\n\nSanders says Clinton ran a very aggressive and effective "
     "campaign in Nevada that led to her victory in the Democratic caucuses Saturday.\n\nHe "
     "congratulated her for her victory and praised her effort.",
     "her effort", "He", "Bernie Sanders"),
    # PolNeAR train, huff-post_2016-01-19_flint-water-response-perfectly-c: "she" is
    # Brockovich (the parse makes her no subject; Sanders is nearer, of unknown sex).
    ("Erin Brockovich, the legendary environmental activist and lawyer, endorsed Sanders’ "
     "approach Saturday, saying she hadn’t yet called for the governor’s resignation because "
     "she believed “we need to focus all of our energy on helping the people of Flint.”",
     "we need to focus", "she", "Erin Brockovich"),
    # PolNeAR train, wash-post_2016-06-13_responses-are-in-keeping-with-ca: "She" is
    # Clinton, whom "her campaign" shows to be a woman, not the nearer Obama.
    ("Clinton has made gun control and gay rights central issues in her campaign. Following a "
     "mass shooting last year in Roseburg, Ore., she issued a detailed plan to expand gun "
     "background checks through executive action: President Obama later adopted a similar "
     "approach. She has called for the reinstatement of an assault weapons ban, favors a "
     "California proposal regulating ammunition and has promised to seek legislation ending the "
     "immunity gun manufacturers have from some lawsuits.",
     "the reinstatement of an assault", "She", "Clinton"),
    # PolNeAR train, nyt_2015-11-09_jobs-report-gives-democrats-a-li: "It" is the Fed.
    ("The Fed does not want to stall growth, only to prevent the economy's overheating. It "
     "plans to raise rates more slowly than it has in past periods of growth.",
     "to raise rates", "It", "Fed"),
    # BASIL 0be5b4d1-ad0c-4f8a-8f78-29bfcde0cb52 (nyt, 2015-03-29), paragraphs 0-3: "the
    # governor" is the man the article introduced as Gov. Mike Pence; "a Republican" in
    # apposition is his party, not the speaker.
    ("Gov. Mike Pence of Indiana, moving to address a growing political firestorm over a "
     "religious freedom law enacted last week, said over the weekend that he would seek "
     "legislation to clarify the intent of the law, and rejected assertions that it sanctioned "
     "discrimination against gays and lesbians.\nThe governor, a Republican, told The "
     "Indianapolis Star on Saturday that he was taken aback by negative reactions to the "
     "state’s Religious Freedom Restoration Act, which he signed into law on Thursday. He told "
     "the newspaper that he expected legislation clarifying the law to be introduced in the "
     "General Assembly this week, but offered no details.\nThe law aims to protect individuals "
     "or companies from being forced to take actions that impose a substantial burden on their "
     "religious beliefs. Proponents say the law should allow Christian vendors to refuse "
     "service to same-sex couples without fear of legal reprisals.\n“I support religious "
     "liberty, and I support this law,” the governor said. “But we are in discussions with "
     "legislative leaders this weekend to see if there’s a way to clarify the intent of the law.”",
     "I support religious liberty", "the governor", "Mike Pence"),
    # BASIL 6d996e37-445d-47f7-a273-a8a341667d2b (fox, 2014-04-25), paragraph 2: the
    # statement speaks for the attorney it came from.
    ('"We are disappointed by the government\'s decision, but hardly surprised," said the '
     "statement from Grimm's attorney, William McGinley.",
     "We are disappointed", "the statement", "William McGinley"),
    # The globalresearch.md seed: a statement nobody is named as issuing, then "It".
    ("This was made clear Sunday, when a statement was released rejecting any talks to end to "
     "the war. The statement was signed by a large collection of rebel groups, many of which "
     "are backed by the US. It declared, “Negotiations under the present conditions are no "
     "longer useful and are meaningless.”",
     "Negotiations under", "It", ""),
    # PolNeAR train, usa-today_2016-09-01_trump-didn-t-need-to-meet-with-p
    ("Looks like someone told Trump that without the Latino vote he is dead in the water.",
     "that without the Latino vote", "someone", ""),
    # Issue 11: a described official, then "the official".
    ("A senior prison official said the inmate had been moved. The official added that no one "
     "was hurt.", "that no one was hurt", "The official", "a senior prison official"),
    # Issue 11: a bare role nobody in the article holds is nobody in particular.
    ("The official said the talks had stalled.", "the talks had stalled", "The official", ""),
    # Issue 11: "Reports", "records", "details" with no one behind them.
    ("Reports said the convoy had been hit from the air.", "the convoy had been hit", "Reports", ""),
    ("Records show the payments were made in 2014.", "the payments were made", "Records", ""),
    ("A statement said the talks would resume on Monday.", "the talks would resume", "A statement", ""),
    # ... and with someone behind them
    ("Details released by the Justice Department show the payments were made in 2014.",
     "the payments were made", "Details", "Justice Department"),
]


@pytest.mark.parametrize("text, content_start, mention, name", CASES)
def test_speaker_is_resolved_in_the_article_or_unattributed(text, content_start, mention, name):
    assert speaker_of(text, content_start) == (mention, name)


def test_an_unresolved_speaker_counts_as_unattributed():
    text = "Someone at the agency said the bridge was closed on Monday."
    (quote,) = quotes_of(text)
    assert quote.speaker is not None and quote.speaker_name is None  # the mention stays, unnamed
    assert (quote.speaker_name or UNATTRIBUTED) == UNATTRIBUTED


@pytest.mark.parametrize("content_start, speaker", [
    # "Moscow's U.N. envoy" (the lead) is the "Russian U.N. Ambassador Vitaly Churkin" of
    # the body: a capital is its country, "envoy" an ambassador; Power (US) and Rycroft
    # (Britain) are envoys of other places.
    ("is almost an impossible task now", "Vitaly Churkin"),
    ("Such approach is counterproductive", "Sergei Lavrov"),  # "the FM said"
    ("In turn, Moscow will push", "Sergei Lavrov"),  # "the minister said"
])
def test_seed_descriptions_merge_into_the_named_person(content_start, speaker):
    text = (SEEDS / "zerohedge.txt").read_text(encoding="utf-8")
    assert speaker_of(text, content_start)[1] == speaker


@pytest.mark.parametrize("text, content_start, name", [
    # "he" never goes to a woman, "she" never to a man named as such
    ("Nancy Pelosi met John Boehner on Tuesday. “We talked,” she said.", "We talked", "Nancy Pelosi"),
    ("Nancy Pelosi met John Boehner on Tuesday. “We talked,” he said.", "We talked", "John Boehner"),
    # a title tells the sex when the first name does not
    ("Mrs. Okafor met Mr. Adeyemi on Tuesday. “We talked,” she said.", "We talked", "Okafor"),
])
def test_pronouns_agree_in_sex(text, content_start, name):
    assert speaker_of(text, content_start)[1] == name
