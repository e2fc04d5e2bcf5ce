"""The shared vocabulary of Parallax: Article, Span, Analysis, Comparison and their typed parts.

Every result that points into text is a `Span` (or a typed subclass of it): character
offsets into `Article.text`, end exclusive. Kinds and relations are `Literal` types, listed
once here; code elsewhere names them through these types, never as scattered strings.

Layer spans:   Span (sentences), Entity, Quote (+ Speaker, Cue), Claim (+ Quantity, Causal,
               Event), Technique.
Comparison:    Link (+ Ref, Evidence), Conflict (+ ConflictSide, Qualifier, Attribution),
               FramingRow (+ FramingSide), Coverage, Omission, OutletSummary.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, get_args

SCHEMA_VERSION = "4"

# ----------------------------------------------------------------------------- kinds

LayerName = Literal["sentences", "entities", "quotes", "claims", "techniques"]
# Layer names of an Analysis, in the order they are produced and serialised.
LAYERS: tuple[LayerName, ...] = get_args(LayerName)

EntityType = Literal["PERSON", "ORG", "GPE", "NORP", "LOC"]
ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)

QuoteKind = Literal["direct", "partial", "indirect", "scare"]
QUOTE_KINDS: tuple[QuoteKind, ...] = get_args(QuoteKind)
# Kinds that give somebody's speech (scare quotes are the outlet's own irony).
SPEECH_KINDS: tuple[QuoteKind, ...] = ("direct", "partial", "indirect")
# What found a quote: the extractor's rules, or the attribution model (its contents the
# rules miss: stances, plans, praise and blame that PolNeAR counts as attribution).
QuoteSource = Literal["rules", "model"]
QUOTE_SOURCES: tuple[QuoteSource, ...] = get_args(QuoteSource)

ClaimKind = Literal["numeric", "causal", "event"]
CLAIM_KINDS: tuple[ClaimKind, ...] = get_args(ClaimKind)

Relation = Literal["same_quote", "same_fact", "conflict", "related"]
# In this order: the strongest relation first (links are sorted by it).
RELATIONS: tuple[Relation, ...] = get_args(Relation)
# Relations that mean "the other article carries this too" (related is only topical).
SHARED_RELATIONS: tuple[Relation, ...] = ("same_quote", "same_fact", "conflict")

ConflictKind = Literal["number", "cause"]
CONFLICT_KINDS: tuple[ConflictKind, ...] = get_args(ConflictKind)
# What a conflict is once the two sides' scope and source are read: the same quantity at a
# comparable scope, a different period/place/population, or figures from different sources.
Verdict = Literal["conflict", "different_scope", "different_source"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
# What bounds a figure: when, where, and whom it counts.
QualifierKind = Literal["time", "place", "population"]
QUALIFIER_KINDS: tuple[QualifierKind, ...] = get_args(QualifierKind)
# Who gives a figure: a speaker ("residents said"), an "according to" source, or the outlet.
AttributionKind = Literal["speaker", "according_to", "outlet"]
ATTRIBUTION_KINDS: tuple[AttributionKind, ...] = get_args(AttributionKind)

CueTone = Literal["neutral", "loaded", ""]  # "": no cue verb, or one the lexicon does not know
OmissionKind = Literal["quote", "claim"]
TermKind = Literal["loaded", "hedge"]

# A speaker name for quotes nobody is credited with: counted, never dropped.
UNATTRIBUTED = "unattributed"


# ------------------------------------------------------------------------ spans in text

@dataclass
class Span:
    """A labelled character range [start, end) of `Article.text`."""

    start: int
    end: int
    label: str = ""
    score: float = 1.0

    def text(self, source: str) -> str:
        return source[self.start:self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


@dataclass
class Phrase:
    """A piece of text inside a result (a cause, a hedge, a sentence): offsets and its text."""

    start: int
    end: int
    text: str = ""


@dataclass
class Entity(Span):
    """A mention of a person, organisation or place; `label` is its EntityType and `name`
    the one canonical name of that entity in the article ("Power" -> "Samantha Power")."""

    name: str = ""
    entity_id: str = ""


@dataclass
class Speaker:
    """Who a quote is credited to: the canonical `name`, and the mention [start, end) in the text."""

    name: str
    start: int
    end: int


@dataclass
class Cue:
    """The reporting verb (or phrase, noun, colon) of a quote."""

    text: str
    start: int
    end: int
    lemma: str = ""


@dataclass
class Quote(Span):
    """Quoted or reported speech; `label` is its QuoteKind, [start, end) its content.
    `clause`: the reported clause when the cue reports more than the quoted words;
    `found_by`: the rules, or the attribution model (then `score` is its probability)."""

    speaker: Speaker | None = None
    cue: Cue | None = None
    clause: Phrase | None = None
    found_by: QuoteSource = "rules"

    @property
    def kind(self) -> str:
        return self.label

    @property
    def speaker_name(self) -> str | None:
        return self.speaker.name if self.speaker and self.speaker.name else None


@dataclass
class Quantity:
    """A figure in the text normalised to a range: "hundreds of civilians" = 200..999
    civilians. `high` is None for an open range ("over 60" is 61 and up)."""

    start: int
    end: int
    text: str
    low: float | None
    high: float | None
    approximate: bool = False
    unit: str = ""


@dataclass
class Causal:
    """A causal statement: `cause` led to `effect`, through the words `cue`;
    `attributed`: the article reports somebody else giving this cause."""

    cue: str
    cause: Phrase
    effect: Phrase
    attributed: bool = False


@dataclass
class Event:
    """What happened in an event claim: its verb and who did it."""

    verb: str
    actor: str | None = None


@dataclass
class Claim(Span):
    """A check-worthy sentence (figures, causes, dated events); `score` is check-worthiness."""

    kind: ClaimKind = "event"
    quantities: list[Quantity] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    causal: Causal | None = None
    event: Event | None = None


@dataclass
class Technique(Span):
    """A propaganda technique span: `label` is the technique, `score` the probability that
    the span is propaganda, `technique_score` that of the technique given it is."""

    technique_score: float = 0.0

    @property
    def technique(self) -> str:
        return self.label


# The span type of each layer (a layer outside this map holds plain Spans).
LAYER_TYPES: dict[str, type[Span]] = {
    "sentences": Span, "entities": Entity, "quotes": Quote, "claims": Claim, "techniques": Technique,
}


# ---------------------------------------------------------------------------- articles

def normalise_text(text: str) -> str:
    """Lower-cased, whitespace collapsed: what makes two texts "the same text"."""
    return re.sub(r"\s+", " ", text).strip().lower()


def article_id(outlet: str, text: str) -> str:
    """Stable id: a hash of the outlet and the whitespace-normalised text."""
    digest = hashlib.sha1(f"{outlet.lower()}\n{normalise_text(text)}".encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass
class Article:
    """Clean body text plus metadata. `text` is what every offset indexes."""

    text: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    original_source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # where it was read from: a file path, or "path#record"
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.outlet, self.text)


@dataclass
class Vectors:
    """Unit-length sentence vectors of some texts of an article: row i encodes texts[i]."""

    texts: list[str]
    array: Any  # numpy float32 array, shape (len(texts), width)

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(self.texts, self.array))


@dataclass
class Analysis:
    """An Article plus named span layers, like spaCy's `doc.spans[key]`, and (when the
    vectors component ran) the sentence vectors of its sentences, quotes and claims."""

    article: Article
    layers: dict[str, list[Span]] = field(default_factory=dict)
    vectors: Vectors | None = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        return self.article.text

    def __getitem__(self, layer: str) -> list[Span]:
        return self.layers.get(layer, [])

    def __setitem__(self, layer: str, spans: list[Span]) -> None:
        self.layers[layer] = sorted(spans, key=lambda s: (s.start, s.end))

    def snippet(self, span: Span | Phrase) -> str:
        return self.article.text[span.start:span.end]

    # Typed views of the known layers.
    @property
    def sentences(self) -> list[Span]:
        return self["sentences"]

    @property
    def entities(self) -> list[Entity]:
        return self["entities"]  # type: ignore[return-value]

    @property
    def quotes(self) -> list[Quote]:
        return self["quotes"]  # type: ignore[return-value]

    @property
    def claims(self) -> list[Claim]:
        return self["claims"]  # type: ignore[return-value]

    @property
    def techniques(self) -> list[Technique]:
        return self["techniques"]  # type: ignore[return-value]


# -------------------------------------------------------------------------- comparison

# Named relations and kinds: code outside this module uses these names, never the strings.
SAME_QUOTE: Relation = "same_quote"
SAME_FACT: Relation = "same_fact"
CONFLICT: Relation = "conflict"
RELATED: Relation = "related"
SCARE: QuoteKind = "scare"
BY_MODEL: QuoteSource = "model"  # Quote.found_by of the attribution model's quotes
# Kinds whose span is somebody's own words inside quotation marks (indirect speech is the
# outlet's paraphrase, scare quotes are the outlet's irony).
QUOTED_KINDS: tuple[QuoteKind, ...] = ("direct", "partial")
NUMBER: ConflictKind = "number"
CAUSE: ConflictKind = "cause"
VERDICT_CONFLICT: Verdict = "conflict"
VERDICT_DIFFERENT_SCOPE: Verdict = "different_scope"
VERDICT_DIFFERENT_SOURCE: Verdict = "different_source"
QUALIFIER_TIME: QualifierKind = "time"
QUALIFIER_PLACE: QualifierKind = "place"
QUALIFIER_POPULATION: QualifierKind = "population"
BY_SPEAKER: AttributionKind = "speaker"
BY_ACCORDING_TO: AttributionKind = "according_to"
BY_OUTLET: AttributionKind = "outlet"
OMITTED_QUOTE: OmissionKind = "quote"
OMITTED_CLAIM: OmissionKind = "claim"
TERM_LOADED: TermKind = "loaded"
TERM_HEDGE: TermKind = "hedge"
TONE_NEUTRAL: CueTone = "neutral"
TONE_LOADED: CueTone = "loaded"
TONE_UNKNOWN: CueTone = ""
# Entity types that can speak for themselves; a quote from a country or agency ("the US
# slammed ...") is usually one of its officials speaking.
PERSON_TYPES: tuple[EntityType, ...] = ("PERSON",)
# Entity types that name where something happened (a conflict's topic says "in Aleppo").
PLACE_TYPES: tuple[EntityType, ...] = ("GPE", "LOC")

# What the aligner compares: quotes with quotes, sentences with sentences.
UnitKind = Literal["quote", "sentence"]
QUOTE_UNIT: UnitKind = "quote"
SENTENCE_UNIT: UnitKind = "sentence"


@dataclass
class Ref:
    """A character range in one of the compared articles (index into `analyses`), and the
    text it covers (`analyses[article].text[start:end]`)."""

    article: int
    start: int
    end: int
    text: str = ""


@dataclass
class Evidence:
    """Why two units are linked: each kind of evidence the aligner weighed."""

    cosine: float | None = None
    lexical: float | None = None
    entities: list[str] = field(default_factory=list)
    speaker: bool | None = None  # same speaker: True, two different people: False, unknown: None
    numbers: list[str] = field(default_factory=list)
    text_a: str = ""
    text_b: str = ""
    unit: UnitKind | None = None  # None for conflict links (they join two claim sentences)
    ratio: float | None = None  # quote links: character similarity of the two quotes
    # conflict links only
    kind: ConflictKind | None = None
    topic: str | None = None
    explanation: str | None = None
    verdict: Verdict | None = None


@dataclass
class Link:
    """Unit in article i <-> unit in article j, with relation, score and evidence."""

    relation: Relation
    a: Ref
    b: Ref
    score: float
    evidence: Evidence = field(default_factory=Evidence)


@dataclass
class AlsoCause:
    """Another cause the same article gives (or reports others giving) for the same event."""

    start: int
    end: int
    text: str
    attributed: bool = False


@dataclass
class Qualifier:
    """A phrase that bounds what a figure counts: its period, place or population.

    When ("since the cease-fire fell apart last week"), where ("in eastern Aleppo") or whom
    ("undocumented"). `key` is what two qualifiers are compared by: a period's granularity
    and value ("day", "year 2015", "since"), a place's entity name, a population word.
    `inherited`: found in the sentence before the figure's ("Clashes intensified Sunday.
    Between 26 and 43 ... killed")."""

    start: int
    end: int
    text: str
    kind: QualifierKind
    key: str
    inherited: bool = False


