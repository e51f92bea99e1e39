"""Benchmark: how fast `claims build` makes a database, end to end, and how fast it writes.

Makes a corpus of ``--mb`` megabytes of distinct articles from a JSON Lines corpus (each
copy of an article gets its own last line, so that it is a new document), then prints,
each the median of ``--runs`` runs:

- ``claims build --jobs 1`` and ``--jobs 2`` into a new database: wall time, MB/s, the
  speed-up of two processes (the goal: >= 4 MB/s with --jobs 2, >= 1.5x over --jobs 1);
- the same build again with nothing changed (the goal: < 5 % of the first build);
- the writer alone: documents whose claims were extracted before, stored in batches as a
  build stores them (claim rows/s and MB/s);
- the peak memory of a build (the largest process), at the corpus size and at a fifth
  of it: flat when the build streams.

    python bench/build_speed.py                      # 50 MB of the shared dev corpus
    python bench/build_speed.py articles.jsonl --mb 10 --runs 1

Builds run the installed ``claims`` command next to this Python (``.venv/bin/claims``).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import claims  # noqa: E402
from claims import store  # noqa: E402
from claims.formats import read_documents  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ukraine-news-dev.jsonl"
CLAIMS = Path(sys.executable).with_name("claims")


def make_corpus(source: Path, megabytes: float, out: Path, file_mb: float = 5.0) -> int:
    """Write ``megabytes`` of distinct articles from ``source`` into the folder ``out``, in
    JSON Lines files of about ``file_mb`` (as an archive keeps a file a day); return the
    bytes written."""
    records = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    out.mkdir(parents=True, exist_ok=True)
    written = copy = 0
    while written < megabytes * 1e6:
        with (out / f"part-{copy:07d}.jsonl").open("w", encoding="utf-8") as file:
            in_file = 0
            while in_file < file_mb * 1e6 and written < megabytes * 1e6:
                record = records[copy % len(records)]
                tag = "".join(chr(ord("a") + int(d)) for d in str(copy))  # no digits: no claim
                line = json.dumps(
                    {**record, "id": f"{copy}", "text": f"{record['text']}\n\nCopy {tag}."}
                )
                file.write(line + "\n")
                in_file += len(line.encode("utf-8")) + 1
                copy += 1
            written += in_file
    return written


def run_build(corpus: Path, db: Path, jobs: int) -> tuple[float, int]:
    """Run ``claims build``; return its wall seconds and its largest process's peak KiB."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(CLAIMS), "build", str(corpus), "--db", str(db), "--jobs", str(jobs), "-q"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"claims build failed:\n{done.stderr}")
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def time_builds(corpus: Path, folder: Path, jobs: int, runs: int) -> tuple[float, float, int]:
    """Median seconds of a first build and of the same build again, and the peak KiB."""
    first, again, peak = [], [], 0
    for run in range(runs):
        db = folder / f"jobs{jobs}-{run}.db"
        seconds, kib = run_build(corpus, db, jobs)
        first.append(seconds)
        again.append(run_build(corpus, db, jobs)[0])
        peak = max(peak, kib)
        db.unlink()
    return statistics.median(first), statistics.median(again), peak


def time_writer(corpus: Path, folder: Path, runs: int) -> tuple[float, int, int]:
    """Median seconds to store the corpus's documents with their claims extracted before,
    as ``build`` stores them (batches of documents, one transaction each); the number of
    claims and of documents."""
    docs = list(read_documents([corpus]))  # a folder: its files in order
    found = [claims.extract(doc.text, doc.published) for doc in docs]
    times = []
    for run in range(runs):
        db = store.open_database(folder / f"writer-{run}.db")
        ingest = store._Ingest(db, claims.EXTRACTOR_VERSION)
        start = time.perf_counter()
        with store._indexes_deferred(db):  # as a first build does, their making included
            for first in range(0, len(docs), store.BATCH_SIZE):
                with ingest.batch():
                    for doc, its_claims in zip(
                        docs[first : first + store.BATCH_SIZE],
                        found[first : first + store.BATCH_SIZE],
                        strict=True,
                    ):
                        ingest.add(doc, lambda its_claims=its_claims: its_claims)
        times.append(time.perf_counter() - start)
        db.close()
    return statistics.median(times), sum(map(len, found)), len(docs)


