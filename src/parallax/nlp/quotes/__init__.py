"""Quotes and attributions: who said what, with which verb.

    quote_spans(doc, entities, learned=()) -> list[Quote]
    find_quote_runs(text) -> list[QuoteRun]       (stage 1 alone, on raw text)

Stages, one module each, run in this order by `extract.quote_spans`:
  1. `marks`: pair the quotation marks (content offsets).
  2. `direct`: the cue verb and its subject for each quotation (through the dependency
     parse, else the text beside the quote), and its kind: direct, partial or scare.
     `cues` holds the reporting-verb lexicon and finds a cue's speaker mention.
  3. `labels`: "Speaker: text" lines (headlines, transcripts; cue ":").
  4. `indirect`: the reported clause around each quotation, and reported speech
     without marks ("Lavrov charged that ...", "according to X, ...", "wants to ...",
     "seemed to", "is expected to", "referring to X", "..., Barden says, ...");
     `nouns`: noun cues ("Republican calls for X", "Trump's claim that ...", "In a CNN
     poll, ..."). Attributions nested in another's content are dropped.
  5. With the attribution head's ranker (shipped): `ranked` chooses the contents among
     every candidate (`candidates`: the rules', the head's and the parse's), keeping the
     rules' attributions where it takes their content or one overlapping it, and
     `speaker_rank` picks the speaker word of the contents no rule holds. Without it:
     `learned` adds the head's contents the rules do not cover.
  6. `speakers`: a quote-only sentence right after an attribution keeps that cue and
     speaker; the `Quote` spans are built. `mentions` finds the words naming the
     speaker (never a dateline, a party tag or share-button text); `coref` names
     them: the entity layer's canonical name, or what a pronoun (`pronouns`), a
     role ("the governor", `descriptions`) or a document ("the statement") stands
     for in the article (`scene`), or "" (unattributed) when it does not say;
     `gender` and `places` are its small tables.
Shared by the stages: `found` (the `Found` record they pass along) and `tokens`
(character-range helpers). `scoring` scores attributions against PolNeAR-style gold.

Each Quote: start/end = the content (inside the marks; the reported clause for
indirect speech), label = kind, score = confidence, `speaker` (name + mention) and
`cue` (text, offsets, lemma) or None; partial and direct quotes also carry `clause`
when the cue reports more than the quoted words (`called Trump's charge “pathetic”` ->
"Trump's charge “pathetic”"). Several quotes sharing one cue are one statement
(“A,” he said. “B.”).

Decisions: titles of works in quotes (entitled “From Paradise to Hell: ...”, a short
title-case phrase such as “Meet the Press”, the film “1917”) are not quotes of anyone
and are skipped. Single quotes are ignored (see marks). A speaker the article does
not identify keeps its mention ("someone", "It") with the name "" so that it counts
as UNATTRIBUTED, rather than being credited to a guess.
"""
from __future__ import annotations

from parallax.nlp.quotes.extract import quote_spans
from parallax.nlp.quotes.marks import QuoteRun, find_quote_runs

__all__ = ["QuoteRun", "find_quote_runs", "quote_spans"]
