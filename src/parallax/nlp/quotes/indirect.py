"""Stage 4 of quote extraction: reported speech without quotation marks
("Speaker: text" lines are in labels, noun cues in nouns).

    with_clauses(doc, quoted) -> list[Found]      each quotation's reported clause
    indirect_spans(doc, quoted) -> list[Found]    reported speech outside the quotations

  "Lavrov charged that no progress had been made"  cue + clausal complement
  "..., diplomats said."                           the complement before the cue
  "Russia and the US have accused each other of"   accuse/blame + object + "of ..."
  "According to the WSJ, Syria pressed ..."        "according to" + the main clause (raised)
  "In 2015, Barden says, lives were lost"          a parenthetical cue: its clause
  "X is under pressure, said the chief executive"  an inverted cue the parse conjoins
  "referring to X", "called for X"                 a cue's preposition + its object
  "The team seemed paralyzed", "X is expected to"  raising/passive: subject + predicate,
                                                   no speaker unless "to X"/"by X" (raised)

The content is the reported clause (with its "that"), the speaker the cue's subject.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from parallax.nlp.quotes.cues import BELIEF_LEMMAS, comma_participle, is_cue, is_passive_participle, subject_of
from parallax.nlp.quotes.found import Found, overlapping
from parallax.nlp.quotes.raised import according_to_spans, as_reported, raised_spans
from parallax.nlp.quotes.tokens import MIN_CLAUSE_TOKENS, after_comma, char_range, in_sentence, strip_edges
from parallax.nlp.spacy_model import lemma

# Cues whose content is "object + of/for ...": "accused Russia of attacking".
ACCUSE_LEMMAS = frozenset("accuse blame criticize criticise condemn praise fault".split())
CLAUSE_DEPS = frozenset("nsubj nsubjpass expl csubj csubjpass".split())
CLAUSE_MARKS = frozenset("that whether if".split())
# Subordinators of a contrast the writer adds after a reported clause.
ASIDE_MARKS = frozenset("while whereas".split())
# Cues whose reported content can be a noun phrase, not only a clause: "criticized
# Clinton's email use", "called Trump's charge “pathetic”" (PolNeAR counts them).
OBJECT_LEMMAS = frozenset("""
criticize criticise praise endorse support defend announce cite deny propose question
denounce condemn reject oppose blame accuse describe call mock attack slam decry dismiss
label dub brand mention discuss tout express back thank reject show endorse
acknowledge confirm reveal disclose recount recite prefer dislike see view
""".split())
# Naming verbs: "called X “Y”", "labeled X a “Z”".
NAMING_LEMMAS = frozenset("call label dub brand describe".split())
# Verbs of regarding report their object only with "as": "voters see Trump as unfair"
# ("rivals see an opening" is perception of a thing, rarely annotated).
AS_REQUIRED = frozenset("see view".split())
# Object cues whose object alone is the attributed content, however short: "Christie
# endorsed Trump", "voters who support Sanders" (PolNeAR annotates "Trump"). Naming
# verbs ("called Trump") need their tail, so they are not here.
SHORT_OBJECT_LEMMAS = frozenset("""
support endorse back oppose defend reject praise criticize criticise condemn denounce
thank mention
""".split())
# Cues whose content is the object of one preposition: "referring to the convention",
# "called for a special prosecutor" (the preposition belongs to the cue).
PREP_CUES = {
    "refer": "to", "talk": "about", "speak": "about", "call": "for", "wonder": "about",
    "complain": "about", "push": "for", "argue": "for", "advocate": "for", "ask": "for",
    "warn": "about", "worry": "about", "care": "about", "hope": "for", "wish": "for",
    "believe": "in", "testify": "about", "write": "about", "joke": "about", "boast": "about",
    "brag": "about", "lie": "about",
}
# Cues whose content is an intention in an infinitive: "wants to help", "refused to".
INTENT_LEMMAS = frozenset("""
want refuse agree hope promise vow plan pledge threaten decline seek urge ask intend
expect
""".split())
# Right siblings of the object that belong to what is said: "called X “Y”" (oprd),
# "slammed X as “barbarism”", "blamed X for Y", "urged X to Y".
OBJECT_TAIL_DEPS = frozenset("oprd prep xcomp ccomp".split())
# The prepositions of such a tail: the charge or the label ("accused X of", "criticized X
# over"). Others set the scene, not the words: "endorsed Mr. Trump at a news conference",
# "confirmed the meeting on the condition of anonymity" (PolNeAR leaves them out).
OBJECT_TAIL_PREPS = frozenset("as for of over about against".split())
SCORE_INDIRECT = 0.7
# What opens a relative clause set off by a comma ("..., which stood at 263").
RELATIVE_OPENERS = frozenset("which who whom whose where".split())
# The clausal parts of a reported clause that may hold someone else's quotation (a
# "when" or "although" clause, a conjoined statement): see _without_nested.
NESTED_PART_DEPS = frozenset("advcl conj parataxis".split())


def _is_indirect_cue(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX"):
        return False
    base = lemma(token)
    return is_cue(token, for_quote=False) or base in BELIEF_LEMMAS \
        or base in OBJECT_LEMMAS or base in INTENT_LEMMAS or base in PREP_CUES


def _is_conj_speech(token: Token) -> bool:
    """A conjoined verb of saying: "said X and said that Y" reports X once and Y once.
    A conjoined belief or wish stays in the content ("said she was tired and wanted a
    change": PolNeAR keeps nested attributions inside the outer content)."""
    return token.dep_ == "conj" and is_cue(token, for_quote=False)


def _is_writer_aside(child: Token, head: Token) -> bool:
    """A comma-separated participle or "while" clause after the reported clause is the
    writer's own comment: "say they would consider voting for him, putting them ahead
    of ..." (PolNeAR leaves it out)."""
    if child.dep_ != "advcl" or child.head.i != head.i or child.i < head.i:
        return False
    if not after_comma(child.left_edge):
        return False
    return child.tag_ == "VBG" or any(
        c.dep_ == "mark" and c.lower_ in ASIDE_MARKS for c in child.children)


def _own_subtree(head: Token) -> list[Token]:
    """The subtree of `head` without conjoined verbs of saying and what they report,
    and without the writer's asides."""
    tokens, stack = [], [head]
    while stack:
        node = stack.pop()
        tokens.append(node)
        for child in node.children:
            if _is_conj_speech(child) or _is_writer_aside(child, head):
                continue
            stack.append(child)
    conj_cues = {c.i for t in tokens for c in t.children if _is_conj_speech(c)}
    # Drop the coordinator ("and") that joined a removed reporting verb.
    return sorted((t for t in tokens if not (t.dep_ == "cc" and t.i + 1 in conj_cues)),
                  key=lambda t: t.i)


def _is_clause(head: Token) -> bool:
    """A reported clause has its own subject or a "that"/"whether" ("claimed the
    lives of ..." has neither: it is not speech)."""
    return any(c.dep_ in CLAUSE_DEPS or (c.dep_ == "mark" and c.lower_ in CLAUSE_MARKS)
               for c in head.children)


def _clause_tail(cue: Token, clause: Token) -> list[Token]:
    """A condition or reason after the reported clause that the parser hung from the
    cue: "said it did not count them because ...", "said he would serve should the
    opportunity arise" (the speaker's words; a comma-set participle is the writer's)."""
    if clause.i < cue.i:
        return []
    tail: list[Token] = []
    for child in cue.children:
        if child.dep_ == "advcl" and child.i > clause.i and not _is_writer_aside(child, cue):
            tail += list(child.subtree)
    return tail


def _prep_object(cue: Token) -> list[Token] | None:
    """"referring to X", "called for X": the object of the cue's own preposition."""
    wanted = PREP_CUES.get(lemma(cue))
    for child in cue.children:
        if child.dep_ == "prep" and child.lower_ == wanted:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return in_sentence(list(objects[0].subtree), cue)
    return None


def _parenthetical(cue: Token) -> list[Token] | None:
    """"In three years, Barden says, far too many lives have been lost": a cue set off
    inside the clause it reports (spaCy: parataxis) reports that clause."""
    if cue.dep_ != "parataxis" or not is_cue(cue, for_quote=False) \
            or any(c.dep_ in ("ccomp", "dobj") for c in cue.children):
        return None
    own = {t.i for t in cue.subtree}
    tokens = [t for t in cue.head.subtree if t.i not in own]
    return in_sentence(tokens, cue) if _is_clause(cue.head) else None


def _object_reports(cue: Token) -> bool:
    """"Polls show Trump leading" reports; "Clinton showed flashes of brilliance" is an
    action: "show" reports its object only when a thing (a poll, a record) shows it,
    "see" only as a view ("see Trump as unfair")."""
    if lemma(cue) in AS_REQUIRED:
        return any(c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)
    if lemma(cue) != "show":
        return True
    subject = subject_of(cue)
    return subject is not None and subject.pos_ == "NOUN"


def _complement(cue: Token) -> list[Token] | None:
    """Tokens of what `cue` reports (a clause, an object, an intention), or None."""
    base = lemma(cue)
    for child in _clauses_first_after(cue):
        # A mis-parsed first word ("said presumptive nominee Trump was ...", with
        # "presumptive" read as a verb) hangs the real clause one level lower.
        if (child.dep_ == "ccomp" or _gerund_subject(cue, child)) and not _across_semicolon(child, cue) and (
                _is_clause(child) or any(c.dep_ == "ccomp" and _is_clause(c) for c in child.children)):
            return in_sentence(_without_relative_aside(_own_subtree(child)) + _clause_tail(cue, child), cue)
    if base in PREP_CUES:
        tokens = _prep_object(cue)
        if tokens:
            return tokens
    if (base in OBJECT_LEMMAS or base in ACCUSE_LEMMAS) and _object_reports(cue):
        objects = [c for c in cue.children if c.dep_ == "dobj"] or _named_object(cue)
        if objects:
            tail = [c for c in cue.children if c.i > objects[0].i and c.dep_ in OBJECT_TAIL_DEPS
                    and (c.dep_ != "prep" or c.lower_ in OBJECT_TAIL_PREPS)]
            tokens = _object_subtree(objects[0])
            for child in tail:
                tokens += list(child.subtree)
            return in_sentence(tokens, cue)
    if base in INTENT_LEMMAS:
        intents = [c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i]
        if intents:
            objects = [c for c in cue.children if c.dep_ == "dobj" and c.i < intents[0].i]
            tokens = list(intents[0].subtree) + (list(objects[0].subtree) if objects else [])
            return in_sentence(tokens, cue)
    return _parenthetical(cue) or _inverted_conj(cue) or _clause_before(cue) or as_reported(cue)


def _without_relative_aside(tokens: list[Token]) -> list[Token]:
    """The reported clause without a comma-set relative clause that ends it: "says his
    streak is proof the candidate can close the gap in pledged delegates, which stood
    at 263" (the writer's aside: PolNeAR ends the content before it; rules alone on
    train articles 0-300, 500-700 and 700-840 gain 0.0007, 0.0007 and 0.0013 F1). One
    holding a quotation is left whole: "the massacre, which he called “an evil act”" is
    what was said, and _without_nested weighs another speaker's quotation."""
    words = [t for t in tokens if not t.is_punct]
    for token in tokens:
        if words and token.dep_ == "relcl" and token.left_edge.lower_ in RELATIVE_OPENERS \
                and after_comma(token.left_edge) and token.right_edge.i >= words[-1].i \
                and not any(t.is_quote for t in token.subtree):
            return [t for t in tokens if t.i < token.left_edge.i - 1]
    return tokens


def _gerund_subject(cue: Token, child: Token) -> bool:
    """"He said legalizing it could put thousands to work": the parse makes the clause's
    gerund subject the cue's xcomp and hangs the clause below it (PolNeAR train)."""
    return child.dep_ == "xcomp" and child.tag_ == "VBG" and child.i == cue.i + 1


def _clauses_first_after(cue: Token) -> list[Token]:
    """The cue's children; for a cue without a subject, the clauses after it first: "Mr.
    Slinker, whose start-up uses big data, said Mr. Trump was ..." parses the subject's
    clause as a second ccomp before the cue (cues.subject_of finds the speaker in it)."""
    children = list(cue.children)
    if any(c.dep_ in CLAUSE_DEPS for c in children):
        return children
    return sorted(children, key=lambda c: (c.dep_ != "ccomp" or c.i < cue.i, c.i))


def _across_semicolon(clause: Token, cue: Token) -> bool:
    """"He drew attention to the abuses; he says he fears returning home": the parse
    may hang the clause before a semicolon from the next sentence's cue, which
    reports only what follows it."""
    return clause.i < cue.i and any(
        t.text == ";" for t in cue.doc[clause.right_edge.i + 1:cue.i])


def _inverted_conj(cue: Token) -> list[Token] | None:
    """"The plant is under intense pressure from imports, said the company's chief
    executive": the parse joins an inverted cue to the clause before it as a
    conjunct. The cue reports that clause when it has nothing of its own to report
    and its subject follows it."""
    subject = subject_of(cue)
    if cue.dep_ != "conj" or not is_cue(cue, for_quote=False) or subject is None \
            or subject.i < cue.i or not after_comma(cue) \
            or any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in cue.children):
        return None
    before = [t for t in cue.head.subtree if t.i < cue.left_edge.i]
    return in_sentence(before, cue) if _is_clause(cue.head) else None


