"""Scale-out benchmark of `parallax batch` (Dask): speedup, equality, scheduler overhead,
stories at scale, and the core-seconds per 1,000 articles of each tier.

Prints one result line:
  dask_scale articles=N partition=P | analyze workers=1 T1 s, workers=2 T2 s, speedup=S (goal >= 1.7);
  tasks only: M1 s / M2 s, speedup=S', cores got C1 / C2 (load before L1 / L2); parallax analyze
  T s; equal to `parallax analyze`: yes|no (R rows, E1/E2 errors) | overhead: X ms/task (no-op
  tasks), slack=Y ms/task | stories vs one machine: BCubed F1 ecbplus=F basil=F |
  core-s/1000 articles: deep=D cheap=C | client s/1000 articles: grouping=G duplicates=U
"tasks only" is the makespan of the analyze tasks (cluster start and model loading left
out); "cores got" the CPU seconds inside them per second of it, and L1 / L2 the machine's
1-minute load average before each run: on a shared machine others' work takes cores from
the 2-worker run, which these show.

  * Input: the first N articles of PolNeAR (train + dev, one record per article), then PTC
    train, BASIL and ECB+ (2,028 in all) under --data, as one JSONL file of plain-text
    records (so `parallax analyze` and batch read the same texts).
  * analyze: `parallax batch analyze` on a new LocalCluster of 1, then 2, single-threaded
    worker processes, end to end (cluster start and model loading included), into new
    folders; then `parallax analyze --format jsonl --no-cache` of the same file (one
    process, every core) and every quotes/claims/techniques row of both batch outputs
    compared with the rows its JSON gives (scores at the JSON's 4 decimals).
  * overhead: NOOP_TASKS tasks that do nothing on a 2-worker cluster (wall time per task),
    and the batch run's slack: (workers x wall - time inside tasks) / tasks.
  * stories: `parallax batch stories` of ECB+ (undated) and BASIL (dated) against
    `parallax ingest` + `parallax stories` on one machine, as BCubed F1 of the batch
    grouping taken against the single-machine one (1.0: the same stories).
  * core-seconds: CPU time of the worker processes inside the tasks, per 1,000 articles
    (deep: analyze tasks; cheap: sketch tasks of the stories runs; grouping: the client's
    online grouping).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pyarrow.dataset as ds  # noqa: E402

from parallax.batch.runner import BatchRequest, run_batch  # noqa: E402
from parallax.config import Config  # noqa: E402
from parallax.corpus.bcubed import bcubed  # noqa: E402
from parallax.corpus.sources import ColumnMap  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/data"
DEFAULT_ARTICLES = 2000
# Records per task: 2,000 articles make 40 tasks, enough that two workers finish within
# a task of each other (the tail), few enough that per-task costs are noise.
DEFAULT_PARTITION = 50
NOOP_TASKS = 500
SCORE_DIGITS = 4  # the JSON output's rounding of scores
SPAN_TABLES = ("quotes", "claims", "techniques")
STORY_CORPORA = {"ecbplus": ("ecbplus/ecbplus_docs.jsonl", "id=doc_name"),
                 "basil": ("basil/basil_articles.jsonl", "text=paragraphs,outlet=source,published=date")}


def build_input(data: Path, articles: int, path: Path) -> int:
    """Write the first `articles` plain-text records of the pool to `path`; returns how many."""
    records: list[dict] = []
    seen: set[str] = set()
    for name in ("polnear_train.jsonl", "polnear_dev.jsonl"):
        for line in (data / "polnear" / name).open(encoding="utf-8"):
            row = json.loads(line)
            if row["article"] not in seen:
                seen.add(row["article"])
                records.append({"id": row["article"], "title": row["title"], "outlet": row["publisher"],
                                "published": row["publication_date"], "text": row["text"]})
    for file in sorted((data / "ptc" / "train-articles").glob("*.txt")):
        title, _, body = file.read_text(encoding="utf-8").partition("\n")
        records.append({"id": file.stem, "title": title.strip(), "outlet": "ptc", "text": body.strip() or title})
    for line in (data / "basil" / "basil_articles.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        text = "\n\n".join(" ".join(p) if isinstance(p, list) else p for p in row["paragraphs"])
        records.append({"id": row["uuid"], "title": row["title"], "outlet": row["source"], "published": row["date"],
                        "text": text})
    for line in (data / "ecbplus" / "ecbplus_docs.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        records.append({"id": row["doc_name"], "outlet": "ecbplus", "text": row["text"]})
    chosen = [r for r in records if r["text"].strip()][:articles]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
    return len(chosen)


def batch(tier: str, inputs: list[Path], out: Path, workers: int, partition: int, column_map: str | None = None):
    request = BatchRequest(tier, [str(p) for p in inputs], str(out), Config(threads=1), ColumnMap.parse(column_map),
                           partition_size=partition, workers=workers)
    started = time.monotonic()
    report = run_batch(request)
    return report, time.monotonic() - started


def reference_rows(path: Path, work: Path) -> tuple[dict[str, list], float]:
    """`parallax analyze --format jsonl` of `path`, as span rows; and its wall seconds."""
    output = work / "analyze.jsonl"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "parallax.cli", "analyze", str(path), "--format", "jsonl", "--no-cache",
                    "-o", str(output)], check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    rows: dict[str, list] = {table: [] for table in SPAN_TABLES}
    for line in output.open(encoding="utf-8"):
        article = json.loads(line)
        for table in SPAN_TABLES:
            rows[table] += [_json_row(table, article["id"], span) for span in article[table]]
    return {table: sorted(found) for table, found in rows.items()}, seconds


def _json_row(table: str, article_id: str, span: dict) -> tuple:
    base = (article_id, span["start"], span["end"], span["text"])
    if table == "quotes":
        speaker, cue = span.get("speaker") or {}, span.get("cue") or {}
        named = speaker.get("name") or None  # the JSON's speaker without a name is the table's null
        return base + (span["kind"], named, speaker.get("start") if named else None,
                       speaker.get("end") if named else None, cue.get("text"), cue.get("lemma") or None,
                       cue.get("start"), cue.get("end"))
    if table == "claims":
        return base + (span["kind"], round(span["score"], SCORE_DIGITS), tuple(span["actors"]))
    return base + (span["technique"], round(span["score"], SCORE_DIGITS), round(span["technique_score"], SCORE_DIGITS))


def batch_rows(out: Path) -> dict[str, list]:
    rows: dict[str, list] = {}
    for table in SPAN_TABLES:
        found = []
        for r in ds.dataset(out / table).to_table().to_pylist():
            base = (r["article_id"], r["start"], r["end"], r["text"])
            if table == "quotes":
                found.append(base + (r["kind"], r["speaker"], r["speaker_start"], r["speaker_end"], r["cue"],
                                     r["cue_lemma"], r["cue_start"], r["cue_end"]))
            elif table == "claims":
                found.append(base + (r["kind"], round(r["score"], SCORE_DIGITS), tuple(r["actors"])))
            else:
                found.append(base + (r["technique"], round(r["score"], SCORE_DIGITS),
                                     round(r["technique_score"], SCORE_DIGITS)))
        rows[table] = sorted(found)
    return rows


def task_phase(out: Path, workers: int) -> tuple[float, float, float]:
    """From a run's done markers: the makespan of its tasks (first start to last end, the
    cluster's start and model loading excluded), the slack per task (workers x makespan
    minus the time inside tasks, per task: scheduling gaps and the tail), and the cores
    its workers got (CPU seconds inside tasks per second of makespan)."""
    summaries = [json.loads(path.read_text()) for path in (out / "_done" / "analyze").glob("*.json")]
    makespan = max(s["ended"] for s in summaries) - min(s["began"] for s in summaries)
    busy = sum(s["seconds"] for s in summaries)
    cores = sum(s["cpu_seconds"] for s in summaries) / makespan
    return makespan, (workers * makespan - busy) / len(summaries) * 1000, cores


def scheduler_overhead(workers: int = 2, tasks: int = NOOP_TASKS) -> float:
    """Milliseconds of wall time per no-op task on a LocalCluster of `workers` processes."""
    from distributed import Client, LocalCluster, wait

    from parallax.batch.worker import noop_task

    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        client.gather(client.map(noop_task, range(20), pure=False))  # warm: imports, connections
        started = time.monotonic()
        wait(client.map(noop_task, range(tasks), pure=False))
        return (time.monotonic() - started) / tasks * 1000


def stories_agreement(data: Path, work: Path, workers: int) -> tuple[dict[str, float], float, float, float, int]:
    """Per corpus, BCubed F1 of batch stories against one machine's; and the cheap tier's
    core-seconds, the grouping's and the duplicate pass's seconds and the articles, summed
    over the corpora."""
    scores, cheap, grouping, duplicates, articles = {}, 0.0, 0.0, 0.0, 0
    for name, (file, mapping) in STORY_CORPORA.items():
        source, store = data / file, work / f"{name}.db"
        common = [sys.executable, "-m", "parallax.cli"]
        subprocess.run(common + ["ingest", str(source), "--store", str(store), "--map", mapping, "--threads", "1"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(common + ["stories", "--store", str(store)], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        subprocess.run(common + ["export", "--store", str(store), "--to", str(work / f"{name}-one")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report, _ = batch("stories", [source], work / f"{name}-batch", workers, DEFAULT_PARTITION, mapping)
        one = {r["article_id"]: r["story_id"] for r in
               ds.dataset(work / f"{name}-one" / "story_articles.parquet").to_table().to_pylist()}
        mine = {r["article_id"]: r["story_id"] for r in
                ds.dataset(work / f"{name}-batch" / "story_articles").to_table().to_pylist()}
        scores[name] = bcubed(mine, one).f1 if set(mine) == set(one) else 0.0
        cheap += report.cpu_seconds  # sketch and articles tasks
        grouping += report.grouping_seconds
        duplicates += report.duplicate_seconds
        articles += report.rows.get("story_articles", 0)
    return scores, cheap, grouping, duplicates, articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="articles analysed (default 2000)")
    parser.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--no-stories", action="store_true", help="skip the stories comparison")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dask_scale-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / "input.jsonl"
    n = build_input(args.data, args.articles, source)
    runs, load = {}, {}
    for workers in (1, 2):
        load[workers] = os.getloadavg()[0]  # others' work on a shared machine slows the runs
        report, seconds = batch("analyze", [source], work / f"w{workers}", workers, args.partition_size)
        runs[workers] = (report, seconds)
    expected, reference_seconds = reference_rows(source, work)
    equal = all(batch_rows(work / f"w{w}") == expected for w in runs)
    total_rows = sum(len(rows) for rows in expected.values())
    (_, t1), (r2, t2) = runs[1], runs[2]
    (m1, _, c1), (m2, slack, c2) = task_phase(work / "w1", 1), task_phase(work / "w2", 2)
    overhead = scheduler_overhead()
    parts = [f"dask_scale articles={n} partition={args.partition_size}",
             f"analyze workers=1 {t1:.1f} s, workers=2 {t2:.1f} s, speedup={t1 / t2:.2f} (goal >= 1.7); "
             f"tasks only: {m1:.1f} s / {m2:.1f} s, speedup={m1 / m2:.2f}, cores got {c1:.2f} / {c2:.2f} "
             f"(load before {load[1]:.1f} / {load[2]:.1f}); parallax analyze {reference_seconds:.1f} s; "
             f"equal to `parallax analyze`: {'yes' if equal else 'NO'} ({total_rows} rows, "
             f"{runs[1][0].errors}/{r2.errors} errors)",
             f"overhead: {overhead:.1f} ms/task (no-op tasks), slack={slack:.0f} ms/task"]
    deep = r2.cpu_seconds / n * 1000
    cores = f"core-s/1000 articles: deep={deep:.0f}"
    if not args.no_stories:
        scores, cheap, grouping, duplicates, articles = stories_agreement(args.data, work, 2)
        parts.append("stories vs one machine: BCubed F1 " + " ".join(f"{k}={v:.3f}" for k, v in scores.items()))
        cores += (f" cheap={cheap / articles * 1000:.1f} | client s/1000 articles: grouping="
                  f"{grouping / articles * 1000:.2f} duplicates={duplicates / articles * 1000:.2f}")
    print(" | ".join(parts + [cores]), flush=True)


if __name__ == "__main__":
    main()
