"""Coverage: who each outlet quotes and how much, what it shares with the others, and what
it leaves out."""
from __future__ import annotations

from parallax.comparison.units import words
from parallax.model import (
    OMITTED_CLAIM, OMITTED_QUOTE, RELATIONS, SHARED_RELATIONS, SPEECH_KINDS, UNATTRIBUTED, Analysis, Coverage, Link,
    Omission, OmissionKind, Phrase, Quote, Ref, Relation, Span,
)

# Quotes shorter than this many words are fragments, not material worth missing.
OMISSION_MIN_QUOTE_WORDS = 6
# Claims scoring below this are background rather than check-worthy facts.
OMISSION_MIN_CLAIM_SCORE = 0.5
# At most this many omissions are reported per article, most important first.
MAX_OMISSIONS_PER_ARTICLE = 12
SUMMARY_CHARS = 120


Refs = dict[int, list[tuple[int, int, int]]]


def _refs(links: list[Link], relations: tuple[Relation, ...]) -> Refs:
    """Per article, (start, end, other_article) of each link end in it."""
    out: Refs = {}
    for link in links:
        if link.relation in relations:
            out.setdefault(link.a.article, []).append((link.a.start, link.a.end, link.b.article))
            out.setdefault(link.b.article, []).append((link.b.start, link.b.end, link.a.article))
    return out


def _linked_to(article: int, span: Span, refs: Refs) -> set[int]:
    """Other articles linked to any part of `span`."""
    return {other for start, end, other in refs.get(article, ()) if start < span.end and span.start < end}


def _same_person(a: list[str], b: list[str]) -> bool:
    """Same words, or a bare surname matching a full name ("Power", "Samantha Power")."""
    return a == b or bool(a and b and a[-1] == b[-1] and (len(a) == 1 or len(b) == 1))


def canonical_speakers(names: list[str]) -> dict[str, str]:
    """Map each name to the fullest name of the same person among `names`."""
    mapping = {}
    for name in names:
        same = [other for other in names if _same_person(words(name), words(other))]
        mapping[name] = max(same, key=lambda n: (len(words(n)), n))
    return mapping


def speech(analysis: Analysis) -> list[Quote]:
    """The quotes that give somebody's speech (not scare quotes), attributed or not."""
    return [quote for quote in analysis.quotes if quote.label in SPEECH_KINDS]


def speakers(analyses: list[Analysis]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Quotes and quoted characters per speaker, one count per article, most quoted first.
    Names are merged across the articles ("Power" and "Samantha Power"); quotes nobody is
    credited with count under UNATTRIBUTED, so the counts add up to the quotes of speech."""
    quoted = [(index, quote) for index, analysis in enumerate(analyses) for quote in speech(analysis)]
    canonical = canonical_speakers(sorted({quote.speaker_name for _, quote in quoted if quote.speaker_name}))
    counts: dict[str, list[int]] = {}
    chars: dict[str, list[int]] = {}
    for index, quote in quoted:
        key = canonical[quote.speaker_name] if quote.speaker_name else UNATTRIBUTED
        counts.setdefault(key, [0] * len(analyses))[index] += 1
        chars.setdefault(key, [0] * len(analyses))[index] += len(quote)
    order = sorted(counts, key=lambda name: (-sum(counts[name]), name))
    return {name: counts[name] for name in order}, {name: chars[name] for name in order}


def coverage(analyses: list[Analysis], links: list[Link]) -> Coverage:
    """Speakers per article, the share of each article another one carries too, and the
    sentences no other article links to at all."""
    strong, every = _refs(links, SHARED_RELATIONS), _refs(links, RELATIONS)
    shared_share, unique = [], []
    shared_chars = total_chars = 0
    for index, analysis in enumerate(analyses):
        sentences = analysis.sentences
        linked = sum(len(s) for s in sentences if _linked_to(index, s, strong))
        chars = sum(len(s) for s in sentences)
        shared_share.append(round(linked / chars, 3) if chars else 0.0)
        shared_chars += linked
        total_chars += chars
        unique.append([Phrase(s.start, s.end, analysis.snippet(s)) for s in sentences if not _linked_to(index, s, every)])
    counts, chars = speakers(analyses)
    return Coverage(counts, chars, shared_share, round(shared_chars / total_chars, 3) if total_chars else 0.0, unique)


def _summary(analysis: Analysis, span: Span) -> str:
    """One line on the left-out material; a quote is prefixed by its speaker."""
    text = " ".join(analysis.snippet(span).split())
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "..."
    if isinstance(span, Quote):
        return f"{span.speaker_name or UNATTRIBUTED}: \u201c{text}\u201d"
    return text


def _notable(analysis: Analysis) -> list[tuple[float, OmissionKind, Span]]:
    """(importance, kind, span) of the quotes and claims worth missing."""
    found: list[tuple[float, OmissionKind, Span]] = []
    for quote in speech(analysis):
        if quote.speaker_name and len(words(analysis.snippet(quote))) >= OMISSION_MIN_QUOTE_WORDS:
            found.append((0.5 + min(0.5, len(quote) / 1000), OMITTED_QUOTE, quote))
    for claim in analysis.claims:
        if claim.score >= OMISSION_MIN_CLAIM_SCORE:
            found.append((claim.score, OMITTED_CLAIM, claim))
    return found


def _story_of(count: int, stories: list[list[int]] | None) -> list[list[int]]:
    """Per article, the articles of its story (all of them when no grouping is given)."""
    if stories is None:
        return [list(range(count))] * count
    story = [[index] for index in range(count)]
    for group in stories:
        for index in group:
            story[index] = sorted(group)
    return story


def omissions(analyses: list[Analysis], links: list[Link], stories: list[list[int]] | None = None) -> list[Omission]:
    """Material that most other outlets of the same story carry but one leaves out.

    With two articles every notable quote or claim of one that has no counterpart in the
    other is an omission of the other; with more, the material must be carried by a
    majority of the story's outlets other than the one that lacks it. `stories` groups the
    articles' indices into stories: an article is never said to leave out another story's
    material (BBC on New York burials vs Japan Times on Kobe masks gave 15 omissions).
    """
    refs = _refs(links, SHARED_RELATIONS)
    story = _story_of(len(analyses), stories)
    found = []
    for lacking in range(len(analyses)):
        peers = [index for index in story[lacking] if index != lacking]
        majority = len(peers) // 2 + 1
        per_article = []
        for source in peers:
            analysis = analyses[source]
            for importance, kind, span in _notable(analysis):
                carriers = (_linked_to(source, span, refs) | {source}) & set(peers + [lacking])
                if lacking in carriers or len(carriers - {lacking}) < majority:
                    continue
                where = Ref(source, span.start, span.end, analysis.snippet(span))
                per_article.append((importance, Omission(lacking, kind, _summary(analysis, span), where)))
        per_article.sort(key=lambda pair: -pair[0])
        found += [omission for _, omission in per_article[:MAX_OMISSIONS_PER_ARTICLE]]
    return found
