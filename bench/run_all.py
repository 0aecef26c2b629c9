"""Run every benchmark (each in its own process, so peak memory is per benchmark) and rebuild BENCHMARKS.md.

Run: python -m bench.run_all [--only langid,segment,...] [--collect-only]
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# name -> module; the order is the order of sections in BENCHMARKS.md
BENCHES = {
    "langid": "bench.bench_langid",
    "segment": "bench.bench_segment",
    "themes": "bench.bench_themes",
    "claims": "bench.bench_claims",
    "pipeline": "bench.bench_pipeline",
    "large_input": "bench.bench_large_input",
}
INTRO = """# Benchmarks

Measured by the scripts in `bench/` on the project's standard machine (2 cores, 24 GiB, no GPU), offline.
Each section is the file of the same name in `bench/results/`, written by its script; `make bench` reruns
them all (`python -m bench.run_all`). Tests never assert on these figures.
"""


def collect() -> str:
    parts = [
        INTRO,
        f"Assembled {datetime.now(UTC):%Y-%m-%d} with Python {platform.python_version()}; each section is its script's "
        "last run (`make bench` reruns all of them on one day).",
        "",
    ]
    for path in sorted(RESULTS.glob("*.md"), key=lambda p: (_order(p.stem), p.stem)):
        section = path.read_text(encoding="utf-8").rstrip() + "\n"
        if section.startswith("# "):  # one title for the whole file: sections start at level 2
            section = "#" + section
        parts.append(section)
    text = "\n".join(parts)
    (ROOT / "BENCHMARKS.md").write_text(text, encoding="utf-8")
    return text


def _order(stem: str) -> int:
    for i, name in enumerate(BENCHES):
        if stem.startswith(name):
            return i
    return len(BENCHES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(BENCHES))
    parser.add_argument("--collect-only", action="store_true")
    args = parser.parse_args()
    failed = []
    if not args.collect_only:
        names = [n for n in args.only.split(",") if n] or list(BENCHES)
        for name in names:
            print(f"== {name}", flush=True)
            if subprocess.call([sys.executable, "-m", BENCHES[name]], cwd=ROOT) != 0:
                failed.append(name)
    collect()
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