def _clause_before(cue: Token) -> list[Token] | None:
    """"As Trump prepared to speak, a girl was pepper-sprayed by a bystander, police
    said.": the parse may hang the clause a sentence-final cue reports from the cue as an
    adverbial clause; it is reported when it has a subject of its own and ends at the
    comma before the cue's subject."""
    subject = subject_of(cue)
    if not is_cue(cue, for_quote=False) or subject is None or subject.i > cue.i \
            or any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in cue.children) \
            or any(not t.is_punct for t in cue.doc[cue.i + 1:cue.sent.end]):
        return None
    for child in cue.children:
        if child.dep_ == "advcl" and child.right_edge.i + 2 == subject.left_edge.i \
                and after_comma(subject.left_edge) and _is_clause(child) \
                and (not _subordinate(child) or _holds_main_clause(child)):
            return in_sentence(list(child.subtree), cue)
    return None


def _subordinate(clause: Token) -> bool:
    """Opened by "as", "because", "when" ...: a mark or a wh-adverb before its verb."""
    return any(c.i < clause.i and (c.dep_ == "mark" or c.dep_ == "advmod" and c.tag_ == "WRB")
               for c in clause.children)


def _holds_main_clause(subordinate: Token) -> bool:
    """"As Trump prepared to speak, a girl was pepper-sprayed": a subordinate clause the
    parse gave the main clause after its comma ("When the polls closed, Trump said." has none)."""
    return any(c.dep_ in ("advcl", "ccomp", "conj") and c.i > subordinate.i and after_comma(c.left_edge)
               and _is_clause(c) for c in subordinate.children)


