"""Themes: accuracy on held-out labelled passages and documents, relevance, throughput and memory.

Run: python -m bench.bench_themes [--embedders use,e5] [--posts 1000] [--cache-dir DIR]
     (writes bench/results/themes.md)

Honest evaluation: 5-fold cross-validation grouped so that a passage is never evaluated by a model that
saw it or its translation (passages "en-0001"/"fr-0001"/"ru-0001" share a fold) and a sample post's
paragraphs stay together. Document level: the sample posts of the held-out fold go through the real
pipeline (load, language, segmentation with boilerplate, themes) with the fold's models.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

import mlmtext
from mlmtext.config import AnalyzeConfig
from mlmtext.embed import CachedEmbedder, get_embedder
from mlmtext.themes import ThemeStage
from mlmtext.themes.corpus import SAMPLE_DIR
from mlmtext.themes.model import unit_rows
from mlmtext.themes.train import TrainingSet, fit_models, prepare, relevance_examples
from mlmtext.types import Document, Passage

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "themes.md"
WORK = ROOT / "bench" / ".work"
FOLDS = 5


def _topk(scores: np.ndarray, Y: np.ndarray, k: int) -> np.ndarray:
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.asarray(np.take_along_axis(Y, order, axis=1).any(axis=1))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def passage_cv(ts: TrainingSet) -> dict[str, Any]:
    """Out-of-fold passage scores of the full model and of the zero-shot baselines; relevance too."""
    groups = np.array(ts.groups)
    n, k = ts.Y.shape
    full = np.zeros((n, k), dtype=np.float32)
    assigned = np.zeros((n, k), dtype=bool)
    raw_proto = np.zeros((n, k), dtype=np.float32)
    centred_proto = np.zeros((n, k), dtype=np.float32)
    Xr, texts_r, lem_r, y_r, g_r = relevance_examples(ts)
    rel_oof = np.zeros(len(y_r), dtype=np.float32)
    fold_of_group: dict[str, int] = {}
    fits = []
    for f, (tr, te) in enumerate(GroupKFold(n_splits=FOLDS).split(ts.X, groups=groups)):
        fitted = fit_models(ts, tr)
        fits.append((fitted, te))
        m = fitted.themes
        full[te] = m.predict_proba(ts.X[te], [ts.lemmas[i] for i in te])
        assigned[te] = full[te] >= m.thresholds_
        raw = unit_rows(np.stack([v.mean(axis=0) for v in ts.prototype_vectors]))
        raw_proto[te] = ts.X[te] @ raw.T
        centred_proto[te] = m.centre(ts.X[te]) @ m.prototypes_.T
        for gname in set(groups[te]):
            fold_of_group[gname] = f
    # Relevance examples are stand-alone passages and whole sample posts; each falls in its group's fold.
    for f, (fitted, _) in enumerate(fits):
        idx = [i for i, g in enumerate(g_r) if fold_of_group.get(g) == f]
        if idx:
            rel_oof[idx] = fitted.relevance.predict_proba(Xr[idx], [texts_r[i] for i in idx], [lem_r[i] for i in idx])
    return {
        "full": full,
        "assigned": assigned,
        "raw": raw_proto,
        "centred": centred_proto,
        "fits": fits,
        "rel": (rel_oof, np.array(y_r), g_r),
    }


def passage_table(ts: TrainingSet, cv: dict[str, Any], name: str) -> tuple[list[str], dict[str, float]]:
    langs = np.array([p.lang for p in ts.passages])
    has = (ts.Y.sum(axis=1) > 0) & np.array([p.relevant for p in ts.passages])
    Y = ts.Y.astype(bool)
    rows, summary = [], {}
    for label, key in (
        ("prototype similarity (raw)", "raw"),
        ("prototype similarity (centred)", "centred"),
        ("supervised + kNN + lemmas (ours)", "full"),
    ):
        cells = []
        for lang in ("en", "fr", "ru", None):
            mask = has if lang is None else has & (langs == lang)
            t1 = _topk(cv[key][mask], Y[mask], 1).mean()
            t2 = _topk(cv[key][mask], Y[mask], 2).mean()
            cells.append(f"{_pct(t1)} / {_pct(t2)}")
            if lang is None:
                summary[f"{key}_top1"], summary[f"{key}_top2"] = float(t1), float(t2)
        rows.append(f"| {name} | {label} | " + " | ".join(cells) + " |")
    a = cv["assigned"][has]
    tp = float((a & Y[has]).sum())
    prec, rec = tp / max(1.0, float(a.sum())), tp / max(1.0, float(Y[has].sum()))
    summary.update(
        precision=prec,
        recall=rec,
        f1=2 * prec * rec / max(1e-9, prec + rec),
        n=float(has.sum()),
        none=float((~a.any(axis=1)).mean()),
    )
    return rows, summary


def relevance_rows(cv: dict[str, Any], name: str) -> list[str]:
    p, y, g = cv["rel"]
    out = []
    for label, mask in (
        ("stand-alone passages", np.array([not x.startswith("s:") for x in g])),
        ("sample posts", np.array([x.startswith("s:") for x in g])),
    ):
        pred_non = p[mask] < 0.5
        non = ~y[mask].astype(bool)
        tp = float((pred_non & non).sum())
        prec = tp / max(1.0, float(pred_non.sum()))
        rec = tp / max(1.0, float(non.sum()))
        rel_rec = float((~pred_non & ~non).sum()) / max(1.0, float((~non).sum()))
        out.append(
            f"| {name} | {label} | {int(non.sum())} / {int((~non).sum())} | {_pct(prec)} | {_pct(rec)} | "
            f"{_pct(rel_rec)} |"
        )
    return out


def document_eval(ts: TrainingSet, cv: dict[str, Any], emb: CachedEmbedder, name: str) -> tuple[list[str], dict]:
    """Held-out sample posts through the real pipeline with the fold's models."""
    doc_fold = {}
    for f, (_, te) in enumerate(cv["fits"]):
        for i in te:
            if ts.passages[i].doc:
                doc_fold[ts.passages[i].doc] = f
    labelled = {d.id: d for d in ts.documents}
    per_lang: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
    non_mlm_themed = []
    preds: dict[str, list[str]] = {}
    stage_seconds = 0.0
    report = None
    for f, (fitted, _) in enumerate(cv["fits"]):
        stage = TimedStage(AnalyzeConfig(claims=False), embedder=emb, fitted=fitted)
        report = mlmtext.analyze([SAMPLE_DIR], AnalyzeConfig(claims=False), theme_stage=stage)
        stage_seconds += stage.seconds
        for d in report.documents:
            lab = labelled.get(d.document.id)
            if lab is None or doc_fold.get(d.document.id) != f:
                continue
            preds[d.document.id] = [t.id for t in d.themes]
            if not lab.relevant:
                non_mlm_themed.append(bool(d.themes))
                continue
            got = [t.id for t in d.themes]
            lang = d.document.id.split("/")[0]
            per_lang[lang].append(
                (bool(got[:1]) and got[0] in lab.themes, any(t in lab.themes for t in got[:2]), not got)
            )
    rows = []
    summary: dict[str, Any] = {}
    for lang in ("en", "fr", "ru", "mixed", "all"):
        res = [r for k, v in per_lang.items() for r in v] if lang == "all" else per_lang.get(lang, [])
        if not res:
            continue
        t1 = sum(r[0] for r in res) / len(res)
        t2 = sum(r[1] for r in res) / len(res)
        rows.append(f"| {name} | {lang} | {len(res)} | {_pct(t1)} | {_pct(t2)} | {sum(r[2] for r in res)} |")
        if lang == "all":
            summary = {
                "doc_top1": t1,
                "doc_top2": t2,
                "non_mlm_themed": sum(non_mlm_themed),
                "non_mlm": len(non_mlm_themed),
            }
    summary["preds"] = preds
    summary["stage_seconds_per_run"] = stage_seconds / max(1, len(cv["fits"]))
    summary["report"] = report
    return rows, summary


