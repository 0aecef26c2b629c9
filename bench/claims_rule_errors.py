"""Rule errors on the *training* part of the labelled claim sentences, for writing rules honestly.

Run: python -m bench.claims_rule_errors [--lang en] [--list misses|false|confused] [--part write|check]

The training part (held-out sentences are never read here: :func:`mlmtext.claims.train.is_test`) is cut in two
by a hash of the id: the *write* half is the one whose errors a rule author may read; the *check* half is only
scored. A rule that fixes a wording of the write half and also lifts recall on the check half generalises; one
that only lifts the write half fits the sentences it was written from. Rules alone (no classifier), stance as the
cue lists give it. Also counts asserted rule flags on text that makes no claim: the background negatives and the
advice sentences of the theme corpus, those a rule fires on included (the count before a change is the baseline).
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from mlmtext.claims import ClaimFlagger
from mlmtext.claims.background import advice_sentences
from mlmtext.claims.train import DEFAULT_BACKGROUND, DEFAULT_DATA, is_test, load_sentences

from .bench_claims import ROOT, _flag_predictor, _score, score_documents

# Development sets of whole posts (never the held-out posts of corpora/claims/posts).
DOC_SETS = (
    ("sample corpus", "corpora/sample", "corpora/labels/sample.jsonl"),
    ("dev posts", "corpora/claims/dev-posts", "corpora/claims/dev-posts.jsonl"),
)


def part_of(sentence_id: str) -> str:
    """``write`` (errors may be read) or ``check`` (only scored), about half each, stable per id."""
    return "write" if int(hashlib.sha256(f"rule-part:{sentence_id}".encode()).hexdigest()[:8], 16) % 2 else "check"


def _errors(rows: Sequence[dict[str, Any]], predict: Callable[[dict[str, Any]], set[str]], kind: str) -> list[str]:
    out = []
    for r in rows:
        pred = predict(r)
        gold = {lab["category"] for lab in r["labels"] if lab["stance"] == "asserted"}
        other = {lab["category"] for lab in r["labels"] if lab["stance"] != "asserted"} - gold
        wrong = {"misses": gold - pred, "false": pred - gold - other, "confused": pred & other}[kind]
        if wrong:
            labels = "; ".join(f"{lab['category']}.{lab['stance']}: {lab['text']}" for lab in r["labels"])
            out.append(f"{r['id']} [{', '.join(sorted(wrong))}] {r['text']}\n    gold: {labels or '-'}")
    return out


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", choices=("en", "fr", "ru"), help="one language (default: all)")
    ap.add_argument("--list", choices=("misses", "false", "confused"), help="print these errors of --part")
    ap.add_argument("--part", choices=("write", "check"), default="write")
    ap.add_argument("--docs", action="store_true", help="also score whole posts: the sample corpus, the dev posts")
    args = ap.parse_args(argv)
    if args.list and args.part == "check":
        ap.error("the check half is only scored: read the errors of the write half")
    langs = [args.lang] if args.lang else ["en", "fr", "ru"]
    train = [r for r in load_sentences(DEFAULT_DATA) if not is_test(r["id"]) and r["lang"] in langs]
    flagger = ClaimFlagger(use_classifier=False)
    predict = _flag_predictor(flagger)
    for part in ("write", "check"):
        rows = [r for r in train if part_of(r["id"]) == part]
        res = _score(rows, predict)
        m, c = res["all"], res["confusion"]
        print(
            f"{part:5} half: {len(rows)} sentences, rules P {m['precision']:.3f} R {m['recall']:.3f} "
            f"F1 {m['f1']:.3f} (tp {m['tp']} fp {m['fp']} fn {m['fn']}); stance confusion "
            f"{c.get('flagged_same', 0)} of {c.get('sentences', 0)}"
        )
    no_claim = load_sentences(DEFAULT_BACKGROUND) + advice_sentences(skip_rule_hits=False)
    negatives = [r for r in no_claim if r["lang"] in langs]
    flagged = [r for r in negatives if predict(r)]
    print(f"no-claim text: {len(flagged)} of {len(negatives)} sentences get an asserted rule flag")
    if args.docs:
        for name, folder, labels in DOC_SETS:
            res = score_documents(ROOT / folder, ROOT / labels, flagger)
            m, (confused, other) = res["scores"]["flagger"], res["confusion"]["flagger"]
            print(
                f"{name}: {res['docs']} posts, rules P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}; "
                f"negated/reported-only categories flagged asserted: {confused} of {other}"
            )
            for lang in langs if args.lang else ():
                f = res["by_folder"].get(lang, {})
                print(
                    f"  {lang} folder: P {f.get('precision', 0):.3f} R {f.get('recall', 0):.3f} F1 {f.get('f1', 0):.3f}"
                )
    if args.list:
        rows = [r for r in train if part_of(r["id"]) == args.part]
        errors = _errors(rows, predict, args.list)
        if args.list == "false":
            errors += [f"{r['id']} [{', '.join(sorted(predict(r)))}] {r['text']}" for r in flagged]
        print(f"\n{len(errors)} {args.list} in the {args.part} half:")
        print("\n".join(errors))


if __name__ == "__main__":
    main()
