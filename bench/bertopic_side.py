"""BERTopic on the same vectors, run inside bench/.work/venv-bertopic (never a project dependency).

Reads <work>/bertopic_in.npz (paragraph texts and their `use` vectors), fits BERTopic twice with its
multilingual settings on the given embeddings, and writes <work>/bertopic_out.json: per run the topic
of every paragraph, the fit time and the top words of the largest topics.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def main() -> None:
    work = Path(sys.argv[1])
    data = np.load(work / "bertopic_in.npz", allow_pickle=False)
    texts = [str(t) for t in data["texts"]]
    vectors = data["vectors"]
    from bertopic import BERTopic

    runs = []
    for _ in range(2):
        model = BERTopic(language="multilingual")  # its defaults: UMAP + HDBSCAN, min_topic_size=10
        t = time.perf_counter()
        topics, _ = model.fit_transform(texts, embeddings=vectors)
        seconds = time.perf_counter() - t
        info = model.get_topic_info()
        top = []
        for tid in info["Topic"].tolist()[:4]:
            words = [w for w, _ in (model.get_topic(tid) or [])][:8]
            top.append({"topic": int(tid), "size": int((np.asarray(topics) == tid).sum()), "words": words})
        runs.append({"topics": [int(x) for x in topics], "seconds": seconds, "top": top})
    (work / "bertopic_out.json").write_text(json.dumps({"runs": runs}, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