class TimedStage(ThemeStage):
    """The theme stage, timing its work: the pipeline streams batches through ``start()``'s run (``score`` per
    batch, ``finish`` once), and ``run`` does the same in one call."""

    seconds = 0.0

    def start(self, scratch: Path | None = None) -> Any:
        run = super().start(scratch)
        for name in ("score", "finish"):
            setattr(run, name, self._timed(getattr(run, name)))
        return run

    def _timed(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t

        return timed


def bertopic_comparison(ts: TrainingSet, emb: CachedEmbedder, dsum: dict[str, Any]) -> list[str]:
    """BERTopic (its multilingual settings, the same `use` vectors) vs ours, at document level."""
    import json
    import subprocess

    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    python = WORK / "venv-bertopic" / "bin" / "python"
    if not python.is_file():
        return ["BERTopic comparison skipped: bench/.work/venv-bertopic is not installed."]
    report = dsum["report"]
    # Relevant labelled posts that were held out in some fold (a post none of whose anchors matched a
    # paragraph has no labelled passage, so no fold, and is left out here as in the table above).
    labels = {d.id: d.themes[0] for d in ts.documents if d.relevant and d.themes and d.id in dsum["preds"]}
    paras = [p for p in report.passages if not p.is_boilerplate and p.doc_id in labels]
    vectors = emb.embed([p.text for p in paras])
    np.savez(WORK / "bertopic_in.npz", texts=np.array([p.text for p in paras]), vectors=vectors)
    subprocess.run([str(python), str(ROOT / "bench" / "bertopic_side.py"), str(WORK)], check=True)
    out = json.loads((WORK / "bertopic_out.json").read_text("utf-8"))
    docs = sorted(labels)
    truth = [labels[d] for d in docs]

    def doc_topics(topics: list[int]) -> list[str]:
        by_doc: dict[str, list[int]] = defaultdict(list)
        for p, t in zip(paras, topics, strict=True):
            by_doc[p.doc_id].append(t)
        result = []
        for d in docs:
            found = [t for t in by_doc.get(d, []) if t != -1]
            result.append(str(max(sorted(set(found)), key=found.count)) if found else "outlier")
        return result

    runs = out["runs"]
    bt = doc_topics(runs[0]["topics"])
    ours = [(dsum["preds"].get(d) or ["none"])[0] for d in docs]
    para_topics = np.array(runs[0]["topics"])
    real = [x for x in runs[0]["top"] if x["topic"] != -1] or runs[0]["top"]
    largest = max(real, key=lambda x: x["size"])
    same = runs[0]["topics"] == runs[1]["topics"]
    return [
        "| method | ARI (docs) | NMI (docs) | labelled posts left as outliers / without theme | "
        "paragraphs in the outlier topic | largest topic (its top words) | two runs identical | time |",
        "|---|---|---|---|---|---|---|---|",
        f"| BERTopic (multilingual, `use` vectors) | {adjusted_rand_score(truth, bt):.3f} | "
        f"{normalized_mutual_info_score(truth, bt):.3f} | {bt.count('outlier')} of {len(docs)} | "
        f"{_pct(float((para_topics == -1).mean()))} | {_pct(largest['size'] / len(paras))} "
        f"({', '.join(largest['words'][:6])}) | {'yes' if same else 'no'} "
        f"(ARI {adjusted_rand_score(runs[0]['topics'], runs[1]['topics']):.2f}) | "
        f"{runs[0]['seconds']:.1f} s fit |",
        f"| ours (held-out folds) | {adjusted_rand_score(truth, ours):.3f} | "
        f"{normalized_mutual_info_score(truth, ours):.3f} | {ours.count('none')} of {len(docs)} | "
        "no outlier topic | - | yes (tested) | "
        f"{dsum['stage_seconds_per_run']:.1f} s stage |",
        "",
        f"Time ratio BERTopic fit / our whole theme stage: "
        f"{runs[0]['seconds'] / max(1e-9, dsum['stage_seconds_per_run']):.1f}x ({len(paras)} non-boilerplate "
        f"paragraphs of {len(docs)} labelled MLM posts; document label = its first labelled theme; a "
        "BERTopic document's topic = the majority non-outlier topic of its paragraphs).",
    ]


# ---- throughput ---------------------------------------------------------------------------------
def synthetic_posts(ts: TrainingSet, n_posts: int, words: int = 300, seed: int = 0) -> list[tuple[str, str]]:
    """Posts of about ``words`` words whose paragraphs mix sentences of labelled passages of one language
    (so no two paragraphs repeat and the cache cannot cheat)."""
    rng = random.Random(seed)
    by_lang: dict[str, list[str]] = defaultdict(list)
    for p in ts.passages:
        if p.relevant:
            by_lang[p.lang].extend(s for s in re.split(r"(?<=[.!?…])\s+", p.text) if len(s.split()) >= 4)
    posts = []
    for i in range(n_posts):
        lang = ("en", "fr", "ru")[i % 3]
        paras, count = [], 0
        while count < words:
            para = " ".join(rng.sample(by_lang[lang], rng.randint(2, 4)))
            paras.append(para)
            count += len(para.split())
        posts.append((lang, "\n\n".join(paras)))
    return posts


def _docs(posts: Sequence[tuple[str, str]]) -> tuple[list[Document], list[Passage]]:
    docs, passages = [], []
    for i, (lang, text) in enumerate(posts):
        did = f"post-{i:05d}.txt"
        docs.append(Document(did, did, "txt", "utf-8", text, "", lang=lang))
        pos = 0
        for k, para in enumerate(text.split("\n\n")):
            start = text.index(para, pos)
            pos = start + len(para)
            passages.append(Passage(did, k, start, pos, para, lang=lang))
    return docs, passages


class TimedEmbedder(CachedEmbedder):
    """Counts the seconds spent inside the model."""

    def __init__(self, inner: CachedEmbedder) -> None:
        super().__init__(inner.backend, inner.cache)
        self.seconds = 0.0
        encode = self.backend.encode

        def timed(texts: list[str]) -> np.ndarray:
            t = time.perf_counter()
            try:
                return encode(texts)
            finally:
                self.seconds += time.perf_counter() - t

        self._timed = timed

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        original = self.backend.encode
        self.backend.encode = self._timed
        try:
            return super().embed(texts)
        finally:
            self.backend.encode = original


def throughput(ts: TrainingSet, spec: str, n_posts: int, fitted: Any) -> str:
    docs, passages = _docs(synthetic_posts(ts, n_posts))
    words = sum(len(d.text.split()) for d in docs)
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        emb = TimedEmbedder(get_embedder(spec, cache_dir=tmp))
        stage = ThemeStage(AnalyzeConfig(cache_dir=tmp), embedder=emb, fitted=fitted)
        t = time.perf_counter()
        result = stage.run(docs, passages)
        total = time.perf_counter() - t
        emb2 = TimedEmbedder(get_embedder(spec, cache_dir=tmp))
        t = time.perf_counter()
        ThemeStage(AnalyzeConfig(cache_dir=tmp), embedder=emb2, fitted=fitted).run(docs, passages)
        cached = time.perf_counter() - t
    other = total - emb.seconds
    discovered = sum(1 for th in result.themes if not th.builtin)
    return (
        f"| {spec} | {n_posts} posts, {len(passages)} passages, {words} words | {total:.1f} s "
        f"({n_posts / total:.1f} posts/s) | {emb.seconds:.1f} s | {_pct(other / total)} | {cached:.1f} s "
        f"(embedded {emb2.misses}) | {discovered} |"
    )


# ---- memory at scale ----------------------------------------------------------------------------
class JitterEmbedder:
    """Stands in for a model at 50,000 passages: a real training vector picked by text hash, plus noise.

    Keeps the structure of real vectors without an hour of embedding; the theme stage's own memory is
    what is measured."""

    def __init__(self, base: np.ndarray) -> None:
        self.base = base
        self.model_id = "jitter"
        self.dim = base.shape[1]
        self.misses = self.hits = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            h = abs(hash(t))
            rng = np.random.default_rng(h % (2**32))
            out[i] = self.base[h % len(self.base)] + 0.05 * rng.normal(size=self.dim)
        return unit_rows(out)

    def info(self) -> dict[str, str]:
        return {"model_id": self.model_id}


def memory_scaling(ts: TrainingSet, fitted: Any, sizes: Sequence[int]) -> list[str]:
    rows = []
    for n in sizes:
        posts = synthetic_posts(ts, max(1, n // 2), words=120, seed=n)  # >= n passages, then cut
        docs, passages = _docs(posts)
        passages = passages[:n]
        docs = [d for d in docs if d.id in {p.doc_id for p in passages}]
        stage = ThemeStage(AnalyzeConfig(cache_dir=""), embedder=JitterEmbedder(ts.X), fitted=fitted)
        tracemalloc.start()
        t = time.perf_counter()
        result = stage.run(docs, passages)
        seconds = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        disc = result.info["discovery"]
        rows.append(
            f"| {len(passages):,} | {peak / 2**20:.0f} MiB | {peak / len(passages) / 1024:.1f} KiB | "
            f"{seconds:.1f} s | {disc['clusters']} | {disc['unassigned']} |"
        )
    return rows


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedders", default="use,e5")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--e5-posts", type=int, default=100)
    parser.add_argument("--sizes", default="5000,20000,50000")
    parser.add_argument("--cache-dir", default=str(WORK / "cache"))
    parser.add_argument("--no-bertopic", dest="bertopic", action="store_false")
    parser.add_argument("--skip-scale", action="store_true", help="skip throughput and memory runs")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    specs = [s for s in args.embedders.split(",") if s]
    p_rows, r_rows, d_rows, t_rows, summaries = [], [], [], [], {}
    mem_rows: list[str] = []
    bt_rows: list[str] = ["BERTopic comparison not run."]
    for spec in specs:
        t0 = time.perf_counter()
        emb = get_embedder(spec, cache_dir=args.cache_dir)
        ts = prepare(emb)
        cv = passage_cv(ts)
        rows, summary = passage_table(ts, cv, spec)
        p_rows += rows
        r_rows += relevance_rows(cv, spec)
        rows, dsum = document_eval(ts, cv, emb, spec)
        d_rows += rows
        summaries[spec] = {**summary, **{k: v for k, v in dsum.items() if k not in ("report", "preds")}}
        if spec == "use" and args.bertopic:
            bt_rows = bertopic_comparison(ts, emb, dsum)
        full = fit_models(ts)
        if not args.skip_scale:
            t_rows.append(throughput(ts, spec, args.posts if spec == "use" else args.e5_posts, full))
        if spec == "use" and not args.skip_scale:
            mem_rows = memory_scaling(ts, full, [int(s) for s in args.sizes.split(",") if s])
        print(f"{spec}: done in {time.perf_counter() - t0:.0f} s", flush=True)
    lines = [
        "## Themes",
        "",
        f"Labelled data: {len(ts.passages)} passages (corpora/themes/passages.jsonl and the non-boilerplate "
        f"paragraphs of corpora/sample), {len(ts.documents)} sample posts. {FOLDS}-fold cross-validation "
        "grouped by post and by translation group: every figure is on passages or posts held out from "
        "training (hyper-parameters were chosen once by this same cross-validation on `use`, so the "
        "`use` figures are slightly optimistic).",
        "",
        "### Passage level (held out): top-1 / top-2 accuracy (a hit when a predicted theme is one of the "
        "passage's labelled themes)",
        "",
        "| embedder | method | en | fr | ru | all |",
        "|---|---|---|---|---|---|",
        *p_rows,
        "",
        "Multi-label assignment at the calibrated per-theme thresholds (relevant labelled passages): "
        + "; ".join(
            f"`{s}` precision {_pct(v['precision'])}, recall {_pct(v['recall'])}, F1 {_pct(v['f1'])}, "
            f"{_pct(v['none'])} left without a built-in theme"
            for s, v in summaries.items()
        )
        + ".",
        "",
        "### Document level (held-out sample posts through the real pipeline)",
        "",
        "| embedder | language | posts | top-1 | top-2 | posts with no theme |",
        "|---|---|---|---|---|---|",
        *d_rows,
        "",
        "Non-MLM sample posts that received a theme: "
        + ", ".join(f"`{s}` {v.get('non_mlm_themed', 0)} of {v.get('non_mlm', 0)}" for s, v in summaries.items())
        + ".",
        "",
        "### Relevance (held out): detecting non-MLM texts (`mlm_relevance` < 0.5)",
        "",
        "| embedder | texts | non-MLM / MLM | precision (non-MLM) | recall (non-MLM) | MLM kept |",
        "|---|---|---|---|---|---|",
        *r_rows,
        "",
        "### Throughput of the theme stage (fresh vector cache, then a second run)",
        "",
        "| embedder | input | first run | of which embedding | not embedding | second run | discovered |",
        "|---|---|---|---|---|---|---|",
        *t_rows,
        "",
        "### Memory of the theme stage at scale (`use`-like vectors, see JitterEmbedder)",
        "",
        "| passages | peak traced memory | per passage | time | discovered themes | unassigned |",
        "|---|---|---|---|---|---|",
        *mem_rows,
        "",
        "### Side by side with BERTopic (document level, sample posts)",
        "",
        *bt_rows,
        "",
        f"Process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB. "
        f"Machine: {os.cpu_count()} cores, shared.",
        "",
    ]
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return text


if __name__ == "__main__":
    main()
