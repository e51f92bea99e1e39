"""Evaluation: score ``extract`` against gold sentences that users write themselves.

The gold is JSON Lines, one sentence per line, in the format of NewsQuant-style sets::

    {"id": "s1", "text": "...", "quantities": [{"value": 6000 | [lo, hi],
     "unit": "rounds daily", "normalized_unit": "round / day", "change": "=" | "~" | "<"
     | ">" | "up" | "down"}]}

Matching is one-to-one within a sentence (a maximum bipartite matching per metric), as in
the CQE paper's corrected scorer. Values match within a relative 1e-5; a range matches a
range with the same ends. Units match after folding: currency names and signs to ISO 4217,
plurals to singulars, "per"/"a"/"/" rates, pint names of the same unit, and counted nouns
on their head word ("Abrams tank" = "tank").
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claims import units
from claims.errors import GoldError
from claims.extract import extract

METRICS = ("value", "value+unit", "value+change")

# Qualifier and change words of gold files, folded to = ~ < > up down.
_CHANGES = {
    "": "=", "=": "=", "range": "=", "~": "~", "about": "~", "approximately": "~",
    "<": "<", "<=": "<", "up to": "<", "less than": "<", ">": ">", ">=": ">",
    "more than": ">", "at least": ">", "up": "up", "+": "up", "down": "down", "-": "down",
}  # fmt: skip
_NO_UNIT = {"", "-", "none", "dimensionless", "number", "count of"}
_PERCENT = {"%", "percent", "per cent", "percentage", "percentages", "pct", "pc", "per-cent"}
_RATE_SPLIT = re.compile(r"\s*/\s*|\s+(?:per|a|an|each)\s+")


@dataclass
class Score:
    """Counts of one metric, with precision, recall and F1 in percent."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return 100 * self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return 100 * self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores per metric, and per sentence what was missed and what was extra (by value)."""

    scores: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in METRICS})
    errors: list[dict] = field(default_factory=list)
    sentences: int = 0
    fields: set[str] = field(default_factory=set)  # what the gold annotates ("unit", "change")

    def shown(self) -> dict[str, Score]:
        """The scores of the metrics the gold annotates (all when it does not say)."""
        fields = self.fields or {"value", "unit", "change"}
        return {m: s for m, s in self.scores.items() if m.split("+")[-1] in fields}


