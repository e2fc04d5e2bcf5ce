"""Corpus-scale benchmark: ingest, stories, memory, duplicates and copied passages at 10^4 and 10^5 articles.

Prints one result line:
  corpus_scale 10000: ingest=A/s stories=Ts rss=RGB dup P=p R=r copy_recall=c bytes_per_article=B | 100000: ...

Goals (issue): ingest >= 100 articles/s on 2 cores (cheap tier), stories <= 5 min at
10^5, peak RSS <= 4 GB and near-linear, duplicates P >= 0.99 / R >= 0.95, copied-passage
recall >= 0.95.

The corpus is synthetic, made from real texts (PTC train articles, PolNeAR train, BASIL,
ECB+ under --data) with a seeded generator, so its truth is known:
  * an ordinary article is a variant of one base text: each sentence of each paragraph is
    kept (KEEP_SENTENCE) or replaced by a sentence of another random base text, sentences
    are shuffled (across the whole text) and regrouped into new paragraphs of 2-4 sentences (so
    a variant's paragraphs never line up with another variant's), person-like capitalised names ("Jeb Bush") are
    swapped for invented ones, the outlet is one of ~50 and the date is spread over two
    years. Bases have 15+ sentences; two variants of one base share about an eighth of their
    sentences (KEEP_SENTENCE squared), far below near-duplicate similarity.
  * exact duplicates (EXACT_SHARE): the text of an earlier original, under another id (the
    same or another outlet), a little later;
  * near duplicates (NEAR_SHARE): an earlier original with NEAR_EDIT of its words replaced;
  * copied paragraphs (COPY_SHARE of the articles): one paragraph (15-90 words, so one
    passage) of an earlier article of another outlet, lightly edited (COPY_EDIT of its
    words), inserted among the article's own paragraphs; its [start, end) is the truth.
The corpus is written as JSONL sorted by date (the earliest carrier is ingested first),
with a truth file, under --work.

Each size runs in a new process (peak RSS per process, resource.getrusage): ingest with
Config(threads=2, techniques=False) into a new store, timed (articles/s), then
`group_new(store)`, timed. This process then reads the store: the duplicates table against
the planted duplicates (precision/recall of "this article is a duplicate", exact + near),
the copies table against the planted paragraphs (found when a Copy of that article overlaps
the planted span), and the store's bytes per article.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/data"
SIZES = (10_000, 100_000)
SEED = 20240601

KEEP_SENTENCE = 0.35  # share of a base paragraph's sentences kept in a variant (others replaced)
EXACT_SHARE = 0.02
NEAR_SHARE = 0.02
NEAR_EDIT = 0.05  # share of words replaced in a near duplicate
COPY_SHARE = 0.05
COPY_EDIT = 0.03  # share of words replaced in a copied paragraph
RECENT = 3000  # duplicates and copied paragraphs come from this many latest articles
SPAN_DAYS = 730
MIN_BASE_WORDS = 120
MIN_BASE_SENTENCES = 15  # two variants of a shorter base share too large a part of it
ECB_LINES_PER_PARAGRAPH = 3
PARAGRAPH_WORDS = 90  # variant paragraphs stay under this (a passage of over 100 words is cut into sentences)  # ECB+ has one sentence a line: group them into paragraphs

SENTENCE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
NAME = re.compile(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b")
WORD = re.compile(r"\w+")
NOT_NAMES = {"The", "This", "That", "These", "Those", "There", "Then", "When", "What", "While", "After", "Before",
             "But", "And", "For", "With", "From", "Into", "Last", "Next", "New", "Our", "His", "Her", "Their", "Its",
             "According", "However", "During", "Since", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
             "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December", "United", "North", "South", "East", "West", "White",
             "Supreme", "House", "Senate", "National", "American", "Republican", "Democratic", "Democrats",
             "Republicans", "State", "States", "Department", "President", "Secretary", "Sen", "Rep", "Gov"}
FIRST = ("Alma Bruno Carla Dmitri Elena Farid Greta Hector Ines Jonas Kira Lionel Marta Nadia Oscar Priya Quentin "
         "Rosa Stefan Tamsin Ulrich Vera Wendell Xenia Yusuf Zora Anselm Beatriz Cyril Delphine Emeric Fiona "
         "Gideon Halima Ivo Jolene Kasimir Leona Magnus Noor").split()
LAST = ("Abernathy Brandauer Castellanos Dunmore Eklund Fairweather Gallardo Hollis Ivanova Jankowski Kettering "
        "Lindqvist Marchetti Nakamura Okonkwo Pellegrini Quarles Rasmussen Szabo Thibodeaux Underhill Valdivia "
        "Whitcombe Yamamoto Zielinski Ashdown Bergstrom Carrow Delacroix Everly Fontaine Grimaldi Haverford "
        "Isaksen Jessup Kowalczyk Lacroix Montague Northcott Ostrander").split()
OUTLETS = [f"{a} {b}" for a in ("Daily", "Evening", "Metro", "National", "Coastal", "Valley", "Capital", "Northern",
                                "Western", "Free", "Union", "Civic", "Harbor", "Prairie", "Summit", "Liberty",
                                "Pioneer")
           for b in ("Ledger", "Courier", "Sentinel")][:50]

CHILD = """
import json, resource, sys, time
from pathlib import Path
from parallax.config import Config
from parallax.corpus.ingest import ingest
from parallax.store.store import Store
from parallax.store.stories import group_new
corpus, store_path, threads = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
for suffix in ("", "-wal", "-shm"):
    Path(str(store_path) + suffix).unlink(missing_ok=True)
