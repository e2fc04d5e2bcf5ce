"""Attributions without a clause-taking cue (used by indirect.indirect_spans):

    according_to_spans(doc) -> list[Found]   "According to the WSJ, Syria pressed ..."
    as_reported(cue) -> tokens | None        "As The Hill reported, Trump was accused ..."
    raised_spans(doc) -> list[Found]         "The team seemed paralyzed", "X is expected to"

"according to X": X is the speaker, the rest of the sentence the content. A raising or
passive cue: the subject plus the predicate, and no speaker unless "to X" / "by X".
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from parallax.nlp.quotes.cues import is_cue
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.tokens import MIN_CLAUSE_TOKENS, after_comma, char_range, in_sentence, strip_edges
from parallax.nlp.spacy_model import lemma

# "The team appeared paralyzed", "Trump is expected to win": an impression or a belief
# whose holder is left out. The content is the subject plus the predicate; the source
# is a "to X" / "by X" phrase if any, else nobody (PolNeAR annotates these).
RAISING_LEMMAS = frozenset("seem appear".split())
PASSIVE_LEMMAS = frozenset("expect believe think say report know rumor rumour consider ask urge".split())
SCORE_RAISED = 0.6
SCORE_ACCORDING = 0.75
# Cues of an "as" clause that says who says so ("as the Times reported"); "as he
# replied", "as Freddy joked" tell when.
AS_REPORT_LEMMAS = frozenset("say report note write observe explain tell point speculate suggest predict reveal "
                             "confirm recall mention".split())
# An "as" clause whose cue has a complement of its own reports that ("as he said he
# would"); the clause it modifies must have a subject to be a statement.
AS_OWN_REPORT_DEPS = frozenset(("ccomp", "xcomp", "dobj"))
AS_CLAUSE_SUBJECTS = frozenset(("nsubj", "nsubjpass", "expl", "csubj"))
# "according to an analysis by the Pew Research Center": a work whose "by" / "from"
# phrase names who made it; that maker is the source a reader wants.
MADE_WORKS = frozenset("analysis study report survey poll review investigation estimate tally count data "
                       "statement memo article story paper audit".split())


def according_to_spans(doc: Doc) -> list[Found]:
    """"according to X, <clause>": X is the speaker, the rest of the sentence the content."""
    found = []
    for token in doc:
        if token.lower_ != "according":
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            continue
        sent = token.sent
        phrase = _without_misparsed_subject(token, list(token.subtree))
        phrase_start, phrase_end = char_range(phrase)
        left = strip_edges(doc, sent.start_char, phrase_start)
        right = strip_edges(doc, phrase_end, sent.end_char)
        start, end = max(left, right, key=lambda r: r[1] - r[0])
        if end - start > 0:
            found.append(Found(start, end, "indirect", SCORE_ACCORDING, token, _maker(source)))
    return found


def _maker(source: Token) -> Token:
    """Who made the work `source` names, when a "by" / "from" phrase says so."""
    if lemma(source) in MADE_WORKS:
        for child in source.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
    return source


def _without_misparsed_subject(according: Token, phrase: list[Token]) -> list[Token]:
    """"According to a study by Schott and Pierce, the Great Recession is partly to
    blame": the parse may hang the clause's subject from the source as an apposition;
    when the verb the phrase modifies has no subject and such an apposition ends the
    phrase right before it, the apposition belongs to the clause."""
    verb = according.head
    if verb.i <= phrase[-1].i or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return phrase
    for token in phrase:
        if token.dep_ == "appos" and token.right_edge.i == verb.i - 1 and token.left_edge.i > according.i \
                and after_comma(token.left_edge):
            return [t for t in phrase if t.i < token.left_edge.i - 1]
    return phrase


def as_reported(cue: Token) -> list[Token] | None:
    """"As The Hill reported, Trump was accused ...", "..., as the Times reported on
    Tuesday", "As reported by Politico, ...": a cue in an "as" clause set off by a comma
    reports the clause that one modifies (about 30 times in the 840 PolNeAR train
    articles). Its speaker is the cue's subject or "by X"; none named ("As reported
    earlier") is not an attribution here. A sentence ending in ":" introduces a quotation,
    which the quotation rules report."""
    head = cue.head
    if cue.dep_ != "advcl" or head.i == cue.i or head.pos_ not in ("VERB", "AUX") \
            or lemma(cue) not in AS_REPORT_LEMMAS or not is_cue(cue, for_quote=False) \
            or not any(c.dep_ == "mark" and c.lower_ == "as" and c.i < cue.i for c in cue.children) \
            or any(c.dep_ in AS_OWN_REPORT_DEPS and not _addressee(c) for c in cue.children) \
            or not any(c.dep_ in ("nsubj", "agent") for c in cue.children) \
            or not _set_off(cue.left_edge) or _introduces_quotation(cue):
        return None
    subject = next((c for c in head.children if c.dep_ in AS_CLAUSE_SUBJECTS), None)
    if subject is None:
        return None
    before = [t for t in head.subtree if t.i < cue.left_edge.i]
    after = [t for t in head.subtree if t.i > cue.right_edge.i]
    if cue.i < subject.i:  # "However, as X told the AP, ...": what follows the clause
        tokens = after
    elif all(t.is_punct for t in after):  # "..., as the Times reported."
        tokens = before
    else:  # "He is, as I said, a good man"
        tokens = before + after
    while tokens and tokens[0].is_punct:
        tokens = tokens[1:]
    return in_sentence(tokens, cue) or None


def _introduces_quotation(cue: Token) -> bool:
    """Does a colon follow the "as" clause or end its sentence ("..., as the Heritage
    Foundation notes:")?"""
    sent = cue.sent
    after = cue.doc[cue.right_edge.i + 1] if cue.right_edge.i + 1 < sent.end else None
    last = next((t for t in reversed(sent) if not t.is_space), None)
    return any(t is not None and t.text == ":" for t in (after, last))


def _set_off(first: Token) -> bool:
    """Does the "as" clause starting at `first` open its sentence (after "But") or
    follow a comma? A bare "as he replied" tells when, not who says so."""
    sent_start = first.sent.start
    if first.i == sent_start or after_comma(first):
        return True
    before = first.doc[first.i - 1]
    return before.dep_ == "cc" and before.i == sent_start


def _addressee(child: Token) -> bool:
    """The object of "tell" is who was told ("as he told reporters")."""
    return child.dep_ == "dobj" and lemma(child.head) == "tell"


def _raised_predicate(cue: Token) -> Token | None:
    """The predicate of a raising or passive cue: "seemed [to shrink]", "appeared
    [paralyzed]", "is expected [to win]"."""
    if cue.pos_ not in ("VERB", "AUX"):
        return None
    base = lemma(cue)
    passive = base in PASSIVE_LEMMAS and any(c.dep_ == "auxpass" for c in cue.children)
    if not (base in RAISING_LEMMAS or passive):
        return None
    wanted = ("xcomp", "ccomp") if passive else ("xcomp", "acomp", "oprd", "ccomp")
    for child in cue.children:
        if child.i > cue.i and (child.dep_ in wanted or (
                not passive and child.dep_ == "advcl" and child.tag_ == "VBN" and child.i == cue.i + 1)):
            return child  # "appeared paralyzed by the news" parses as an advcl
    return None


def _raised_source(cue: Token) -> Token | None:
    """"seemed to Harrison", "is expected by analysts": the holder, when named."""
    for child in cue.children:
        if (child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "to")):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def raised_spans(doc: Doc) -> list[Found]:
    """Attributions with a raising or passive cue (see RAISING_LEMMAS)."""
    found = []
    for token in doc:
        predicate = _raised_predicate(token)
        if predicate is None:
            continue
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        tokens = list(predicate.subtree)
        if predicate.dep_ != "ccomp" and subject is not None and subject.lower_ not in ("it", "there"):
            tokens += list(subject.subtree)
        elif predicate.dep_ != "ccomp":
            continue  # "it seems to me": no content named
        tokens = in_sentence(tokens, token)
        if len([t for t in tokens if not t.is_punct]) < MIN_CLAUSE_TOKENS:
            continue
        start, end = strip_edges(doc, *char_range(tokens))
        found.append(Found(start, end, "indirect", SCORE_RAISED, token, _raised_source(token)))
    return found


__all__ = ["according_to_spans", "as_reported", "raised_spans"]