def load_gold(path: str | Path) -> list[dict]:
    """Return the gold sentences of a JSON Lines file.

    :raises GoldError: the file cannot be read, or a line is not a gold sentence
    """
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError(path, f"cannot be read ({error})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldError(f"{path}:{number}", f"not JSON ({error.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise GoldError(f"{path}:{number}", 'needs a "text" string')
        quantities = row.get("quantities", [])
        if not isinstance(quantities, list) or not all(
            isinstance(q, dict) and "value" in q for q in quantities
        ):
            raise GoldError(f"{path}:{number}", '"quantities" must be a list of {"value": ...}')
        row.setdefault("id", str(number))
        rows.append(row)
    if not rows:
        raise GoldError(path, "holds no gold sentences")
    return rows


def evaluate(rows: Iterable[dict], extractor: Callable = extract) -> Report:
    """Score ``extractor`` on the gold ``rows`` (see ``load_gold``)."""
    report = Report()
    for row in rows:
        report.sentences += 1
        report.fields |= set(row.get("fields", ()))
        gold = [_gold_quantity(q) for q in row.get("quantities", [])]
        predicted = [_predicted_quantity(c) for c in extractor(row["text"])]
        for metric in METRICS:
            score = report.scores[metric]
            score.gold += len(gold)
            score.predicted += len(predicted)
            matched, _ = _match(gold, predicted, _EDGES[metric])
            score.matched += matched
        _, pairs = _match(gold, predicted, _EDGES["value"])
        missed = [row["quantities"][i] for i in range(len(gold)) if i not in pairs.values()]
        extra = [predicted[j]["claim"] for j in range(len(predicted)) if j not in pairs]
        if missed or extra:
            report.errors.append(
                {"id": row["id"], "text": row["text"], "missed": missed, "extra": extra}
            )
    return report


def _gold_quantity(q: dict) -> dict:
    units_ = {u for u in (q.get("normalized_unit"), q.get("unit")) if u is not None}
    return {
        "value": _value(q["value"]),
        "units": {fold_unit(u) for u in units_} or {""},
        "change": _CHANGES.get(str(q.get("change") or "").lower(), str(q.get("change")).lower()),
    }


def _predicted_quantity(claim) -> dict:
    value = claim.value if claim.value is not None else (claim.low, claim.high)
    change = claim.change or _CHANGES.get(claim.qualifier, claim.qualifier)
    shown = {
        "text": claim.text,
        "value": claim.value,
        "low": claim.low,
        "high": claim.high,
        "unit": claim.unit,
        "change": change,
    }
    return {
        "value": _value(value),
        "units": {fold_unit(claim.unit)},
        "change": change,
        "claim": shown,
    }


def _value(value):
    """A float, or a sorted (low, high) pair for a range."""
    if isinstance(value, (list, tuple)):
        low, high = (float(v) if v is not None else math.nan for v in value)
        return tuple(sorted((low, high)))
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-8 + 1e-5 * abs(b)


def _value_matches(gold, predicted) -> bool:
    if isinstance(gold, tuple) != isinstance(predicted, tuple):
        pair, single = (gold, predicted) if isinstance(gold, tuple) else (predicted, gold)
        return _close(single, pair[0]) and _close(single, pair[1])
    if isinstance(gold, tuple):
        return _close(predicted[0], gold[0]) and _close(predicted[1], gold[1])
    return _close(predicted, gold)


def _units_match(gold: dict, predicted: dict) -> bool:
    return any(units_equal(g, p) for g in gold["units"] for p in predicted["units"])


_EDGES = {
    "value": lambda g, p: _value_matches(g["value"], p["value"]),
    "value+unit": lambda g, p: _value_matches(g["value"], p["value"]) and _units_match(g, p),
    "value+change": lambda g, p: (
        _value_matches(g["value"], p["value"]) and g["change"] == p["change"]
    ),
}


def _match(gold: list, predicted: list, edge) -> tuple[int, dict[int, int]]:
    """Maximum one-to-one matching (Kuhn's augmenting paths): (size, {pred: gold})."""
    options = [[j for j in range(len(predicted)) if edge(g, predicted[j])] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set) -> bool:
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    matched = sum(augment(i, set()) for i in range(len(gold)))
    return matched, owner


@functools.cache
def fold_unit(unit: str) -> str:
    """Fold a unit string to a comparable form: ISO codes, singulars, "a / b" rates.

    >>> fold_unit("Australian dollars"), fold_unit("rounds daily"), fold_unit("$ per barrel")
    ('AUD', 'round daily', 'USD / barrel')
    """
    text = re.sub(r"\s+", " ", unit or "").strip(" .,;:()").lower()
    if text in _NO_UNIT:
        return ""
    if text in _PERCENT:
        return "percent"
    parts = [p for p in _RATE_SPLIT.split(text) if p]
    if len(parts) > 1:
        return " / ".join(fold_unit(p) or "1" for p in parts)
    money = _currency_code(text)
    if money:
        return money
    return " ".join(units.singular(w) for w in text.split(" "))


def _currency_code(text: str) -> str | None:
    symbols, words, codes, _ = units.currency_index()
    key = tuple(units.tokenize_words(text))
    for index in (words, symbols, codes):
        for candidate in (key, tuple(t.upper() for t in key)):
            if candidate in index:
                return index[candidate].code
    return None


@functools.cache
def units_equal(a: str, b: str) -> bool:
    """True when two folded units name the same unit (by string, pint, or head noun)."""
    if a == b:
        return True
    if not a or not b:
        return False
    pint_a, pint_b = _pint_unit(a), _pint_unit(b)
    if pint_a is not None and pint_b is not None:
        ureg = units.registry()
        one = ureg.Quantity(1.0, pint_a)
        return one.dimensionality == pint_b.dimensionality and math.isclose(
            one.to(pint_b).magnitude, 1.0, rel_tol=1e-6
        )
    if pint_a is None and pint_b is None:
        heads = [tuple(part.split(" ")[-1] for part in u.split(" / ")) for u in (a, b)]
        return heads[0] == heads[1]
    return False


def _pint_unit(unit: str):
    """The pint unit a folded unit names, read as pint reads it or through the lexicon
    ("celsius", "degree_celsius", "milliampere-hour", "square foot")."""
    parts = [_lexicon_name(part) for part in unit.split(" / ")]
    try:
        parsed = units.registry().parse_units("/".join(f"({p})" for p in parts))
    except Exception:  # pint raises several kinds for words it does not know
        return None
    return None if parsed.dimensionless else parsed


@functools.cache
def _lexicon_names() -> dict[str, str]:
    """Lower-case surfaces and names of the lexicon's pint units -> their pint expression."""
    by_word, by_symbol, _ = units.unit_index()
    names = {}
    for index in (by_word, by_symbol):
        for key, entry in index.items():
            if entry.pint:
                names.setdefault(" ".join(key).lower(), entry.name)
                names.setdefault(entry.name.lower(), entry.name)
    return names


def _lexicon_name(part: str) -> str:
    names = _lexicon_names()
    for candidate in (part, part.replace("-", " "), part.replace("_", " "), f"degrees {part}"):
        if candidate in names:
            return units.pint_expression(names[candidate])
    return part
