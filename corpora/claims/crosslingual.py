"""Find French/Russian sentences that read like translations of sentences in another language.

The corpus is meant to hold natural, independently written sentences per language, not one text in
three translations. This check embeds every sentence with mlmtext's multilingual embedder (USE v3, no
network) and lists, for each language pair, the sentences whose nearest neighbour in the other language
is closer than --threshold (cosine). It is an authoring aid, not a gate: short claim phrases such as
"it's not a pyramid" / « ce n'est pas une pyramide » are legitimately close.

Usage: PYTHONPATH=src python corpora/claims/crosslingual.py [--threshold 0.75] [--show 20]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PAIRS = (("fr", "en"), ("ru", "en"), ("ru", "fr"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(HERE / "sentences.jsonl"))
    parser.add_argument("--threshold", type=float, default=0.75)
    parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args(argv)

    from mlmtext.embed import get_embedder

    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line]
    embedder = get_embedder("use", cache_dir="")
    by_lang = {lang: [r for r in rows if r["lang"] == lang] for lang in ("en", "fr", "ru")}
    vectors = {lang: embedder.embed([r["text"] for r in rs]) for lang, rs in by_lang.items()}
    for a, b in PAIRS:
        sims = np.asarray(vectors[a] @ vectors[b].T)
        best, nearest = sims.max(axis=1), sims.argmax(axis=1)
        close = np.flatnonzero(best >= args.threshold)
        print(
            f"{a} vs {b}: {len(close)}/{len(best)} sentences at cosine >= {args.threshold}; "
            f"mean nearest-neighbour cosine {best.mean():.3f}"
        )
        for i in close[np.argsort(-best[close], kind="stable")][: args.show]:
            print(f"  {best[i]:.2f} {by_lang[a][i]['id']} {by_lang[a][i]['text']}")
            print(f"       {by_lang[b][nearest[i]]['id']} {by_lang[b][nearest[i]]['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
