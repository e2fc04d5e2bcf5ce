"""Stage 2 of quote extraction: reporting verbs (cues) and their speakers.

    is_cue(token, for_quote), subject_of(cue), antecedent_of(relative), cue_of(token)

A cue is a token whose lemma is in the reporting-verb lexicon; its speaker is the
grammatical subject of the cue (or of the verb it hangs from, for participles such
as "telling an interview" or "by saying"). Everything here reads the spaCy parse
and returns plain character offsets; the speaker's mention and name are found from
the subject by `mentions` and `coref`.
"""
from __future__ import annotations

from spacy.tokens import Token

from parallax.model import Cue
from parallax.nlp.quotes.tokens import SPEAKER_POS, after_comma
from parallax.nlp.spacy_model import doc_text, lemma

# Verbs of saying, writing and asserting: a quote or clause attached to one of these
# is attributed to its subject. Lemmas as spaCy's en_core_web_sm produces them.
SPEECH_LEMMAS = frozenset("""
say tell claim charge add note insist warn comment declare state argue accuse deny admit
allege respond slam report write ask announce suggest explain acknowledge tweet describe
confirm reveal stress emphasize emphasise recall conclude predict promise vow urge criticize
criticise blame complain testify assert contend maintain reply answer observe mention
estimate proclaim demand question wonder speculate concede boast brag joke quip lament
scoff retort counter dismiss denounce condemn label dub hint caution recount relay cite
agree disagree threaten pledge repeat reiterate insist acknowledge remark exclaim shout
yell whisper plead beg order instruct advise recommend propose praise mock attack decry
lambaste blast rip chide scold fault question inform assure reassure signal indicate
announce disclose divulge publish post tweet text email reason
""".split())

# Verbs of believing and finding: attribution sources in the PolNeAR sense ("polls
# show", "officials believe"). They take a clause, never a bare quotation.
BELIEF_LEMMAS = frozenset("""
think believe feel fear hope expect know find show suggest indicate learn worry doubt
""".split())

# Cues that only introduce a quotation ("the foreign minister continued, “...”"): in
# running text they are ordinary verbs ("continue finger-pointing"), so they never
# make an indirect quote.
QUOTE_ONLY_LEMMAS = frozenset("continue call go bark beam cry echo read chant scream mouth".split())
# Verbs that are cues only with their particle: "He went on, “...”", "she pointed out".
PARTICLE_REQUIRED = {"go": "on", "point": "out"}

SUBJECT_DEPS = ("nsubj", "nsubjpass")
PLACE_TYPES = frozenset(("GPE", "LOC", "FAC"))
# Cues whose passive subject is the speaker: "he was quoted as saying", "she was heard
# telling aides". Any other cue's passive subject is its target ("the buyers were charged",
# "he was described as"): the speaker is the agent ("by X") or nobody.
SPEAKING_PASSIVES = frozenset("quote hear overhear record".split())
# Deps through which a participle or infinitive borrows the subject of its head verb.
BORROWING_DEPS = ("xcomp", "advcl", "pcomp", "conj", "prep", "acl")
# Climbing further than this for a borrowed subject reaches unrelated clauses.
MAX_SUBJECT_CLIMB = 3

# Entity types a "who" cannot stand for.
NOT_PEOPLE = frozenset(("GPE", "LOC", "FAC", "ORG"))
# "which", "that", "who": a relative pronoun is never itself the speaker.
RELATIVE_TAGS = frozenset(("WDT", "WP"))

# "a group backing Bush": a participle modifying a noun has that noun as its subject,
# unless the noun is the artifact a sentient subject issued ("she put out a statement
# saying ..." -> she, "fired back a response saying" -> Trump, "launched the movement
# with a speech denouncing" -> its launcher; PolNeAR prefers the sentient source).
ARTIFACT_NOUNS = frozenset("statement letter message note tweet post release memo email ad video article column "
                           "response reply speech remark".split())
# A relative clause on such a work speaks for its author, too ("The Washington Post ran
# a piece that noted ..." -> the Post): the works a subject runs or publishes.
AUTHORED_NOUNS = ARTIFACT_NOUNS | frozenset("piece editorial story report op-ed blog".split())
AUTHOR_VERBS = frozenset("run publish write issue release post air file send pen print author".split())

# "That said, Millennials say ...": a discourse marker ("however"), not a report.
DISCOURSE_MARKERS = frozenset({"that said", "this said", "that being said", "having said that",
                               "that having been said", "with that said", "all that said"})
MARKER_WORDS = 5  # the longest marker has four words: a comma farther in ends no marker