@dataclass
class Attribution:
    """Who gives a figure: a speaker, an "according to" source, or the outlet itself.

    `name` of the speaker or source (the outlet's name for kind "outlet", with no mention);
    `via`: the source it is reported through ("residents said ...", per "According to the
    WSJ")."""

    name: str
    kind: AttributionKind
    mention: Phrase | None = None
    via: Phrase | None = None


@dataclass
class ConflictSide:
    """One article's side of a conflict: the figure or cause [start, end) and its sentence.

    Number sides also carry the figure's qualifiers and attribution."""

    article: int
    start: int
    end: int
    text: str
    sentence: Phrase
    low: float | None = None  # number conflicts: the figure's range (high None: open range)
    high: float | None = None
    effect: Phrase | None = None  # cause conflicts: what the cause is given for
    attributed: bool = False
    also: list[AlsoCause] = field(default_factory=list)
    qualifiers: list[Qualifier] = field(default_factory=list)
    attribution: Attribution | None = None  # None for cause sides


@dataclass
class Conflict:
    """Two articles give incompatible figures or causes for the same thing.

    A number conflict's `verdict` says whether they really contradict each other (cause
    conflicts are always "conflict"), `verdict_reason` why in one line."""

    kind: ConflictKind
    topic: str
    a: ConflictSide
    b: ConflictSide
    score: float
    explanation: str
    cosine: float
    cause_cosine: float | None = None
    verdict: Verdict = VERDICT_CONFLICT
    verdict_reason: str = ""


