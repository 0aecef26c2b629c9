"""End-to-end ``analyze`` throughput and peak memory on generated posts, with the embedding share of time.

Posts of about 300 words are assembled (seeded) from the team's labelled passages in fr/ru/en, written to a
temporary folder and analysed with every stage on, first with an empty vector cache, then with a warm one.

Run: python -m bench.bench_pipeline [--posts 1000]   (writes bench/results/pipeline.md)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import mlmtext
from mlmtext.config import AnalyzeConfig
from mlmtext.embed import e5_backend, use_backend

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_POST = 300


def _sentences() -> dict[str, list[str]]:
    """Sentences of the team's labelled theme passages and claim sentences, per language."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for name in ("corpora/themes/passages.jsonl", "corpora/claims/sentences.jsonl"):
        for line in (ROOT / name).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                by_lang[row["lang"]].extend(s for s in re.split(r"(?<=[.!?])\s+", row["text"]) if s)
    return by_lang


def generate_posts(folder: Path, n: int, seed: int = 0) -> int:
    """Write ``n`` posts of about WORDS_PER_POST words; returns the number of words written.

    Paragraphs are fresh random draws of 2-5 sentences, so (unlike whole reused passages) nearly every
    passage is a text the embedder has not seen: the cold-cache run measures real embedding work.
    """
    by_lang = _sentences()
    rng = random.Random(seed)
    langs = sorted(by_lang)
    words = 0
    for i in range(n):
        lang = langs[i % len(langs)]
        paragraphs: list[str] = []
        count = 0
        while count < WORDS_PER_POST:
            paragraph = " ".join(rng.sample(by_lang[lang], rng.randint(2, 5)))
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        words += count
        (folder / f"{lang}-{i:05d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    return words


class EncodeTimer:
    """Adds up the seconds spent inside the embedding models' encode calls."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.texts = 0
        self._saved: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> EncodeTimer:
        for cls in (use_backend.UseBackend, e5_backend.E5Backend):
            for name in ("encode", "encode_queries"):
                original = getattr(cls, name)
                self._saved.append((cls, name, original))
                setattr(cls, name, self._wrap(original))
        return self

    def _wrap(self, original: Any) -> Any:
        def timed(backend: Any, texts: list[str]) -> Any:
            start = time.perf_counter()
            try:
                return original(backend, texts)
            finally:
                self.seconds += time.perf_counter() - start
                self.texts += len(texts)

        return timed

    def __exit__(self, *exc: object) -> None:
        for cls, name, original in self._saved:
            setattr(cls, name, original)


def run(posts: int, embedder: str) -> str:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "posts"
        corpus.mkdir()
        words = generate_posts(corpus, posts)
        mlmtext.analyze([ROOT / "corpora/sample/en/01-blog-no-shows.txt"], AnalyzeConfig(embedder=embedder,
                        cache_dir=""))  # load models once, outside the measurement
        for stages, claims in (("all stages", True), ("claims off", False)):
            config = AnalyzeConfig(embedder=embedder, claims=claims, cache_dir=str(Path(tmp) / f"cache-{claims}"))
            for label in ("cold cache", "warm cache"):
                with EncodeTimer() as timer:
                    start = time.perf_counter()
                    report = mlmtext.analyze([corpus], config)
                    total = time.perf_counter() - start
                rows.append((f"{stages}, {label}", len(report.documents), len(report.passages), words, total,
                             timer.seconds, timer.texts))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"## End-to-end `analyze` on {posts} generated posts of ~{WORDS_PER_POST} words (embedder `{embedder}`)",
        "",
        "Posts are fresh random draws of sentences from the team's corpora (`bench/bench_pipeline.py`, seeded).",
        "The claim flagger embeds sentences too (its classifier), so 'all stages' embeds more texts.",
        "",
        "| run | docs | passages | words | total s | docs/s | embedding s | texts embedded | not-embedding share |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, docs, passages, words_n, total, emb, texts in rows:
        lines.append(f"| {label} | {docs} | {passages} | {words_n} | {total:.1f} | {docs / total:.1f} | {emb:.1f} | "
                     f"{texts} | {(total - emb) / total:.0%} |")
    lines += ["", f"Peak RSS of the process (all runs, models loaded): {peak_mb:.0f} MiB", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--embedder", default="use")
    args = parser.parse_args()
    out = run(args.posts, args.embedder)
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / f"bench/results/pipeline-{args.embedder}.md").write_text(out, encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
