"""Benchmark: how fast claims.extract reads news, against a bare regex scan for digits.

Prints sentences/s and MB/s of ``extract`` over a corpus of articles (JSON Lines with a
"text" field, or plain text files), and in the same run of a bare ``re`` scan for digit
runs over the same text, with the ratio between the two (the goal: within 10x).

    python bench/extract_speed.py                       # the shared dev corpus
    python bench/extract_speed.py articles.jsonl --mb 20 --runs 5

Times are the median of ``--runs`` passes, single process, one core. With
``--quantulum N`` (and quantulum3 installed: ``pip install quantulum3``, not a dependency
of claims), quantulum3 parses the first N sentences too, and the ratio of the two speeds
on those sentences is printed (the goal: claims at least 200x faster).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims import extract  # noqa: E402
from claims.sentences import split_sentences  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ukraine-news-dev.jsonl"
_digits = re.compile(r"\d[\d,.]*")


def read_texts(path: Path) -> list[str]:
    """The article texts of a JSON Lines corpus, or the whole file for plain text."""
    if path.suffix == ".jsonl":
        return [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    return [path.read_text(encoding="utf-8")]


def median_seconds(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--mb", type=float, default=5.0, help="repeat the corpus to this size")
    parser.add_argument("--runs", type=int, default=3, help="passes; the median is shown")
    parser.add_argument(
        "--quantulum", type=int, default=0, metavar="N", help="compare quantulum3 on N sentences"
    )
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"{args.corpus}: no such corpus file (name one: python {sys.argv[0]} FILE)")
    texts = read_texts(args.corpus)
    size = sum(len(t.encode("utf-8")) for t in texts)
    copies = max(1, round(args.mb * 1e6 / size))
    texts = texts * copies
    megabytes = size * copies / 1e6
    sentences = sum(len(split_sentences(t)) for t in texts)
    print(
        f"corpus: {args.corpus.name} x{copies} = {megabytes:.1f} MB, {len(texts)} articles, "
        f"{sentences} sentences; median of {args.runs} runs"
    )

    extract("warm up: load the lexicons and pint with 5 km and $2.1 billion.")
    found = []
    extract_s = median_seconds(args.runs, lambda: found.append(sum(len(extract(t)) for t in texts)))
    scan_s = median_seconds(args.runs, lambda: [sum(1 for _ in _digits.finditer(t)) for t in texts])

    claims = found[-1]
    print(
        f"extract    {extract_s:8.2f} s  {megabytes / extract_s:7.2f} MB/s  "
        f"{sentences / extract_s:9.0f} sentences/s  {claims} claims"
    )
    print(f"re scan    {scan_s:8.2f} s  {megabytes / scan_s:7.2f} MB/s")
    print(
        f"ratio      extract is {extract_s / scan_s:.1f}x slower than the bare digit scan "
        f"(goal: within 10x)"
    )
    if args.quantulum:
        compare_quantulum(texts, args.quantulum, args.runs)


def compare_quantulum(texts: list[str], count: int, runs: int) -> None:
    """Time quantulum3 and claims on the same ``count`` sentences; print both and the ratio."""
    try:
        from quantulum3 import parser as quantulum
    except ImportError:
        sys.exit("--quantulum needs quantulum3: pip install quantulum3")
    sample = [t[s:e] for t in texts[: count // 5 + 1] for s, e in split_sentences(t)][:count]
    size = sum(len(t.encode("utf-8")) for t in sample) / 1e6
    ours = median_seconds(runs, lambda: [extract(t) for t in sample])
    theirs = median_seconds(1, lambda: [quantulum.parse(t) for t in sample])
    print(f"quantulum3 {theirs:8.2f} s  {size / theirs:7.3f} MB/s  on {len(sample)} sentences")
    print(f"claims     {ours:8.2f} s  {size / ours:7.3f} MB/s  on the same sentences")
    print(f"ratio      claims is {theirs / ours:.0f}x faster than quantulum3 (goal: 200x)")


if __name__ == "__main__":
    main()
