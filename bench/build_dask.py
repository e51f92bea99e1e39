"""Benchmark: `claims build` in one process, in a pool of two, and on a Dask LocalCluster of
two workers, over the same JSON Lines corpus, each into a new database.

Prints the wall time and MB/s of each (the cluster's start and the cross-referencing
included), and checks that the three databases hold the same claims.

    python bench/build_dask.py                          # the shared dev corpus
    python bench/build_dask.py articles.jsonl --copies 4 --workers 4

``--copies N`` builds N copies of the corpus, each text marked as its copy so that every
one is extracted, for a longer run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlite_utils import Database  # noqa: E402

from claims.distributed import PARTITION_BYTES, build_on_cluster  # noqa: E402
from claims.store import build  # noqa: E402

DEFAULT_CORPUS = Path("../shared/corpus/ukraine-news-dev.jsonl")


def copied(corpus: Path, copies: int, folder: Path) -> Path:
    """The corpus, or a file of ``copies`` copies of it whose texts and ids differ."""
    if copies == 1:
        return corpus
    lines = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for record in lines:
                text = f"{record['text']}\n\nCopy {copy}."
                out.write(json.dumps({**record, "id": f"{record.get('id')}-{copy}", "text": text}))
                out.write("\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=1, help="build N copies of the corpus")
    parser.add_argument("--workers", type=int, default=2, help="processes and Dask workers")
    parser.add_argument("--partition-bytes", type=int, default=PARTITION_BYTES)
    args = parser.parse_args()
    if not args.corpus.is_file():
        parser.error(f"{args.corpus}: no such file (name a JSON Lines corpus)")
    with tempfile.TemporaryDirectory() as folder:
        corpus = copied(args.corpus, args.copies, Path(folder))
        size = corpus.stat().st_size
        many = args.workers
        runs = {
            "--jobs 1": lambda db: build([corpus], db, jobs=1),
            f"--jobs {many}": lambda db: build([corpus], db, jobs=many),
            f"--dask local ({many} workers)": lambda db: build_on_cluster(
                [corpus], db, "local", workers=many, partition_bytes=args.partition_bytes
            ),
        }
        print(f"{corpus.name}: {size / 1e6:.2f} MB")
        claims = {}
        for name, run in runs.items():
            db_path = Path(folder) / f"{len(claims)}.db"
            start = time.perf_counter()
            summary = run(db_path)
            seconds = time.perf_counter() - start
            print(
                f"{name:28} {seconds:6.2f} s  {size / seconds / 1e6:5.2f} MB/s  "
                f"{summary.documents} documents, {summary.claims} claims"
            )
            claims[name] = list(Database(db_path).query("select * from claims order by rowid"))
        same = all(rows == claims["--jobs 1"] for rows in claims.values())
        print("same claims in all three:", "yes" if same else "NO")


if __name__ == "__main__":  # the workers of a cluster import this file again
    main()