@dataclass
class FramingSide:
    """How one article frames its copy of a shared quote."""

    article: int
    start: int
    end: int
    text: str
    cue: Cue | None
    cue_tone: CueTone
    cue_note: str | None  # why the cue verb is loaded ("casts doubt ..."); None if not
    hedges: list[Phrase]
    scare_quotes: list[Phrase]
    loaded: list[Phrase]
    sentence: Phrase


@dataclass
class FramingRow:
    """A quote shared by two or more articles: the same_quote links it groups (every
    same_quote link is in exactly one row) and one side per copy (an article with several
    copies has several sides, fullest first)."""

    quote: str
    speaker: str | None
    links: list[int]
    sides: list[FramingSide]


@dataclass
class Coverage:
    """What each article shares with the others and whom it quotes (lists: one per article)."""

    speakers: dict[str, list[int]]  # quotes of speech per speaker (UNATTRIBUTED included)
    speaker_chars: dict[str, list[int]]
    shared_share: list[float]
    shared_score: float
    unique: list[list[Phrase]]


@dataclass
class Omission:
    """Material most other articles carry that `article` leaves out; `source` is where."""

    article: int
    kind: OmissionKind
    summary: str
    source: Ref


@dataclass
class Term:
    """A loaded word or doubt-casting hedge in the outlet's own voice."""

    start: int
    end: int
    text: str
    kind: TermKind