errors = []
with Store(store_path, max_bytes=2**40) as store:
    report = ingest([corpus], store, config=Config(threads=threads, techniques=False), on_error=errors.append)
    rss_ingest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    started = time.perf_counter()
    grouped = group_new(store)
    stories_s = time.perf_counter() - started
    stories = store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
print(json.dumps({"report": report.as_dict(), "rate": report.rate, "stories_s": stories_s, "grouped": grouped,
                  "stories": stories, "errors": len(errors), "rss_ingest_gb": rss_ingest,
                  "rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))
"""


# ------------------------------------------------------------------ base texts

def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def base_texts(data: Path) -> list[tuple[str, list[list[str]]]]:
    """(title, paragraphs as lists of sentences) of every real article long enough."""
    raw: list[tuple[str, list[str]]] = []
    for path in sorted((data / "ptc/train-articles").glob("*.txt")):
        lines = _paragraphs(path.read_text(encoding="utf-8"))
        if lines:
            raw.append((lines[0], lines[1:]))
    seen: set[str] = set()
    polnear = data / "polnear/polnear_train.jsonl"
    if polnear.exists():
        for line in polnear.open(encoding="utf-8"):
            record = json.loads(line)
            if record["article"] in seen:
                continue
            seen.add(record["article"])
            lines = _paragraphs(record["text"])
            raw.append((record.get("title") or lines[0], lines[1:]))
    basil = data / "basil/basil_articles.jsonl"
    if basil.exists():
        for line in basil.open(encoding="utf-8"):
            record = json.loads(line)
            paragraphs = [" ".join(" ".join(p) if isinstance(p, list) else str(p) for p in [para]).strip()
                          for para in record.get("paragraphs", [])]
            raw.append((record.get("title", ""), [" ".join(p.split()) for p in paragraphs if p.strip()]))
    ecb = data / "ecbplus/ecbplus_docs.jsonl"
    if ecb.exists():
        for line in ecb.open(encoding="utf-8"):
            lines = _paragraphs(json.loads(line)["text"])
            if len(lines) < 2:
                continue
            body = lines[1:]
            raw.append((lines[0], [" ".join(body[i:i + ECB_LINES_PER_PARAGRAPH])
                                   for i in range(0, len(body), ECB_LINES_PER_PARAGRAPH)]))
    bases = []
    for title, paragraphs in raw:
        split = [SENTENCE.split(p) for p in paragraphs]
        if sum(len(WORD.findall(p)) for p in paragraphs) < MIN_BASE_WORDS or sum(map(len, split)) < MIN_BASE_SENTENCES:
            continue
        bases.append((title or "Untitled", split))
    if not bases:
        sys.exit(f"no base texts under {data}")
    return bases


# ------------------------------------------------------------------ generation

def _swap_names(text: str, mapping: dict[str, str], rng: random.Random) -> str:
    def swap(match: re.Match[str]) -> str:
        if match.group(1) in NOT_NAMES or match.group(2) in NOT_NAMES:
            return match.group()
        surname = match.group(2)
        if surname not in mapping:
            mapping[surname] = rng.choice(LAST)
        first = mapping.setdefault("first:" + match.group(1), rng.choice(FIRST))
        return f"{first} {mapping[surname]}"
    return NAME.sub(swap, text)


def _edit_words(text: str, share: float, vocabulary: list[str], rng: random.Random) -> str:
    words = list(WORD.finditer(text))
    chosen = sorted(rng.sample(range(len(words)), max(1, round(share * len(words))))) if words else []
    out, last = [], 0
    for index in chosen:
        match = words[index]
        out.append(text[last:match.start()])
        out.append(rng.choice(vocabulary))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _regroup(sentences: list[str], rng: random.Random) -> list[list[str]]:
    """New paragraphs of 2-4 consecutive sentences (under PARAGRAPH_WORDS words where they
    can be): a variant's paragraphs then never line up with another variant's of the same
    base, so they do not read as copied passages."""
    groups: list[list[str]] = []
    current: list[str] = []
    words = 0
    target = rng.randint(2, 4)
    for sentence in sentences:
        length = len(WORD.findall(sentence))
        if current and (len(current) >= target or words + length > PARAGRAPH_WORDS):
            groups.append(current)
            current, words, target = [], 0, rng.randint(2, 4)
        current.append(sentence)
        words += length
    if current:
        groups.append(current)
    return groups


def generate(n: int, bases: list[tuple[str, list[list[str]]]], seed: int) -> tuple[list[dict], dict]:
    """N records in date order and their truth: duplicate ids and copied paragraph spans."""
    rng = random.Random(seed * 1_000_003 + n)
    pool = [sentence for _, paragraphs in bases for paragraph in paragraphs for sentence in paragraph]
    vocabulary = sorted({w for s in rng.sample(pool, min(len(pool), 5000)) for w in WORD.findall(s)
                         if w.isalpha() and len(w) > 3})
    start = datetime(2019, 1, 1, tzinfo=timezone.utc)
    seconds = sorted(rng.uniform(0, SPAN_DAYS * 86400) for _ in range(n))
    records: list[dict] = []
    originals: list[int] = []  # positions of records that are not duplicates
    truth = {"exact": [], "near": [], "copied": []}
    for i, second in enumerate(seconds):
        published = (start + timedelta(seconds=second)).isoformat(timespec="seconds")
        article_id = f"cs{i:06d}"
        roll = rng.random()
        recent = originals[-RECENT:]
        if recent and roll < EXACT_SHARE + NEAR_SHARE:
            source = records[rng.choice(recent)]
            exact = roll < EXACT_SHARE
            outlet = source["outlet"] if exact and rng.random() < 0.3 else rng.choice(OUTLETS)
            text = source["text"] if exact else _edit_words(source["text"], NEAR_EDIT, vocabulary, rng)
            records.append({"id": article_id, "title": source["title"], "outlet": outlet, "published": published,
                            "text": text})
            truth["exact" if exact else "near"].append([article_id, source["id"]])
            continue
        title, paragraphs = bases[rng.randrange(len(bases))]
        mapping: dict[str, str] = {}
        sentences = [s if rng.random() < KEEP_SENTENCE else rng.choice(pool)
                     for paragraph in paragraphs for s in paragraph]
        rng.shuffle(sentences)  # across the whole text: shuffling within paragraphs alone
        # leaves paragraphs that share most sentences with another variant's (copied passages)
        body = [_swap_names(" ".join(group), mapping, rng) for group in _regroup(sentences, rng)]
        outlet = rng.choice(OUTLETS)
        copied = None
        if recent and rng.random() < COPY_SHARE:
            for _ in range(20):
                carrier = records[rng.choice(recent)]
                if carrier["outlet"] == outlet:
                    continue
                options = [p for p in carrier["text"].split("\n\n") if 15 <= len(WORD.findall(p)) <= 90]
                if options:
                    copied = (carrier["id"], _edit_words(rng.choice(options), COPY_EDIT, vocabulary, rng))
                    break
        if copied is not None:
            at = rng.randint(0, len(body))
            body.insert(at, copied[1])
            begin = sum(len(p) + 2 for p in body[:at])
            truth["copied"].append([article_id, begin, begin + len(copied[1]), copied[0]])
        originals.append(i)
        records.append({"id": article_id, "title": _swap_names(title, mapping, rng), "outlet": outlet,
                        "published": published, "text": "\n\n".join(body)})
    return records, truth


# ------------------------------------------------------------------ measuring

def run_child(corpus: Path, store: Path, threads: int) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    result = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(store), str(threads)],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"child failed for {corpus}:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def evaluate(store_path: Path, truth: dict, n: int) -> dict:
    from parallax.store.provenance import get_copies
    from parallax.store.store import Store

    planted = {row[0] for row in truth["exact"]} | {row[0] for row in truth["near"]}
    with Store(store_path, max_bytes=2**40) as store:
        found = {row[0] for row in store.db.execute("SELECT article_id FROM duplicates")}
        hits = 0
        for article_id, begin, end, _carrier in truth["copied"]:
            hits += any(c.start < end and c.end > begin for c in get_copies(store, article_id))
        copies = store.db.execute("SELECT count(*) FROM copies").fetchone()[0]
        stored = store.db.execute("SELECT count(*) FROM corpus_articles").fetchone()[0]
    size = sum(Path(str(store_path) + s).stat().st_size for s in ("", "-wal")
               if Path(str(store_path) + s).exists())
    true_pos = len(found & planted)
    return {"P": true_pos / len(found) if found else 1.0, "R": true_pos / len(planted) if planted else 1.0,
            "copy_recall": hits / len(truth["copied"]) if truth["copied"] else 1.0,
            "bytes_per_article": size / max(stored, 1), "copies": copies, "planted_dups": len(planted),
            "found_dups": len(found), "planted_copies": len(truth["copied"]), "stored": stored, "n": n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with ptc/, polnear/, basil/, ecbplus/")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="corpus sizes (articles)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "corpus_scale")
    parser.add_argument("--verbose", action="store_true", help="also print each size's full figures (stderr)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    bases = base_texts(args.data)
    cells = []
    for n in args.sizes:
        records, truth = generate(n, bases, args.seed)
        corpus = args.work / f"corpus_{n}.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        (args.work / f"truth_{n}.json").write_text(json.dumps(truth), encoding="utf-8")
        del records
        store = args.work / f"store_{n}.db"
        child = run_child(corpus, store, args.threads)
        result = evaluate(store, truth, n)
        if args.verbose:
            print(json.dumps({"size": n, "bases": len(bases), **child, **result}), file=sys.stderr)
        cells.append(f"{n}: ingest={child['rate']:.1f}/s stories={child['stories_s']:.1f}s "
                     f"rss={child['rss_gb']:.2f}GB dup P={result['P']:.3f} R={result['R']:.3f} "
                     f"copy_recall={result['copy_recall']:.3f} bytes_per_article={result['bytes_per_article']:.0f}")
    print("corpus_scale " + " | ".join(cells))


if __name__ == "__main__":
    main()
