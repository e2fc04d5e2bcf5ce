"""Shared set-up of the web tests: a small deep-analysed corpus store and the seeds' texts."""
from __future__ import annotations

import json
from pathlib import Path

from parallax.cli import main
from parallax.config import Config

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "examples/seeds/zerohedge.txt", ROOT / "examples/seeds/globalresearch.md"]

QUAKE = ("A magnitude 7.1 earthquake struck the coast of Chile near Valparaiso on Tuesday, killing at least "
         "12 people and toppling buildings, officials said. Rescue teams searched the rubble in Valparaiso as "
         "aftershocks shook the region. “We are still counting the dead,” said Mayor Jorge Sharp.")
STRIKE = ("Dock workers in Rotterdam walked off the job on Tuesday in a strike over pay, halting container "
          "traffic at Europe's largest port. The union said 3,000 members joined the Rotterdam strike. "
          "“We will stay out until the port pays a fair wage,” union leader Niek Stam said.")
RECORDS = [
    ("q1", "Wire", "Chile earthquake kills 12 near Valparaiso", QUAKE, "2024-03-05"),
    ("q2", "Daily", "Deadly quake hits Chile's Valparaiso coast", QUAKE.replace("at least 12", "at least 14"),
     "2024-03-05"),
    ("q3", "Globe", "Chile quake: rescuers search rubble in Valparaiso", QUAKE[:300], "2024-03-06"),
    ("s1", "Wire", "Rotterdam dock workers strike over pay", STRIKE, "2024-04-15"),
    ("s2", "Globe", "Strike halts Europe's largest port in Rotterdam", STRIKE, "2024-04-15"),
]


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in SEEDS]


def web_config(store: Path, techniques: bool = False) -> Config:
    return Config.resolve(store=str(store), techniques=techniques, threads=2)


def corpus_store(folder: Path) -> Path:
    """Ingest RECORDS with --deep (no techniques: quicker) into a new store; group it."""
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": i, "outlet": o, "title": t, "text": x, "published": d})
                                for i, o, t, x, d in RECORDS) + "\n")
    path = folder / "corpus.db"
    assert main(["ingest", str(corpus), "--store", str(path), "--deep", "--no-techniques"]) == 0
    assert main(["stories", "--store", str(path), "-o", str(folder / "stories.txt")]) == 0
    return path

# Two reports of one strike whose death tolls conflict ("hundreds" against 12).
TOLL_HUNDREDS = ("Russian and Syrian jets bombed eastern Aleppo on Sunday. Residents said hundreds of civilians have "
                 "been killed in Aleppo since the truce fell apart. The United Nations called an emergency meeting "
                 "in New York.")
TOLL_TWELVE = ("Warplanes struck eastern Aleppo on Sunday. Only 12 civilians have been killed in Aleppo since the "
               "truce fell apart, the Syrian government said. The United Nations called an emergency meeting in "
               "New York.")
