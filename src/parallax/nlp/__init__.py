"""Article-level NLP on spaCy: sentences, entities, quotes, claims.

Each module is a plain function from a spaCy Doc (and earlier layers) to typed spans; the
Pipeline's components (parallax.pipeline) run them in order:

    sentences.sentence_spans(doc)                    -> list[Span]
    entities.entity_spans(doc)                       -> list[Entity]
    quotes.quote_spans(doc, entities, learned)       -> list[Quote]
    claims.claim_spans(doc, sentences, entities)     -> list[Claim]

`learned` are the attribution tagger's candidates (`attribution.head`, run on the technique
network's states by the techniques component). `spacy_model.load_nlp(name)` loads the
spaCy pipeline once per process.
"""
