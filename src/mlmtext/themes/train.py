"""Fit the theme and relevance models for one embedder from the labelled corpora, and save them.

    python -m mlmtext.themes.train --embedder use      # writes src/mlmtext/models/themes/use.{npz,json}

Deterministic: same data, embedder and random state give the same arrays (and the same files).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mlmtext import __version__
from mlmtext.embed import CachedEmbedder, get_embedder
from mlmtext.errors import ModelNotFittedError
from mlmtext.themes import artifacts
from mlmtext.themes.artifacts import FittedThemes
from mlmtext.themes.corpus import (
    LabelledDocument,
    LabelledPassage,
    load_passages_file,
    load_sample,
    models_dir,
    training_hash,
)
from mlmtext.themes.discover import calibrate_threshold
from mlmtext.themes.lexical import content_lemmas_many
from mlmtext.themes.model import ThemeModel
from mlmtext.themes.relevance import RelevanceModel
from mlmtext.themes.taxonomy import Taxonomy, load_taxonomy


@dataclass
class TrainingSet:
    passages: list[LabelledPassage]
    documents: list[LabelledDocument]  # sample posts; their passages index into ``passages``
    X: np.ndarray
    lemmas: list[list[str]]
    Y: np.ndarray
    theme_ids: list[str]
    prototype_vectors: list[np.ndarray]

    @property
    def groups(self) -> list[str]:
        return [p.group for p in self.passages]


def prepare(embedder: CachedEmbedder, taxonomy: Taxonomy | None = None) -> TrainingSet:
    """Read the corpora, embed and lemmatise every labelled passage and every prototype text."""
    taxonomy = taxonomy or load_taxonomy()
    theme_ids = list(taxonomy.ids)
    file_passages = load_passages_file()
    sample_passages, documents = load_sample()
    offset = len(file_passages)
    passages = file_passages + sample_passages
    documents = [
        LabelledDocument(d.id, d.lang, d.relevant, d.themes, tuple(i + offset for i in d.passages), d.text)
        for d in documents
    ]
    if not passages:
        raise ModelNotFittedError("no labelled passages found under corpora/: cannot fit the theme model")
    texts = [p.text for p in passages]
    X = embedder.embed(texts)
    lemmas = content_lemmas_many(texts, [p.lang for p in passages])
    index = {t: k for k, t in enumerate(theme_ids)}
    Y = np.zeros((len(passages), len(theme_ids)), dtype=np.int8)
    for i, p in enumerate(passages):
        for t in p.themes:
            if t in index and p.relevant:
                Y[i, index[t]] = 1
    protos = [embedder.embed([text for _, text in taxonomy.get(t).prototype_texts()]) for t in theme_ids]
    return TrainingSet(passages, documents, X, lemmas, Y, theme_ids, protos)


def relevance_examples(
    ts: TrainingSet,
) -> tuple[np.ndarray, list[str], list[list[str]], list[bool], list[str]]:
    """Documents for the relevance model: each stand-alone passage, and each sample post (mean vector)."""
    rows, texts, lemmas, ys, groups = [], [], [], [], []
    in_docs = {i for d in ts.documents for i in d.passages}
    for i, p in enumerate(ts.passages):
        if i in in_docs:
            continue
        rows.append(ts.X[i])
        texts.append(p.text)
        lemmas.append(ts.lemmas[i])
        ys.append(p.relevant)
        groups.append(p.group)
    for d in ts.documents:
        if not d.passages:
            continue
        rows.append(ts.X[list(d.passages)].mean(axis=0))
        texts.append(d.text)
        lemmas.append([w for i in d.passages for w in ts.lemmas[i]])
        ys.append(d.relevant)
        groups.append(f"s:{d.id}")
    return np.asarray(rows, dtype=np.float32), texts, lemmas, ys, groups


def fit_models(ts: TrainingSet, rows: Sequence[int] | None = None, *, random_state: int = 0) -> FittedThemes:
    """Fit both models on ``rows`` of the training set (all rows by default)."""
    idx = np.arange(len(ts.passages)) if rows is None else np.asarray(sorted(rows))
    relevant = np.array([ts.passages[i].relevant for i in idx])
    reference = ts.X[idx][relevant].mean(axis=0) if relevant.any() else None
    themes = ThemeModel(random_state=random_state).fit(
        ts.X[idx],
        [ts.lemmas[i] for i in idx],
        ts.Y[idx],
        theme_ids=ts.theme_ids,
        prototype_vectors=ts.prototype_vectors,
        groups=[ts.passages[i].group for i in idx],
        reference=reference,
    )
    keep = set(idx.tolist())
    sub = TrainingSet(
        [ts.passages[i] for i in idx],
        [],
        ts.X[idx],
        [ts.lemmas[i] for i in idx],
        ts.Y[idx],
        ts.theme_ids,
        ts.prototype_vectors,
    )
    remap = {int(old): new for new, old in enumerate(idx)}
    sub.documents = [
        LabelledDocument(d.id, d.lang, d.relevant, d.themes, tuple(remap[i] for i in d.passages), d.text)
        for d in ts.documents
        if d.passages and all(i in keep for i in d.passages)
    ]
    Xd, texts, lemmas, yd, gd = relevance_examples(sub)
    relevance = RelevanceModel(random_state=random_state).fit(Xd, texts, lemmas, yd, gd)
    # Discovery threshold: the clustering grain that best matches the labelled themes' grain.
    single = [i for i in range(len(sub.passages)) if sub.Y[i].sum() >= 1][:1500]
    primary = [sub.theme_ids[int(np.argmax(sub.Y[i]))] for i in single]
    threshold = calibrate_threshold(themes.centre(sub.X[single]), primary) if len(single) >= 10 else 0.8
    meta = {"discovery": {"distance_threshold": threshold, "calibrated_on": len(single)}}
    return FittedThemes(themes, relevance, meta)


def train(
    spec: str = "use",
    *,
    out_dir: Path | None = None,
    cache_dir: str | None = None,
    random_state: int = 0,
    save: bool = True,
) -> FittedThemes:
    embedder = get_embedder(spec, cache_dir=cache_dir)
    ts = prepare(embedder)
    fitted = fit_models(ts, random_state=random_state)
    fitted.meta.update(
        {
            "embedder": spec,
            "model_id": embedder.model_id,
            "training_hash": training_hash(),
            "n_passages": len(ts.passages),
            "n_documents": len(ts.documents),
            "mlmtext_version": __version__,
            "random_state": random_state,
        }
    )
    if save:
        artifacts.save(fitted, out_dir or models_dir(), artifacts.artefact_key(spec))
    return fitted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlmtext.themes.train", description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="use", help="use | e5 | st:<name-or-path> (default: use)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: the package's models/themes)")
    parser.add_argument("--cache-dir", default=None, help="vector cache folder ('' disables)")
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    fitted = train(args.embedder, out_dir=args.out, cache_dir=args.cache_dir, random_state=args.random_state)
    m, r = fitted.themes.metrics_, fitted.relevance.metrics_
    print(
        f"{fitted.id}: {m['n_passages']} passages, out-of-fold top-1 {m['oof_top1']:.3f} "
        f"(zero-shot {m['zero_shot_top1']:.3f}); relevance "
        f"balanced accuracy {r['oof_balanced_accuracy']:.3f}; "
        f"discovery threshold {fitted.meta['discovery']['distance_threshold']}; "
        f"{time.perf_counter() - start:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