def time_claim_rows(corpus: Path, folder: Path, runs: int) -> tuple[float, int]:
    """Median seconds to insert the corpus's claim rows alone (with their full-text rows,
    the claims indexes made at the end) as a first build's writer does, its documents
    stored before; and the number of rows. News holds about one claim per KB of text, so
    the writer's time goes mostly to documents: this is its speed on claims."""
    docs = list(read_documents([corpus]))
    version = claims.EXTRACTOR_VERSION
    times, count = [], 0
    for run in range(runs):
        db = store.open_database(folder / f"claim-rows-{run}.db")
        ingest = store._Ingest(db, version)
        rows = {}
        with ingest.batch():
            for doc in docs:
                row = {**store.document_row(doc, version), "source_id": None}
                if row["id"] not in rows:
                    store.store_document(db, row, [], version, None, True, True)
                    found = claims.extract(doc.text, doc.published) if run == 0 else []
                    rows[row["id"]] = [
                        store.claim_row(claim, row["id"], version, doc.source, doc.published)
                        for claim in found
                    ]
        if run == 0:
            kept = rows
        start = time.perf_counter()
        with store._indexes_deferred(db), ingest.batch():
            for doc_id, claim_rows in kept.items():
                db.conn.executemany(store._INSERT_CLAIM, claim_rows)
                store._index_text(db, "claims", "document_id = ?", [doc_id])
        times.append(time.perf_counter() - start)
        count = sum(map(len, kept.values()))
        db.close()
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Example: python bench/build_speed.py --mb 20 --runs 3",
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--mb", type=float, default=50.0, help="corpus size to build")
    parser.add_argument("--runs", type=int, default=3, help="runs of each; medians shown")
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"{args.corpus}: no such corpus file (name one: python {sys.argv[0]} FILE)")
    if not CLAIMS.exists():
        sys.exit(f"no claims command next to {sys.executable}: pip install -e . first")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        megabytes = make_corpus(args.corpus, args.mb, corpus) / 1e6
        print(f"corpus: {megabytes:.1f} MB of {args.corpus.name}; medians of {args.runs} runs")

        rows_s, rows = time_claim_rows(corpus, folder, args.runs)
        print(
            f"claim rows alone {rows_s:7.2f} s  {rows / rows_s:8.0f} claim rows/s "
            f"(with full-text rows and indexes; goal: >= 100,000)"
        )

        small = folder / "small"  # first: the peak of children only grows
        make_corpus(args.corpus, args.mb / 5, small)
        _, small_peak = run_build(small, folder / "small.db", 2)

        one, one_again, _ = time_builds(corpus, folder, 1, args.runs)
        two, two_again, peak = time_builds(corpus, folder, 2, args.runs)
        print(f"build --jobs 1   {one:7.2f} s  {megabytes / one:6.2f} MB/s")
        print(
            f"build --jobs 2   {two:7.2f} s  {megabytes / two:6.2f} MB/s  "
            f"speed-up {one / two:.2f}x (goal: >= 4 MB/s, >= 1.5x)"
        )
        print(
            f"again, unchanged {two_again:7.2f} s  {100 * two_again / two:5.1f} % of the first "
            f"build (--jobs 1: {100 * one_again / one:.1f} %; goal: < 5 %)"
        )

        writer, stored, documents = time_writer(corpus, folder, args.runs)
        print(
            f"writer alone     {writer:7.2f} s  {megabytes / writer:6.2f} MB/s  "
            f"{documents / writer:8.0f} documents/s  {stored / writer:8.0f} claim rows/s "
            f"({stored} claims)"
        )

        print(
            f"peak memory      {peak / 1024:7.0f} MB at {megabytes:.0f} MB of input, "
            f"{small_peak / 1024:.0f} MB at {megabytes / 5:.0f} MB (the largest process)"
        )


if __name__ == "__main__":
    main()
