"""The plain values that flow between stages: a Document in, Claims out.

Both are frozen dataclasses so that they can cross process boundaries (pickle) and be
compared in tests. Field names are the public contract of DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NamedTuple

QUALIFIERS = ("=", "~", "<", "<=", ">", ">=", "range")
MODALITIES = ("reported", "estimate", "pledge", "plan", "forecast", "hypothetical")
SPEAKER_KINDS = ("person", "organisation", "government", "media", "unknown")


@dataclass(frozen=True)
class Claim:
    """One quantity stated in a text, with what was written kept beside what was understood.

    ``value`` is None for a range; ``low``/``high`` are None on an open side ("up to 6,000"
    has ``high=6000`` and ``low=None``). ``unit`` is the canonical unit string: pint's name
    for physical units, an ISO 4217 code for money, ``percent``, a singular noun for counted
    things, ``noun / day`` for rates, and ``""`` for a bare number.
    """

    text: str
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: str = "="
    change: str | None = None
    unit: str = ""
    unit_text: str = ""
    dimension: str = "number"
    base_value: float | None = None
    base_unit: str = ""
    value_text: str = ""
    concept: str | None = None
    subject: str | None = None
    place: str | None = None
    speaker: str | None = None
    speaker_kind: str | None = None
    speaker_via: str | None = None
    quoted: bool = False
    modality: str = "reported"
    period_start: str | None = None
    period_end: str | None = None
    period_text: str | None = None
    sentence: str = ""
    sentence_start: int = 0
    rule: str = ""

    def to_dict(self) -> dict:
        """Return the claim as a plain dict (for JSON and database rows). Every field is a
        plain value, so no deep copy (``dataclasses.asdict``) is needed: 10x faster."""
        return {name: getattr(self, name) for name in CLAIM_FIELDS}


#: The fields of a Claim, in order.
CLAIM_FIELDS = tuple(f.name for f in fields(Claim))


@dataclass(frozen=True)
class Document:
    """One article: its text and what is known of where it came from.

    ``published`` is an ISO date (``YYYY-MM-DD``) or None when the source does not say;
    it is never filled with today's date.
    """

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    path: str | None = None
    source: str | None = None
    meta: dict = field(default_factory=dict, compare=False, hash=False)


class Refusal(NamedTuple):
    """A file, or a record of one, that yields no document: where, and why.

    ``record`` names the record inside the file ("line 7", "row 3"), None for the whole file.
    """

    path: str
    record: str | None
    reason: str