def _object_subtree(obj: Token) -> list[Token]:
    """The object's words without a statement of its own set off by a comma: "rejected
    the notion that ..., saying that he ..." reports the notion; the saying is another
    attribution."""
    dropped: set[int] = set()
    for child in obj.children:
        if child.dep_ == "acl" and comma_participle(child) and is_cue(child, for_quote=False):
            dropped |= {t.i for t in child.subtree} | {child.i - 1}
    return [t for t in obj.subtree if t.i not in dropped]


def _named_object(cue: Token) -> list[Token]:
    """"called Valeant's chief, J. Michael Pearson, ''incredibly driven''": the parser reads
    the named object of a naming verb as a second predicate (oprd) when a quotation
    follows: the first of two such predicates is the object, or one that holds the
    quoted label."""
    if lemma(cue) not in NAMING_LEMMAS:
        return []
    predicates = [c for c in cue.children if c.dep_ == "oprd" and c.i > cue.i]
    if len(predicates) == 1 and not any(t.is_quote for t in predicates[0].subtree):
        return []
    return predicates[:1]


def _min_tokens(cue: Token, clause: list[Token]) -> int:
    """Words the content needs: a bare object of a support/oppose cue may be one name; a
    common-noun object of any object cue ("denied the charges", "announced his
    candidacy") or an intention ("declined to comment") two, as PolNeAR annotates them."""
    base = lemma(cue)
    heads = [t for t in clause if t.head.i == cue.i]
    if base in SHORT_OBJECT_LEMMAS and any(t.dep_ == "dobj" and t.pos_ in ("NOUN", "PROPN") for t in heads):
        return 1
    if base in OBJECT_LEMMAS and any(t.dep_ == "dobj" and t.pos_ == "NOUN" for t in heads) \
            or base in INTENT_LEMMAS and any(t.dep_ == "xcomp" for t in heads):
        return 2
    return MIN_CLAUSE_TOKENS


