"""`parallax stories`, `parallax story ID` and `parallax outlets`: thin commands over a store.

    parallax stories --store DB [--since DATE] [--until DATE] [--format table|json]
    parallax story ID --store DB [--format text|json|html] [-o FILE] [--all]
    parallax outlets --store DB [--format table|json|csv]

`stories` first extends the grouping with the articles ingested since the last run
(store.stories.group_new), then lists. `story` compares one story's articles, at most one
per outlet unless --all, analysing them on demand (the layers are stored).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from dataclasses import asdict
from pathlib import Path

from parallax.output import write_output
from parallax.store import open_existing

# Characters of a title shown in the stories table.
TITLE_CHARS = 70


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, required=True, help="the SQLite store `parallax ingest` wrote")
    parser.add_argument("-o", "--output", type=Path, help="write to FILE instead of standard output")


def register(subparsers) -> None:
    stories = subparsers.add_parser("stories", help="group the stored corpus into stories and list them")
    _store_argument(stories)
    stories.add_argument("--since", help="only stories seen on or after this date (YYYY-MM-DD)")
    stories.add_argument("--until", help="only stories seen on or before this date (YYYY-MM-DD)")
    stories.add_argument("--format", choices=("table", "json"), default="table")
    stories.set_defaults(run=run_stories)

    story = subparsers.add_parser("story", help="compare the articles of one story")
    story.add_argument("story_id", metavar="ID", help="a story id from `parallax stories`")
    _store_argument(story)
    story.add_argument("--format", choices=("text", "json", "html"), default="text")
    story.add_argument("--all", action="store_true", help="every article, not one per outlet")
    story.add_argument("--no-techniques", action="store_true", help="skip propaganda technique detection")
    story.add_argument("--threads", type=int, default=None, help="threads per encoder (default: every core)")
    story.set_defaults(run=run_story)

    outlets = subparsers.add_parser("outlets", help="per-outlet profiles of the stored corpus")
    _store_argument(outlets)
    outlets.add_argument("--format", choices=("table", "json", "csv"), default="table")
    outlets.set_defaults(run=run_outlets)


def run_stories(args: argparse.Namespace) -> int:
    from parallax.store.stories import group_new, list_stories, story_members

    with open_existing(args.store) as store:
        added = group_new(store)
        rows = list_stories(store, args.since, args.until)
        members = {row.id: story_members(store, row.id) for row in rows} if args.format == "json" else {}
    if added:
        print(f"grouped {added} new articles", file=sys.stderr)
    if args.format == "json":
        items = [{"id": r.id, "title": r.title, "first_seen": r.first_seen, "last_seen": r.last_seen,
                  "outlets": r.outlets, "articles": members[r.id]} for r in rows]
        write_output(json.dumps(items, ensure_ascii=False, indent=2) + "\n", args.output)
    else:
        write_output(_stories_table(rows), args.output)
    return 0


def _stories_table(rows) -> str:
    out = io.StringIO()
    out.write(f"{'id':>6}  {'articles':>8}  {'outlets':>7}  {'first seen':<10}  {'last seen':<10}  title\n")
    for r in rows:
        title = r.title if len(r.title) <= TITLE_CHARS else r.title[:TITLE_CHARS - 1] + "\u2026"
        out.write(f"{r.id:>6}  {r.size:>8}  {len(r.outlets):>7}  {r.first_seen or '-':<10}  "
                  f"{r.last_seen or '-':<10}  {title}\n")
    out.write(f"{len(rows)} stories\n")
    return out.getvalue()


def representatives(articles: list, all_articles: bool = False) -> list:
    """At most one article per outlet (its longest: the most to compare), in story order."""
    if all_articles:
        return articles
    best: dict[str, object] = {}
    for article in articles:
        kept = best.get(article.outlet)
        if kept is None or len(article.text) > len(kept.text):
            best[article.outlet] = article
    chosen = {id(a) for a in best.values()}
    return [a for a in articles if id(a) in chosen]


def run_story(args: argparse.Namespace) -> int:
    from parallax.config import Config
    from parallax.output import render
    from parallax.pipeline import Pipeline
    from parallax.store.stories import story_members

    from parallax.store.provenance import copy_summary, is_traced

    with open_existing(args.store) as store:
        ids = story_members(store, args.story_id)
        articles = representatives([a for a in map(store.get_article, ids) if a is not None], args.all)
        copied = [f"{a.outlet or a.id}: {copy_summary(store, a).line()}" for a in articles if is_traced(store, a.id)]
    if len(articles) < 2:
        print(f"parallax: story {args.story_id} has {len(articles)} outlet(s); a comparison needs 2 "
              f"(try --all to compare articles of one outlet)", file=sys.stderr)
        return 1
    config = Config.resolve(techniques=False if args.no_techniques else None, store=str(args.store),
                            threads=args.threads)
    with Pipeline(config) as pipeline:
        comparison = pipeline.compare(articles, stories=[list(range(len(articles)))])  # one corpus story
    header = "\n".join([f"Story {args.story_id}: {len(ids)} articles, {len(articles)} compared "
                        f"({', '.join(a.outlet or a.id for a in articles)})", *copied]) + "\n"
    if args.format == "text":
        write_output(header + "\n" + render(comparison, args.format), args.output)
    else:  # the JSON and HTML documents keep their schema: the header goes to stderr
        sys.stderr.write(header)
        write_output(render(comparison, args.format), args.output)
    return 0


def run_outlets(args: argparse.Namespace) -> int:
    from parallax.corpus.profiles import store_profiles

    with open_existing(args.store) as store:
        profiles = store_profiles(store)
    if args.format == "json":
        write_output(json.dumps([asdict(p) for p in profiles], ensure_ascii=False, indent=2) + "\n", args.output)
    elif args.format == "csv":
        write_output(_profiles_csv(profiles), args.output)
    else:
        write_output(_profiles_table(profiles), args.output)
    return 0


def profile_row(p) -> dict:
    """One flat row of a profile (figures as value + the articles they rest on)."""
    return {
        "outlet": p.outlet, "articles": p.articles, "stories": p.stories,
        "story_share": p.story_share.value, "deep_articles": p.deep_articles,
        "techniques_per_1000_words": p.all_techniques_per_1000_words.value,
        "loaded_per_1000_words": p.loaded_per_1000_words.value,
        "copied_share": p.copied_share.value, "copied_share_articles": p.copied_share.articles,
        "top_speakers": "; ".join(f"{name} ({count})" for name, count in p.top_speakers),
        "cue_mix": "; ".join(f"{cue} {share:.0%}" for cue, share in list(p.cue_mix.items())[:5]),
        "blindspots": "; ".join(b.title or b.story_id for b in p.blindspots),
    }


def _profiles_csv(profiles) -> str:
    out = io.StringIO()
    rows = [profile_row(p) for p in profiles]
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["outlet"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _figure(value: float | None, articles: int, unit: str = "") -> str:
    return "-" if value is None else f"{value:g}{unit} (n={articles})"


def _profiles_table(profiles) -> str:
    out = io.StringIO()
    for p in profiles:
        out.write(f"{p.outlet or '(no outlet)'}: {p.articles} articles, {p.stories} stories "
                  f"({_figure(None if p.story_share.value is None else round(100 * p.story_share.value), p.articles, '%')}"
                  f" of the corpus's stories)\n")
        out.write(f"  techniques per 1,000 words: {_figure(p.all_techniques_per_1000_words.value, p.deep_articles)}"
                  f"; loaded words per 1,000: {_figure(p.loaded_per_1000_words.value, p.deep_articles)}\n")
        out.write(f"  copied from other outlets: "
                  f"{_figure(None if p.copied_share.value is None else round(100 * p.copied_share.value), p.copied_share.articles, '% of paragraphs')}\n")
        if p.top_speakers:
            out.write("  most quoted: " + ", ".join(f"{n} ({c})" for n, c in p.top_speakers[:5]) + "\n")
        if p.cue_mix:
            out.write("  cue verbs: " + ", ".join(f"{c} {s:.0%}" for c, s in list(p.cue_mix.items())[:5]) + "\n")
        if p.blindspots:
            out.write("  blindspots: " + "; ".join(f"{b.title or b.story_id} ({b.outlets} outlets)"
                                                   for b in p.blindspots[:5]) + "\n")
    out.write(f"{len(profiles)} outlets\n")
    return out.getvalue()


__all__ = ["register", "representatives"]
