"""`parallax quotes --store DB`: the same quote across the corpus, who carries it, with which cue verb.

    tracker = track_quotes(store, fingerprint)          corpus.tracking.QuoteTracker
    quotes = select_quotes(tracker, speaker="Lavrov", min_outlets=2)

The tracker reads the stored deep analyses (`parallax ingest --deep`) in publication order,
so a quote's first appearance is its earliest article. An exact copy of an analysed article
carries the original's quotes (republishing a wire story is carrying its quotes); the rest
of the corpus has no quote spans to read.

By default only quotes carried by MIN_OUTLETS outlets or more are listed, those carried by
the most outlets first: a quote one outlet prints is no story about coverage, and a corpus
holds tens of thousands of them. `--min-outlets 1` lists every one (with `--speaker`, all
of a speaker's quotes).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parallax.errors import UsageError

FORMATS = ("table", "json")
# Outlets a quote must be carried by to be listed, unless --min-outlets says otherwise.
MIN_OUTLETS = 2
# What the table prints for an outlet that quotes without a cue verb (a colon, a headline).
NO_CUE = "-"

if TYPE_CHECKING:  # tracking imports the comparison stage: only the command itself pays for it
    from parallax.corpus.tracking import QuoteTracker, TrackedQuote
    from parallax.store import Store


def register(subparsers) -> None:
    """Add the `quotes` command to the main CLI's sub-commands."""
    parser = subparsers.add_parser("quotes", help="the same quote across a store's corpus: speaker, first "
                                                  "appearance, outlets and the cue verb each uses")
    parser.add_argument("--store", type=Path, required=True, help="SQLite store filled by `parallax ingest --deep`")
    parser.add_argument("--speaker", default=None,
                        help="only this speaker's quotes (a last name matches the full name)")
    parser.add_argument("--min-outlets", type=int, default=None, metavar="N",
                        help=f"only quotes carried by at least N outlets (default: {MIN_OUTLETS}; "
                             "1 with --speaker)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--config", type=Path, default=None, help="TOML config file the corpus was ingested with")
    parser.set_defaults(run=run_quotes)


def run_quotes(args: argparse.Namespace) -> int:
    from parallax.config import Config
    from parallax.store import open_existing
    from parallax.store.analyses import deep_fingerprint, no_analyses_error

    min_outlets = args.min_outlets if args.min_outlets is not None else (1 if args.speaker else MIN_OUTLETS)
    if min_outlets < 1:
        raise UsageError(f"--min-outlets {min_outlets} is invalid; give 1 or more")
    config = Config.resolve(file=args.config)
    with open_existing(args.store, config.store_max_bytes) as store:
        fingerprint = deep_fingerprint(store, config)
        if fingerprint is None:
            raise no_analyses_error(store)
        tracker = track_quotes(store, fingerprint)
    quotes = select_quotes(tracker, args.speaker, min_outlets)
    if args.format == "json":
        print(json.dumps([quote_record(q) for q in quotes], ensure_ascii=False, indent=2))
    else:
        print(render_table(quotes, len(tracker), args.speaker, min_outlets))
    return 0


def track_quotes(store: Store, fingerprint: str) -> QuoteTracker:
    """A QuoteTracker over every article that carries a deep analysis, in publication order."""
    from parallax.corpus.tracking import QuoteTracker
    from parallax.store.analyses import iter_corpus, read_snapshot

    tracker = QuoteTracker()
    with read_snapshot(store):
        for item in iter_corpus(store, fingerprint, deep_only=True):
            if item.carried is not None:
                tracker.add(item.article, item.carried.quotes)
    return tracker


def select_quotes(tracker: QuoteTracker, speaker: str | None, min_outlets: int) -> list[TrackedQuote]:
    """The tracked quotes (`speaker`'s only, if given) carried by `min_outlets` outlets or
    more: the most outlets first, then the first to appear."""
    found = [q for q in tracker.quotes(speaker) if len(q.outlets) >= min_outlets]
    return sorted(found, key=lambda q: (-len(q.outlets), q.id))


def quote_record(quote: TrackedQuote) -> dict[str, Any]:
    """A tracked quote as plain data: the fields of the table, one object per quote."""
    first = quote.mentions[0]
    cues = quote.cues()
    return {
        "id": quote.id, "speaker": quote.speaker, "text": quote.text,
        "first_article_id": first.article_id, "first_outlet": first.outlet, "first_published": first.published,
        "articles": len({m.article_id for m in quote.mentions}), "mentions": len(quote.mentions),
        "outlets": [{"outlet": outlet, "cues": cues[outlet],
                     "articles": len({m.article_id for m in quote.mentions if m.outlet == outlet})}
                    for outlet in quote.outlets],
    }


def render_table(quotes: list[TrackedQuote], tracked: int, speaker: str | None, min_outlets: int) -> str:
    """A heading, then per quote: speaker and words, its first appearance, and a row per
    outlet with the cue verbs it uses."""
    whose = f" of {speaker}" if speaker else ""
    carried = f" carried by {min_outlets}+ outlets" if min_outlets > 1 else ""
    lines = [f"{len(quotes)} quote{'' if len(quotes) == 1 else 's'}{whose}{carried} "
             f"({tracked} tracked in the corpus{'; --min-outlets 1 lists every one' if min_outlets > 1 else ''})"]
    for number, quote in enumerate(quotes, 1):
        record = quote_record(quote)
        words = quote.text.rstrip(" ,;:")  # the comma before the closing mark is the sentence's
        lines += ["", f"{number}. {quote.speaker or 'unattributed'}: \u201c{words}\u201d",
                  f"   first: {record['first_published'] or 'undated'}  {record['first_outlet'] or '(no outlet)'}  "
                  f"(article {record['first_article_id']})",
                  f"   {len(record['outlets'])} outlet{'' if len(record['outlets']) == 1 else 's'}, "
                  f"{record['articles']} article{'' if record['articles'] == 1 else 's'}:"]
        width = max(len(o["outlet"] or "(no outlet)") for o in record["outlets"])
        for row in record["outlets"]:
            cues = ", ".join(row["cues"]) or NO_CUE
            count = f"  ({row['articles']} articles)" if row["articles"] > 1 else ""
            lines.append(f"     {(row['outlet'] or '(no outlet)'):<{width}}  {cues}{count}")
    return "\n".join(lines)


__all__ = ["MIN_OUTLETS", "quote_record", "register", "render_table", "run_quotes", "select_quotes", "track_quotes"]