def _without_nested(clause: list[Token], quotes: list[Found]) -> list[Token] | None:
    """The clause without its last clausal part when that part holds the quotations it
    overlaps, each with a cue of its own: "Some Democrats said they feared a left-wing
    equivalent of Buchanan's speech, when Mr. Buchanan ... called for a ''cultural war''"
    reports the fear, not Buchanan's words (PolNeAR ends the content before them). None
    when the quotations sit elsewhere in the clause."""
    inside = {t.i for t in clause}
    root = next((t for t in clause if t.head.i not in inside or t.head.i == t.i), None)
    if root is None:
        return None
    parts = [c for c in root.children if c.i in inside and c.dep_ in NESTED_PART_DEPS]
    if not parts:
        return None
    last = max(parts, key=lambda c: c.i)
    removed = {t.i for t in last.subtree}
    if any(t.i > last.right_edge.i and not t.is_punct for t in clause) or not all(
            q.cue is not None and q.cue.i in removed and last.left_edge.idx <= q.start for q in quotes):
        return None
    kept = [t for t in clause if t.i not in removed and t.i < last.left_edge.i]
    while kept and (kept[-1].is_punct or kept[-1].dep_ == "cc"):  # "he respects Clinton and"
        kept.pop()
    return kept if len([t for t in kept if not t.is_punct]) >= MIN_CLAUSE_TOKENS else None