def is_cue(token: Token, for_quote: bool) -> bool:
    """Is `token` a reporting verb? `for_quote`: it introduces a quotation."""
    if token.pos_ not in ("VERB", "AUX") and token.tag_ != "VBN" or _so_called(token):
        return False
    base = lemma(token)
    if base in SPEECH_LEMMAS:
        return not _discourse_marker(token)
    if base in PARTICLE_REQUIRED:
        return any(c.dep_ == "prt" and c.lower_ == PARTICLE_REQUIRED[base] for c in token.children) \
            and (for_quote or base not in QUOTE_ONLY_LEMMAS)
    return for_quote and base in QUOTE_ONLY_LEMMAS


def _so_called(token: Token) -> bool:
    """The "called" of "so-called" (three tokens) reports nobody's words."""
    i = token.i
    return token.lower_ == "called" and i >= 2 and token.doc[i - 1].text == "-" and token.doc[i - 2].lower_ == "so"


def introduces(cue: Token, inside: set[int]) -> bool:
    """Does a quote-only cue introduce the quotation whose tokens are `inside`, or is it
    used in its everyday sense? "said her campaign would continue “to break barriers”"
    (no comma or colon before the quotation) leaves the quotation to the "said" (PolNeAR
    train); "the minister continued, “...”" introduces it. ("called it “a disaster”" and
    "calls her “an intelligent woman”" parse like "were calling “every 15 minutes”": "call"
    always introduces.)"""
    if lemma(cue) == "continue" and cue.i < min(inside):
        return any(t.text in (",", ":") for t in cue.doc[cue.i + 1:min(inside)])
    return True


def _discourse_marker(token: Token) -> bool:
    """"That said," / "Having said that,": the words before the sentence's first comma
    are one of DISCOURSE_MARKERS and hold `token`."""
    sent = token.sent
    if token.i - sent.start > MARKER_WORDS:  # most cues: no need to look for the comma
        return False
    comma = next((t for t in sent if t.text == ","), None)
    if comma is None or not token.i < comma.i or comma.i - sent.start > MARKER_WORDS:
        return False
    return " ".join(t.lower_ for t in token.doc[sent.start:comma.i]) in DISCOURSE_MARKERS


def cue_phrase(token: Token) -> tuple[int, int]:
    """Character range of the cue: the verb plus a particle ("point out", "go on")."""
    end_token = token
    for child in token.children:
        if child.dep_ == "prt" and child.i == end_token.i + 1:
            end_token = child
    return token.idx, end_token.idx + len(end_token)


def cue_of(token: Token) -> Cue:
    """The Cue of a quote whose reporting word is `token`."""
    start, end = cue_phrase(token)
    return Cue(doc_text(token.doc)[start:end], start, end, lemma(token))


def subject_of(cue: Token) -> Token | None:
    """The subject of the cue verb, borrowed from its head verb for participles.
    A relative pronoun ("who said") is kept as the mention only when it stands for
    a noun (see `antecedent_of`)."""
    subject = _grammatical_subject(cue)
    if subject is None or not _can_speak(subject):
        return None
    if subject.tag_ in RELATIVE_TAGS and antecedent_of(subject) is None:
        return None
    return subject


def across_paragraphs(subject: Token, cue: Token) -> bool:
    """A subject in another paragraph than its cue is a parse run across a blank line
    ("Theme: ..." above a sentence): the content may be right, the speaker is not."""
    start, end = sorted((subject.idx, cue.idx))
    return "\n\n" in doc_text(cue.doc)[start:end]


def _can_speak(subject: Token) -> bool:
    """Dates, times and numbers are never speakers ("9:30 p.m. said" is a mis-parse);
    "72 percent said" is a poll figure and does speak, and so does "the 43-year-old",
    though the entity layer reads an age as a date."""
    if subject.pos_ == "PUNCT":
        return False
    return subject.ent_type_ not in ("DATE", "TIME", "MONEY", "ORDINAL") or subject.lower_ == "old"


def antecedent_of(relative: Token) -> Token | None:
    """The noun a relative pronoun stands for: "Sanders, who said ..." -> Sanders; a
    "who" after a title's place or body stands for the titled person, and after an
    apposition for the person it describes ("Chi Onwurah, the MP for Newcastle Central,
    who ..." -> Onwurah, not Newcastle Central)."""
    clause = relative.head
    if clause.dep_ != "relcl" or clause.head.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    noun = clause.head
    while relative.lower_ in ("who", "whom") and noun.dep_ == "pobj" and noun.ent_type_ in NOT_PEOPLE \
            and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head.head
    if relative.lower_ in ("who", "whom") and noun.dep_ == "appos" and noun.head.pos_ == "PROPN":
        noun = noun.head  # "Chi Onwurah, the Labour MP ..., who": the person the title describes
    return noun


def is_passive_participle(cue: Token) -> bool:
    """"When asked whether ...", "Asked about the war, he said": the subject the
    participle would borrow is the one asked, not the asker."""
    return cue.tag_ == "VBN" and cue.dep_ in ("advcl", "acl") \
        and not any(c.dep_ in SUBJECT_DEPS for c in cue.children)


