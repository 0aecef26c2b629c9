"""Re-check the claim flagger's floors for model-only flags on the development sets, after a retrain.

Run: python -m bench.claims_floors

The floors (:class:`mlmtext.claims.flagger.ClaimFlagger`: ``threshold_pitch`` in a document where the rules found
an asserted claim, ``threshold_alone`` elsewhere) are chosen on whole posts of the development sets, the sample
corpus and ``corpora/claims/dev-posts`` (never the held-out posts): document x category F1 on asserted claims,
summed over both sets. Prints one line per setting with that F1 and the count of negated/reported-only categories
flagged asserted; the choice stays a person's (so far: change the floors only for a setting that beats the shipped
one by more than one document-category without more confusion).
"""

from __future__ import annotations

from mlmtext.claims import ClaimFlagger
from mlmtext.claims.train import prf

from .bench_claims import ROOT, score_documents
from .claims_rule_errors import DOC_SETS

GRID = ((0.3, 0.5), (0.4, 0.4), (0.4, 0.5), (0.4, 0.6), (0.5, 0.5), (0.5, 0.6), (0.5, 0.7), (0.6, 0.6), (0.6, 0.7))


def main() -> None:
    shipped = ClaimFlagger()
    clf = shipped.classifier()
    print(f"model {clf.model_id_}; shipped floors pitch {shipped.threshold_pitch} / alone {shipped.threshold_alone}")
    for pitch, alone in GRID:
        flagger = ClaimFlagger(classifier=clf, threshold_pitch=pitch, threshold_alone=alone)
        tp = fp = fn = confused = 0
        parts = []
        for name, folder, labels in DOC_SETS:
            res = score_documents(ROOT / folder, ROOT / labels, flagger)
            m, (c, other) = res["scores"]["flagger"], res["confusion"]["flagger"]
            tp, fp, fn, confused = tp + m["tp"], fp + m["fp"], fn + m["fn"], confused + c
            parts.append(f"{name} F1 {m['f1']:.3f} ({c} of {other})")
        both = prf(tp, fp, fn)
        print(f"pitch {pitch} / alone {alone}: both F1 {both['f1']:.3f}, confused {confused}; " + "; ".join(parts))


if __name__ == "__main__":
    main()