def with_clauses(doc: Doc, quoted: list[Found]) -> list[Found]:
    """Give each quotation its reported clause when the cue reports more than the
    quoted words: `said the war “is almost impossible now”` -> "the war “is ...”"."""
    result = []
    for item in quoted:
        extent = _complement(item.cue) if item.cue is not None and item.kind != "scare" else None
        if extent:
            start, end = strip_edges(doc, *char_range(extent))
            # The clause holds the quotation (its edge punctuation may have been
            # stripped, so it is stretched to cover the quotation's end).
            end = max(end, item.end)
            others = [f for f in overlapping(quoted, start, end)
                      if f.kind == "direct" and f.start != item.start]
            if start <= item.start < end and (end - start) > (item.end - item.start) + 2 \
                    and not others:
                item = replace(item, clause=(start, end))
        result.append(item)
    return result


def _quoted_within(quote: Found, item: Found) -> bool:
    """A quoted phrase inside an "according to" content is part of it ("according to
    Trump, the media would call him a “chicken” if he didn't", a phrase another cue in
    the content reports); a quotation of its own is not, nor is an unattributed one, which
    would count twice."""
    return item.cue.lower_ == "according" and item.start <= quote.start \
        and quote.end <= item.cue.sent.end_char and quote.kind == "partial" and quote.cue is not None


def indirect_spans(doc: Doc, quoted: list[Found]) -> list[Found]:
    """Indirect quotes of `doc`: reported content that is not inside a quotation."""
    real_quotes = [f for f in quoted if f.kind != "scare"]
    results: list[Found] = []
    raised = raised_spans(doc)
    handled = {item.cue.i for item in raised}
    for token in doc:
        if not _is_indirect_cue(token) or token.i in handled:
            continue
        clause = _complement(token)
        if clause is None or len([t for t in clause if not t.is_punct]) < _min_tokens(token, clause):
            continue
        subject = subject_of(token)
        if subject is None and not is_passive_participle(token) \
                or subject is not None and subject.i in {t.i for t in clause}:
            continue
        start, end = strip_edges(doc, *char_range(clause))
        nested = overlapping(real_quotes, start, end)
        if nested:
            clause = _without_nested(clause, nested)
            if clause is None:
                continue
            start, end = strip_edges(doc, *char_range(clause))
        results.append(Found(start, end, "indirect", SCORE_INDIRECT, token, subject))
    # "According to the poll, most voters say ...": attributions nest, so the
    # according-to content may hold an indirect quote of its own.
    for item in according_to_spans(doc) + raised:
        if all(_quoted_within(q, item) for q in overlapping(real_quotes, item.start, item.end)):
            results.append(item)
    return results


__all__ = ["indirect_spans", "with_clauses"]