def _subject_is_target(cue: Token) -> bool:
    """Is the cue's subject a passive one that is spoken about, not speaking ("the buyers
    were charged"; not "he was quoted as saying")?"""
    subject = next((c for c in cue.children if c.dep_ in SUBJECT_DEPS), None)
    return subject is not None and subject.dep_ == "nsubjpass" and lemma(cue) not in SPEAKING_PASSIVES


def speaks_through_target(cue: Token) -> bool:
    """A passive cue with no "by X" whose subject is its target ("the buyers were charged"):
    it names no speaker, so a quotation inside it is reported by the verb above, if any
    ("..., Levy said")."""
    return _subject_is_target(cue) and _agent(cue) is None


def _misparsed_subject(cue: Token) -> Token | None:
    """The subject the small parser hangs elsewhere (PolNeAR train): "“Go back,” Trump
    barked" (the name a compound of the verb), "a man yelled “Stay there!”" (a finite verb
    as the noun's clause), "Mitt Romney, the nominee, tweeted: ..." (a participle after a
    comma, the name's clause)."""
    for child in cue.children:
        if child.dep_ == "compound" and child.i < cue.i and child.pos_ in SPEAKER_POS:
            return child
        if child.dep_ == "advmod" and _name_read_as_adverb(child):
            return child  # "said Skelly", "And Skelly called ...": an unknown name
        clausal = _subject_in_a_clause(cue, child)
        if clausal is not None:
            return clausal
        if child.dep_ == "advcl" and child.i < cue.i:
            named = _name_joined_to_opening(child)
            if named is not None:
                return named
    described = _described_before(cue)
    if described is not None:
        return described
    if cue.dep_ != "acl" or cue.head.i > cue.i or cue.head.pos_ not in ("NOUN", "PROPN"):
        return None
    if cue.tag_ == "VBD" and after_comma(cue):
        # "Mr. Buchanan, who had failed to win his party's nomination, called for ...":
        # the noun closes a relative clause; the name that clause describes speaks.
        described = _relative_clause_head(cue.head)
        if described is not None:
            return described
    if cue.tag_ == "VBD" or (cue.tag_ == "VBN" and after_comma(cue) and _names_the_speaker(cue)):
        return cue.head
    return None


def _names_the_speaker(cue: Token) -> bool:
    """A participle after a comma whose noun the parse made the subject: a name ("Mitt
    Romney, the nominee, tweeted"), or a description the parse left as the sentence's
    root ("..." the presumptive GOP nominee, Donald Trump, tweeted Sunday)."""
    head = cue.head
    return head.pos_ == "PROPN" or head.dep_ == "ROOT" and not any(c.dep_ == "agent" for c in cue.children)


def _subject_in_a_clause(cue: Token, child: Token) -> Token | None:
    """A subjectless cue whose speaker the parse made the subject of a clause of the cue:
    "said retired neurosurgeon Ben Carson, asked about ..." (the name right after the cue,
    subject of the clause after its comma); "One attendee, who like others spoke ...,
    said the message was" (a clause before the cue's comma, when the cue reports another
    clause after it)."""
    if child.dep_ != "ccomp":
        return None
    subject = next((c for c in child.children if c.dep_ == "nsubj" and c.pos_ in SPEAKER_POS), None)
    if subject is None:
        return None
    if child.i > cue.i and subject.left_edge.i == cue.i + 1 and after_comma(child):
        return subject
    reports_after = any(c.dep_ == "ccomp" and c.i > cue.i for c in cue.children)
    if child.i < cue.i and child.right_edge.i == cue.i - 2 and after_comma(cue) and reports_after:
        return subject
    return None


def _described_before(cue: Token) -> Token | None:
    """"..., a White House official who spoke anonymously said Wednesday, “...”": the
    parse hung the subject as an apposition inside the clause before it; a noun whose
    phrase ends right before the subjectless cue speaks."""
    if cue.i == 0:
        return None
    token = cue.doc[cue.i - 1]
    while token.head.i != token.i and token.right_edge.i == cue.i - 1:
        if token.dep_ == "appos" and token.pos_ in ("NOUN", "PROPN") and after_comma(token.left_edge):
            return token
        token = token.head
    return None


def _name_read_as_adverb(token: Token) -> bool:
    """A capitalised "adverb" inside a sentence is a name the tagger did not know
    ("said Skelly"); sentence openers ("Meanwhile, ...") are capitalised anyway."""
    return token.tag_ == "RB" and token.is_alpha and token.text[0].isupper() and not token.is_sent_start \
        and not (token.i > 0 and token.doc[token.i - 1].is_punct)


