"""Benchmark: extraction time per KB on hostile texts, at doubling sizes.

Each shape is a text a hostile or broken input can hold (issue #14): runs of ranges, signs,
brackets, quotation marks, zero-width spaces, text without full stops or newlines. Each is
extracted at 12.5, 25, 50, 100 and 200 KB; the table prints the time per KB at each size
and the ratio of the last to the first. Extraction is linear when the ratio stays near 1
(the goal: under 2 for every shape).

    python bench/pathological.py
    python bench/pathological.py --shape dashes --shape dollars --sizes 12.5 25 50

Times are the best of ``--runs`` passes, single process, one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims import extract  # noqa: E402


def _prose() -> str:
    """The seed articles on one line: prose with no newline."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]
    return " ".join(" ".join(texts).split())


#: name -> (what it is, the unit the text repeats)
SHAPES = {
    "ranges": ("'1-' x 800 then '1. ', repeated", "1-" * 800 + "1. "),
    "dashes": ("1-1-1-... with no end", "1-"),
    "dollars": ("$5 $5 $5 ...", "$5 "),
    "zero-width": ("5 and a zero-width space, repeated", "5\u200b"),
    "brackets": ("(5 (6 (7 ... never closed", "(5 (6 (7 "),
    "quotes": ("quotation marks around figures", "\"He said 5\" and “6 more” or '7' "),
    "no-stop": ("words and numbers with no full stop", "words 5 and more 6 then 7 "),
    "troops": (
        "a sentence of figures with no end",
        "troops 5 tanks and the army of 300 men with 7 guns ",
    ),
    "speech": ("speech verbs and names with no end", "Smith said 5 officials told Jones 6 "),
    "abbreviations": ("'Mr. ' with no sentence end", "Mr. 5 "),
    "digits": ("one run of digits", "7"),
    "arabic-digits": ("one run of Arabic-Indic digits", "\u0663"),
    "millions": ("5 million million million ...", " million"),
    "prose": ("the seed articles on one line", None),
}

SIZES_KB = (12.5, 25, 50, 100, 200)


def text_of(shape: str, kilobytes: float) -> str:
    """The text of ``shape``, cut to ``kilobytes`` of characters."""
    unit = SHAPES[shape][1] or _prose() + " "
    size = int(kilobytes * 1000)
    if shape == "millions":
        return ("5" + unit * (size // len(unit) + 1))[:size]
    return (unit * (size // len(unit) + 1))[:size]


def best_seconds(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extract(text, published="2024-01-01")
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these")
    parser.add_argument("--sizes", type=float, nargs="+", default=SIZES_KB, help="KB")
    parser.add_argument("--runs", type=int, default=1, help="passes; the best is shown")
    args = parser.parse_args()
    extract("warm up: load the lexicons and pint with 5 km and $2.1 billion.")
    sizes = sorted(args.sizes)
    header = "".join(f"{size:>9g}KB" for size in sizes)
    print(f"ms per KB of extraction, best of {args.runs}; ratio = last size / first size")
    print(f"{'shape':<14}{header}   ratio  seconds at {sizes[-1]:g} KB")
    worst = 0.0
    for shape in args.shape or SHAPES:
        per_kb = []
        seconds = 0.0
        for size in sizes:
            seconds = best_seconds(text_of(shape, size), args.runs)
            per_kb.append(seconds * 1000 / size)
        ratio = per_kb[-1] / per_kb[0] if per_kb[0] else float("nan")
        worst = max(worst, ratio)
        cells = "".join(f"{ms:>11.3f}" for ms in per_kb)
        print(f"{shape:<14}{cells}   {ratio:5.2f}  {seconds:7.2f}", flush=True)
    verdict = "within" if worst < 2 else "NOT within"
    print(f"worst ratio {worst:.2f}: {verdict} 2x (the goal of #14)")


if __name__ == "__main__":
    main()
