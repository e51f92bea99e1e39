"""What the stages of extraction hand on: a number, its unit, a reading of both, or the
veto that dropped a number."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Number:
    """A number read from tokens [first, last): its value or range and how it was written."""

    first: int
    last: int
    value: float | None
    low: float | None
    high: float | None
    kind: str  # digits, words, vague, fraction, named
    scaled: bool = False
    decimals: bool = False
    four_digits: bool = False
    qualifier: str | None = None  # from a prefix: "sub-7"
    named: str | None = None  # the unit of a quantity named in words: "absolute zero"
    partner: Number | None = None  # a range after "to" whose unit and scale it shares
    slashed: bool = False  # written as "1/4": a share only with a unit or "of" after it
    tail: int = 0  # tokens of the figure after its unit: "a year and a half", "a day or two"


@dataclass
class Unit:
    """A unit read from tokens [first, last), and the rule that read it."""

    first: int
    last: int
    unit: str
    dimension: str
    kind: str  # percent, currency, physical, count, age
    rule: str = ""
    scale: float = 1.0  # what the unit multiplies the number by ("mb/d": a million)


@dataclass
class Reading:
    """A number with its currency, unit and rate: tokens [first, last) of a claim-to-be,
    and the rule that gave it its unit."""

    number: Number
    first: int
    last: int
    unit: Unit | None
    unit_name: str
    dimension: str
    kind: str  # number, currency, percent, physical, count, age
    rate: bool = False
    rule: str = ""


@dataclass(frozen=True)
class Dropped:
    """A number in tokens [first, last) that is no claim, and the veto that says so."""

    first: int
    last: int
    veto: str


@dataclass(frozen=True)
class Step:
    """One figure of a sentence as ``claims extract --explain`` shows it: the text read,
    and the rule that made it a claim or the veto that dropped it."""

    text: str
    start: int
    end: int
    outcome: str  # "claim" or "dropped"
    rule: str