def _name_joined_to_opening(opening: Token) -> Token | None:
    """"Alarmed by the unrest in Nevada, Senator Harry Reid, the minority leader, said":
    the parse joins the name to the opening phrase's last noun; a person's name conjoined
    after a comma there is the speaker."""
    for token in opening.subtree:
        if token.dep_ == "conj" and token.pos_ == "PROPN" and token.ent_type_ == "PERSON" \
                and after_comma(token.left_edge):
            return token
    return None


def _relative_clause_head(noun: Token) -> Token | None:
    """The name a relative clause holding `noun` describes, if `noun` is in one."""
    token = noun
    for _ in range(MAX_SUBJECT_CLIMB + 1):
        if token.dep_ == "relcl":
            return token.head if token.head.pos_ in SPEAKER_POS and token.head.i < noun.i else None
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _grammatical_subject(cue: Token) -> Token | None:
    if not any(c.dep_ in SUBJECT_DEPS for c in cue.children):
        misparsed = _misparsed_subject(cue)
        if misparsed is not None:
            return misparsed
    if is_passive_participle(cue) or _subject_is_target(cue):
        return _agent(cue)  # only "by X" names the speaker
    token = cue
    if _hangs_from_reported_clause(cue):
        token = cue.head.head
    for _ in range(MAX_SUBJECT_CLIMB + 1):
        subjects = [child for child in token.children if child.dep_ in SUBJECT_DEPS]
        author = _author_of_work(token, subjects)
        if author is not None:
            token = author
            continue
        if subjects:
            # Two subjects are a mis-parse: a place among them is a dateline's ("in
            # Berea, OH, ..., Gov. John Kasich (R-OH), said"), else the first one speaks.
            return next((c for c in subjects if c.ent_type_ not in PLACE_TYPES), subjects[0])
        if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in ("NOUN", "PROPN"):
            noun = token.head
            if noun.dep_ == "dobj" and (lemma(noun) in ARTIFACT_NOUNS or comma_participle(token)):
                # "Carson rejected the notion that ..., saying": set off by a comma, the
                # participle is the subject's, not the object's.
                token = noun.head
                continue
            if noun.dep_ == "pobj" and lemma(noun) in ARTIFACT_NOUNS and noun.head.head.pos_ == "VERB":
                token = noun.head.head  # "Forbes shot back in an article stating that ..."
                continue
            return noun
        if token.dep_ == "agent":
            break
        if token.dep_ not in BORROWING_DEPS or token.head.i == token.i:
            break
        token = token.head
    # "About 4 in 10 say ...": a poll share the parser hangs from the verb as a number.
    for child in cue.children:
        if child.dep_ == "nummod" and child.i < cue.i and child.pos_ == "NUM":
            return child
    # Passive "X was quoted as saying": the agent ("by X") is the speaker.
    return _agent(cue)


def _author_of_work(token: Token, subjects: list[Token]) -> Token | None:
    """The verb whose subject wrote the work a relative clause describes: "The Post ran
    a piece that noted ..." -> "ran" (its subject speaks, not "a piece"); not "linked to
    the AP report, which notes": linking is not writing."""
    if token.dep_ != "relcl" or not subjects or subjects[0].tag_ not in RELATIVE_TAGS:
        return None
    work = token.head
    if lemma(work) not in AUTHORED_NOUNS:
        return None
    if work.dep_ == "dobj" and lemma(work.head) in AUTHOR_VERBS:
        return work.head
    if work.dep_ == "pobj" and work.head.lower_ == "in" and work.head.head.pos_ == "VERB":
        return work.head.head  # "argued in an op-ed that ..."
    return None


def _hangs_from_reported_clause(cue: Token) -> bool:
    """A cue the parse hangs from the clause another cue reports, sharing that cue's
    subject: "He said X has Y and said that Z" (a second "said" with no subject of its
    own), "Cruz warned that the incident could foreshadow ..., remarking that ..." (a
    comma participle: the one who warned remarks)."""
    if cue.head.dep_ != "ccomp" or not is_cue(cue.head.head, for_quote=False):
        return False
    return cue.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in cue.children) \
        or cue.dep_ == "advcl" and comma_participle(cue)


def comma_participle(token: Token) -> bool:
    """A present participle set off by a comma: ", saying that ..."."""
    return token.tag_ == "VBG" and after_comma(token)


def _agent(cue: Token) -> Token | None:
    """The X of a passive cue's "by X"."""
    for child in cue.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


__all__ = [
    "BELIEF_LEMMAS", "QUOTE_ONLY_LEMMAS", "RELATIVE_TAGS", "SPEECH_LEMMAS", "across_paragraphs",
    "antecedent_of", "comma_participle", "cue_of", "cue_phrase", "introduces", "is_cue", "is_passive_participle", "subject_of",
]