@dataclass
class OutletSummary:
    """One article's figures, as every report shows them (terminal, JSON, HTML)."""

    article: int
    outlet: str
    title: str
    quotes: int  # quotes of speech (SPEECH_KINDS), attributed or not
    speakers: dict[str, int]  # quotes per speaker, UNATTRIBUTED included: they sum to `quotes`
    loaded_terms: list[Term]
    words: int  # text.word_count of the article
    techniques: int  # technique spans
    techniques_per_1000_words: dict[str, float]  # per technique
    all_techniques_per_1000_words: float
    shared_share: float | None = None  # None: not compared


@dataclass
class Comparison:
    """Analyses of 2..N articles on one story and what relates them."""

    analyses: list[Analysis]
    links: list[Link] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    framing: list[FramingRow] = field(default_factory=list)
    coverage: Coverage | None = None
    omissions: list[Omission] = field(default_factory=list)
    outlets: list[OutletSummary] = field(default_factory=list)


# ------------------------------------------------------------- plain data, both ways

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """A typed value as plain JSON-able data (dataclasses -> dicts, recursively)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item) for key, item in value.items()}
    return value


# Nested typed fields of each span type, so `span_from_data` rebuilds them.
_NESTED: dict[type, dict[str, type]] = {
    Quote: {"speaker": Speaker, "cue": Cue, "clause": Phrase},
    Claim: {"quantities": Quantity, "causal": Causal, "event": Event},
    Causal: {"cause": Phrase, "effect": Phrase},
}


def from_data(cls: type[T], data: dict[str, Any]) -> T:
    """The inverse of `to_data` for the span types and their parts."""
    nested = _NESTED.get(cls, {})
    values = {}
    for key, value in data.items():
        part = nested.get(key)
        if part is not None and isinstance(value, list):
            value = [from_data(part, item) for item in value]
        elif part is not None and isinstance(value, dict):
            value = from_data(part, value)
        values[key] = value
    return cls(**values)


def layers_to_data(layers: dict[str, list[Span]]) -> dict[str, list[dict[str, Any]]]:
    return {name: [to_data(span) for span in spans] for name, spans in layers.items()}


def layers_from_data(data: dict[str, list[dict[str, Any]]]) -> dict[str, list[Span]]:
    """Layers back from `layers_to_data`; each layer's spans get the layer's type."""
    return {name: [from_data(LAYER_TYPES.get(name, Span), item) for item in items]
            for name, items in data.items()}


def shifted(value: T, offset: int) -> T:
    """A copy of a span (or part) with every character offset moved by `offset`: results
    found in a chunk of a long text, placed back into the whole text."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        if f.name in ("start", "end") and isinstance(item, int):
            changes[f.name] = item + offset
        elif isinstance(item, list):
            changes[f.name] = [shifted(x, offset) for x in item]
        elif dataclasses.is_dataclass(item):
            changes[f.name] = shifted(item, offset)
    return dataclasses.replace(value, **changes)
