"""Fuzzing campaign over the readers (hypothesis at scale); not collected by pytest (name: fuzz_*.py).

    PYTHONPATH=src .venv/bin/python tests/fuzz/fuzz_readers.py --minutes 10

Runs each target in batches of seeded hypothesis runs until its share of the time budget is spent,
counting every example, and prints a table for TESTING.md. Targets: the property tests of
tests/test_robustness_readers.py (random bytes, hostile Unicode, damaged pdf/docx, random folders) and
a mutation fuzzer that corrupts valid seed files of every format (byte flips, inserted junk, cut or
duplicated ranges) and checks the same invariants. A failure stops the campaign and is re-raised with
hypothesis' minimal example.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests import test_robustness_readers as props  # noqa: E402
from tests.loadkit import docx_bytes, pdf_bytes, read  # noqa: E402

COUNT: dict[str, int] = {}


def _seeds() -> dict[str, bytes]:
    ru = "Пассивный доход без вложений, пиши в личку"
    fr = "Gagnez 5000 € par mois, liberté financière"
    return {
        "utf8.txt": f"{fr}\n\n{ru}\n".encode(),
        "cp1251.txt": ru.encode("cp1251"),
        "koi8.txt": ru.encode("koi8-r"),
        "utf16.txt": ru.encode("utf-16"),
        "cp1252.md": fr.encode("cp1252"),
        "page.html": f"<html><head><meta charset='utf-8'><script>x()</script></head><body><nav>m</nav>"
        f"<p>{fr} &amp; co</p><div><p>{ru}</p></div></body></html>".encode(),
        "posts.csv": f'id;message\n1;"{fr}"\n2;"{ru}"\n'.encode(),
        "posts.tsv": f"id\ttext\n1\t{fr}\n".encode("utf-16"),
        "posts.jsonl": (json.dumps({"text": fr}) + "\n" + json.dumps({"text": ru}) + "\n").encode(),
        "posts.json": json.dumps({"messages": [{"text": fr}, {"text": [ru, {"text": "x"}]}]}).encode(),
        "flyer.pdf": pdf_bytes(["Earn 5000 a month", "Join today"]),
        "pitch.docx": docx_bytes(["Rejoins l'équipe", "Доход"], [["a", "b"]]),
    }


SEEDS = _seeds()
mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 0.999), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.floats(0, 0.999), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), st.floats(0, 0.999), st.integers(1, 200)),
    st.tuples(st.just("dup"), st.floats(0, 0.999), st.integers(1, 400)),
    st.tuples(st.just("cut"), st.floats(0, 1.0), st.just(0)),
)


def mutate(data: bytes, ops: list[tuple[str, float, Any]]) -> bytes:
    buf = bytearray(data)
    for op, where, arg in ops:
        i = int(where * len(buf)) if buf else 0
        if op == "flip" and buf:
            buf[i] = arg
        elif op == "insert":
            buf[i:i] = arg
        elif op == "delete":
            del buf[i : i + arg]
        elif op == "dup":
            buf[i:i] = buf[i : i + arg]
        elif op == "cut":
            del buf[i:]
    return bytes(buf)


@given(name=st.sampled_from(sorted(SEEDS)), ops=st.lists(mutation, min_size=1, max_size=6))
def mutated_seed_files(name: str, ops: list[tuple[str, float, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, name).write_bytes(mutate(SEEDS[name], ops))
        docs, skipped = read(tmp)
        props.check_invariants([name], docs, skipped)


def _counted(name: str, fn: Callable[..., None]) -> Callable[..., None]:
    inner = fn.hypothesis.inner_test  # type: ignore[attr-defined]

    def wrapper(*args: Any, **kwargs: Any) -> None:
        COUNT[name] = COUNT.get(name, 0) + 1
        inner(*args, **kwargs)

    fn.hypothesis.inner_test = wrapper  # type: ignore[attr-defined]
    return fn


TARGETS: dict[str, Callable[..., None]] = {
    "random bytes x 9 formats": props.test_random_bytes_in_every_format,
    "hostile unicode, utf-8 round trip": props.test_hostile_unicode_round_trips_in_utf8,
    "hostile unicode, 7 encodings": props.test_hostile_unicode_in_other_encodings,
    "damaged pdf/docx": props.test_damaged_pdf_and_docx,
    "random folders": props.test_random_folders_every_file_accounted,
    "mutated seed files (12 seeds)": mutated_seed_files,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=300)
    args = parser.parse_args()
    share = args.minutes * 60 / len(TARGETS)
    rows = []
    for name, fn in TARGETS.items():
        _counted(name, fn)
        start = time.perf_counter()
        batch = 0
        while time.perf_counter() - start < share:
            # The property tests carry their own settings; hypothesis reads these attributes at run time
            # (internal but stable for years), which avoids re-decorating them.
            fn._hypothesis_internal_use_settings = settings(  # type: ignore[attr-defined]
                max_examples=args.batch, deadline=None, database=None, suppress_health_check=list(HealthCheck)
            )
            fn._hypothesis_internal_use_seed = 1000 + batch  # type: ignore[attr-defined]
            fn()
            batch += 1
        took = time.perf_counter() - start
        rows.append((name, COUNT.get(name, 0), took))
        print(f"{name:40s} {COUNT.get(name, 0):>8,} cases {took:7.1f} s", flush=True)
    total = sum(r[1] for r in rows)
    print(f"{'total':40s} {total:>8,} cases {sum(r[2] for r in rows):7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
