"""Coverage: who each outlet quotes and how much, what it shares with the others, what
it leaves out, and a per-outlet summary."""
from __future__ import annotations

from collections import Counter

from parallax.comparison.framing import loaded_terms
from parallax.comparison.units import words
from parallax.model import Analysis, Link, Span

# Relations that mean "the other article carries this too" (related is only topical).
SHARED_RELATIONS = ("same_quote", "same_fact", "conflict")
# Quote kinds that give somebody's speech (scare quotes are the outlet's own irony).
SPEECH_KINDS = ("direct", "partial", "indirect")
# Quotes shorter than this many words are fragments, not material worth missing.
OMISSION_MIN_QUOTE_WORDS = 6
# Claims scoring below this are background rather than check-worthy facts.
OMISSION_MIN_CLAIM_SCORE = 0.5
# At most this many omissions are reported per article, most important first.
MAX_OMISSIONS_PER_ARTICLE = 12
SUMMARY_CHARS = 120


Refs = dict[int, list[tuple[int, int, int]]]


def _refs(links: list[Link], relations: tuple[str, ...]) -> Refs:
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


def speakers(analyses: list[Analysis]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Quotes and quoted characters per speaker, one count per article."""
    quoted = [(index, quote, (quote.attrs.get("speaker") or {}).get("name"))
              for index, analysis in enumerate(analyses) for quote in analysis["quotes"]
              if quote.label in SPEECH_KINDS]
    quoted = [(index, quote, name) for index, quote, name in quoted if name]
    canonical = canonical_speakers(sorted({name for _, _, name in quoted}))
    counts: dict[str, list[int]] = {}
    chars: dict[str, list[int]] = {}
    for index, quote, name in quoted:
        key = canonical[name]
        counts.setdefault(key, [0] * len(analyses))[index] += 1
        chars.setdefault(key, [0] * len(analyses))[index] += len(quote)
    return counts, chars


def coverage(analyses: list[Analysis], links: list[Link]) -> dict:
    strong, every = _refs(links, SHARED_RELATIONS), _refs(links, ("same_quote", "same_fact", "conflict", "related"))
    shared_share, unique = [], []
    shared_chars = total_chars = 0
    for index, analysis in enumerate(analyses):
        sentences = analysis["sentences"]
        linked = sum(len(s) for s in sentences if _linked_to(index, s, strong))
        chars = sum(len(s) for s in sentences)
        shared_share.append(round(linked / chars, 3) if chars else 0.0)
        shared_chars += linked
        total_chars += chars
        unique.append([{"start": s.start, "end": s.end, "text": analysis.snippet(s)}
                       for s in sentences if not _linked_to(index, s, every)])
    counts, chars = speakers(analyses)
    return {"speakers": counts, "speaker_chars": chars, "shared_share": shared_share,
            "shared_score": round(shared_chars / total_chars, 3) if total_chars else 0.0, "unique": unique}


def _summary(analysis: Analysis, span: Span, kind: str) -> str:
    text = " ".join(analysis.snippet(span).split())
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "..."
    if kind == "quote":
        speaker = (span.attrs.get("speaker") or {}).get("name") or "unattributed"
        return f"{speaker}: \u201c{text}\u201d"
    return text


def _notable(analysis: Analysis) -> list[tuple[float, str, Span]]:
    """(importance, kind, span) of the quotes and claims worth missing."""
    found = []
    for quote in analysis["quotes"]:
        if quote.label in SPEECH_KINDS and (quote.attrs.get("speaker") or {}).get("name") \
                and len(words(analysis.snippet(quote))) >= OMISSION_MIN_QUOTE_WORDS:
            found.append((0.5 + min(0.5, len(quote) / 1000), "quote", quote))
    for claim in analysis["claims"]:
        if claim.score >= OMISSION_MIN_CLAIM_SCORE:
            found.append((claim.score, "claim", claim))
    return found


def omissions(analyses: list[Analysis], links: list[Link]) -> list[dict]:
    """Material that most other outlets carry but one leaves out.

    With two articles every notable quote or claim of one that has no counterpart in the
    other is an omission of the other; with more, the material must be carried by a
    majority of the outlets other than the one that lacks it.
    """
    refs = _refs(links, SHARED_RELATIONS)
    n = len(analyses)
    majority = (n - 1) // 2 + 1
    found = []
    for lacking in range(n):
        per_article = []
        for source, analysis in enumerate(analyses):
            if source == lacking:
                continue
            for importance, kind, span in _notable(analysis):
                carriers = _linked_to(source, span, refs) | {source}
                if lacking in carriers or len(carriers - {lacking}) < majority:
                    continue
                per_article.append((importance, {
                    "article": lacking, "kind": kind, "summary": _summary(analysis, span, kind),
                    "source": {"article": source, "start": span.start, "end": span.end,
                               "text": analysis.snippet(span)}}))
        per_article.sort(key=lambda pair: -pair[0])
        found += [entry for _, entry in per_article[:MAX_OMISSIONS_PER_ARTICLE]]
    return found


def techniques_per_1000_words(analysis: Analysis) -> dict[str, float]:
    n_words = len(analysis.text.split())
    counts = Counter(span.label for span in analysis["techniques"])
    return {name: round(1000 * count / n_words, 2) for name, count in sorted(counts.items())} if n_words else {}


def outlets(analyses: list[Analysis], cover: dict) -> list[dict]:
    summaries = []
    for index, analysis in enumerate(analyses):
        article = analysis.article
        speech = [q for q in analysis["quotes"] if q.label in SPEECH_KINDS]
        per_speaker = {name: counts[index] for name, counts in cover["speakers"].items() if counts[index]}
        summaries.append({"article": index, "outlet": article.outlet, "title": article.title,
                          "quotes": len(speech), "speakers": per_speaker,
                          "loaded_terms": loaded_terms(analysis),
                          "techniques_per_1000_words": techniques_per_1000_words(analysis),
                          "shared_share": cover["shared_share"][index]})
    return summaries
