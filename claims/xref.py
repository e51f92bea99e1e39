"""Cross-reference claims: the same figure repeated, figures that agree or conflict, and
claims checked against reference figures.

Two claims are about the same quantity when their quantity keys are equal (``quantity_key``):

- the unit's family: a counted noun after its synonyms ("shell" -> round, "soldier" ->
  troop), a rate with its period ("round / day"), one currency (money is compared only in
  one currency), percent, or the base unit of a physical quantity (40 miles and 64 km are
  both metres);
- the subject, as an entity ("Ukraine's military", "Kyiv" -> ukraine);
- for figures whose unit does not say what they count (money, percent, physical units,
  bare numbers), the content words of the concept ("military aid").

Within a key, claims of different documents are linked (``claim_links``); vague figures
("thousands of troops", "dozens of") are left out, as they assert no figure to check:

- ``repeats``: the same figure with the same qualifier; the first published is the
  origin, kept in ``first_seen``, and each repeat is linked to it;
- ``agrees``: the intervals the claims assert overlap ("up to 6,000" and 5,000), or lie
  within ``tolerance`` of each other;
- ``conflicts``: further apart; ``difference`` is the ratio of the later to the earlier.

Reference figures (``references``, from CSV: ``claims refs import``) get the same key; a
claim is checked against the latest reference of its key dated on or before the time the
claim holds for, no more than ``REFERENCE_LAG_DAYS`` before (``reference_checks``).
Word lists: lexicon/xref.yaml.
"""

from __future__ import annotations

import datetime
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from claims import lexicon
from claims.defaults import TOLERANCE
from claims.units import singular

#: The claims checked against references: what was said to be so, not pledged or planned.
CHECKED_MODALITIES = ("reported", "estimate")

#: A claim is checked against a reference dated at most this long before it holds.
REFERENCE_LAG_DAYS = 62

#: Figures further apart in time than this are not compared (agrees, conflicts).
COMPARED_WITHIN_DAYS = 31

#: Counts below this are not compared: "two leaders", "one of the countries" say no figure
#: a fact-checker would check.
SMALLEST_COUNT = 10

#: Key groups larger than this are compared only figure by figure (repeats), not pairwise.
LARGEST_GROUP = 400

_NOUNS = lexicon.mapping("xref", "nouns")
_ENTITIES = lexicon.mapping("xref", "entities")
_CONCEPT_WORDS = lexicon.mapping("xref", "concept_words")
_CONCEPT_STOP = lexicon.words("xref", "concept_stop") | lexicon.words("nouns", "stop")
_WORD = re.compile(r"[A-Za-z][A-Za-z.'’-]*")
#: Dimensions whose unit is the thing counted: their key needs no concept words.
_COUNTED = frozenset(("count",))
_NOT_COMPARED = frozenset(("number", "age"))


def entity(subject: str | None) -> str:
    """The entity a subject names: its first word (or two) known to the lexicon, else the
    subject itself in lower case, "" for none.

    >>> entity("Ukraine's military"), entity("The European Union"), entity("Acme Corp")
    ('ukraine', 'eu', 'acme corp')
    """
    if not subject:
        return ""
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(subject)]
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            name = " ".join(words[start : start + size])
            if name in _ENTITIES:
                return _ENTITIES[name]
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def unit_family(unit: str, dimension: str, base_unit: str) -> str:
    """What a unit measures, for comparing: a counted noun after its synonyms, a rate with
    its period, a currency, percent, or a physical base unit.

    >>> unit_family("shell", "count", "shell"), unit_family("mile", "length", "meter")
    ('round', 'meter')
    >>> unit_family("soldier / day", "rate", "soldier / day")
    'troop / day'
    """
    if not unit:
        return ""
    if dimension in ("currency", "percent"):
        return unit
    if dimension == "count" or dimension == "rate" or "/" in unit:
        noun, slash, period = (base_unit or unit).partition(" / ")
        noun = _NOUNS.get(noun, _NOUNS.get(singular(noun), noun))
        return f"{noun}{slash}{period}"
    return base_unit or unit


def concept_words(concept: str | None, subject: str | None = None) -> str:
    """The content words of a concept's first phrase, after their synonyms, sorted; the
    subject's words are left out ("military aid, Germany" -> "aid military").

    >>> concept_words("military assistance to Ukraine, Germany", "Germany")
    'aid military'
    """
    if not concept:
        return ""
    first = concept.split(",")[0]
    skip = {w.lower() for w in _WORD.findall(subject or "")}
    if first.strip().lower() == (subject or "").strip().lower():
        skip = set()  # the subject is what is measured: "the front line stretches 40 miles"
    words = set()
    for word in _WORD.findall(first):
        lower = word.lower().removesuffix("'s").removesuffix("’s")
        if lower in skip or lower in _CONCEPT_STOP or lower in _ENTITIES:
            continue
        base = singular(lower)
        words.add(_CONCEPT_WORDS.get(base, base))
    return " ".join(sorted(words)[:5])


def quantity_key(
    unit: str,
    dimension: str,
    base_unit: str,
    subject: str | None,
    concept: str | None,
    unit_text: str = "",
) -> str | None:
    """The key of a claim's quantity (see the module), or None when there is nothing to
    compare it by (a bare number of nothing, an age).

    >>> quantity_key("shell", "count", "shell", "Ukraine's military", "Ukraine's military")
    'count|round|ukraine|'
    >>> quantity_key("EUR", "currency", "EUR", "Germany", "military aid, Germany")
    'currency|EUR|germany|aid military'
    """
    if dimension in _NOT_COMPARED and not unit:
        words = concept_words(concept, subject)
        return f"number||{entity(subject)}|{words}" if words else None
    if dimension in _NOT_COMPARED:
        return None
    family = unit_family(unit, dimension, base_unit)
    counted = dimension in _COUNTED or (dimension == "rate" and not _is_money(family))
    words = "" if counted else concept_words(concept, subject)
    if not counted and not words:
        return None  # "$2 billion" of what, "5%" of what: nothing to compare
    who = _named_in(unit_text) or entity(subject)  # "7,000 Russian soldiers": Russia's
    return f"{dimension}|{family}|{who}|{words}"


def _named_in(unit_text: str) -> str:
    """The entity a unit's words name ("Russian soldiers" -> russia), else ""."""
    for word in _WORD.findall(unit_text or ""):
        found = _ENTITIES.get(word.lower())
        if found:
            return found
    return ""


def _is_money(family: str) -> bool:
    return family[:3].isupper() and family[:3].isalpha()


@dataclass(frozen=True)
class Figure:
    """A claim (or reference) as xref compares it: its key, interval in base units, when."""

    id: str
    document: str
    key: str
    qualifier: str
    low: float
    high: float
    point: float | None
    date: str
    change: str | None = None

    @property
    def middle(self) -> float:
        """The figure stated: the point, the bound of "up to"/"more than", a range's middle."""
        if self.point is not None:
            return self.point
        if self.qualifier in ("<", "<="):
            return self.high
        if self.qualifier in (">", ">=") or math.isinf(self.high):
            return self.low
        return (self.low + self.high) / 2


def interval(
    value: float | None, low: float | None, high: float | None, qualifier: str
) -> tuple[float, float] | None:
    """The interval a claim asserts: "up to 6,000" is [0, 6000], "more than 5" [5, inf),
    "between 4 and 7" [4, 7], "about 5" and "5" are [5, 5].

    >>> interval(6000, None, 6000, "<="), interval(5, 5, None, ">"), interval(None, 4, 7, "range")
    ((0.0, 6000.0), (5.0, inf), (4.0, 7.0))
    """
    if qualifier in ("<", "<="):
        top = high if high is not None else value
        return None if top is None else (min(0.0, top), float(top))
    if qualifier in (">", ">="):
        bottom = low if low is not None else value
        return None if bottom is None else (float(bottom), math.inf)
    if value is not None:
        return float(value), float(value)
    if low is not None and high is not None:
        return float(min(low, high)), float(max(low, high))
    return None


def relation(a: Figure, b: Figure, tolerance: float = TOLERANCE) -> tuple[str, float | None]:
    """How figure ``b`` stands to ``a`` of the same key: ("repeats", 1.0), ("agrees",
    ratio) or ("conflicts", ratio), the ratio being b's middle over a's.

    >>> up_to = Figure("a", "d1", "k", "<=", 0.0, 6000.0, None, "2023-09-28")
    >>> relation(up_to, Figure("b", "d2", "k", "=", 5000.0, 5000.0, 5000.0, "2023-10-01"))[0]
    'agrees'
    >>> relation(up_to, Figure("c", "d3", "k", "=", 9000.0, 9000.0, 9000.0, "2023-10-01"))[0]
    'conflicts'
    """
    if a.qualifier == b.qualifier and (a.low, a.high) == (b.low, b.high):
        return "repeats", 1.0
    ratio = b.middle / a.middle if a.middle else None
    if max(a.low, b.low) <= min(a.high, b.high):
        return "agrees", ratio
    gap = max(a.low, b.low) - min(a.high, b.high)
    scale = max(abs(min(a.high, b.high)), abs(max(a.low, b.low)))
    return ("agrees" if gap <= tolerance * scale else "conflicts"), ratio


def verdict(claimed: float, reference: float, tolerance: float = TOLERANCE) -> tuple[str, float]:
    """Whether a claimed figure is consistent with a reference figure, over or under it.

    >>> verdict(105, 100), verdict(150, 100), verdict(50, 100)
    (('consistent', 1.05), ('overstated', 1.5), ('understated', 0.5))
    """
    ratio = claimed / reference if reference else math.inf
    if abs(ratio - 1) <= tolerance:
        return "consistent", ratio
    return ("overstated" if ratio > 1 else "understated"), ratio


@dataclass(frozen=True)
class XrefSummary:
    """What ``xref`` wrote: claims keyed, links by relation, reference checks by verdict."""

    keyed: int
    links: dict[str, int]
    checks: dict[str, int]


def xref(db: Database, tolerance: float = TOLERANCE) -> XrefSummary:
    """Rebuild ``claims.quantity_key``, ``claim_links`` and ``reference_checks`` of ``db``
    in one transaction."""
    with db.conn:
        keyed = _key_claims(db)
        db.execute("delete from claim_links")
        db.execute("delete from reference_checks")
        links: dict[str, int] = defaultdict(int)
        rows = []
        for link in _links(_figures(db), tolerance):
            links[link["relation"]] += 1
            rows.append(link)
            if len(rows) >= 5000:
                db["claim_links"].insert_all(rows)
                rows = []
        db["claim_links"].insert_all(rows)
        checks: dict[str, int] = defaultdict(int)
        check_rows = list(_checks(db, tolerance))
        for check in check_rows:
            checks[check["verdict"]] += 1
        db["reference_checks"].insert_all(check_rows)
    return XrefSummary(keyed, dict(links), dict(checks))


def _key_claims(db: Database) -> int:
    """Write each claim's quantity key; return how many claims have one."""
    rows = db.execute(
        "select id, unit, dimension, base_unit, subject, concept, unit_text, quantity_key "
        "from claims"
    ).fetchall()
    keys = [
        (quantity_key(u or "", d or "", b or "", s, c, t or ""), i, old)
        for i, u, d, b, s, c, t, old in rows
    ]
    # Only the keys that changed are written: a build that changed nothing writes nothing.
    changed = [(key, i) for key, i, old in keys if key != old]
    db.conn.executemany("update claims set quantity_key = ? where id = ?", changed)
    return sum(1 for key, _, _ in keys if key)


def _figures(db: Database) -> Iterator[Figure]:
    sql = """
        select claims.id, claims.document_id, claims.quantity_key, claims.qualifier,
          claims.value, claims.low, claims.high, claims.base_value,
          coalesce(claims.published, claims.period_end, '9999-12-31') as date,
          claims.change
        from claims join documents on documents.id = claims.document_id
        where claims.quantity_key is not null and claims.rule not like 'vague:%'
        order by claims.quantity_key, date, documents.path, claims.start
    """
    for cid, doc, key, qualifier, value, low, high, base, date, change in db.execute(sql):
        figure = make_figure(cid, doc, key, qualifier, value, low, high, base, date, change)
        if figure is not None and not _trivial(key, (figure.low, figure.high)):
            yield figure


def make_figure(
    cid: str,
    document: str,
    key: str,
    qualifier: str,
    value: float | None,
    low: float | None,
    high: float | None,
    base_value: float | None,
    date: str,
    change: str | None = None,
) -> Figure | None:
    """A claim's ``Figure``: its interval in base units (through its own base_value, so
    that pint is not called again), or None when it asserts no interval."""
    span = interval(value, low, high, qualifier)
    if span is None:
        return None
    factor = base_value / value if base_value is not None and value else 1.0
    point = value * factor if value is not None and qualifier in ("=", "~") else None
    return Figure(
        cid, document, key, qualifier, span[0] * factor, span[1] * factor, point, date, change
    )


def _trivial(key: str, span: tuple[float, float]) -> bool:
    """A small count ("two leaders"): nothing to cross-check."""
    finite = [abs(bound) for bound in span if not math.isinf(bound)]
    return key.startswith("count|") and max(finite, default=0) < SMALLEST_COUNT


def _links(figures: Iterable[Figure], tolerance: float) -> Iterator[dict]:
    group: list[Figure] = []
    for figure in figures:
        if group and figure.key != group[0].key:
            yield from _group_links(group, tolerance)
            group = []
        group.append(figure)
    if group:
        yield from _group_links(group, tolerance)


def _group_links(group: list[Figure], tolerance: float) -> Iterator[dict]:
    """The links within one key: repeats to their origin, then agreements and conflicts
    between different figures of different documents."""
    if len({f.document for f in group}) < 2 or _unspecific(group[0].key):
        return  # "27 countries" of whom: two such figures may be about anything
    by_figure: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in group:  # in date order: the first of each figure is its origin
        same = (figure.change, figure.qualifier, round(figure.low, 6), round(figure.high, 6))
        by_figure[same].append(figure)
    origins = []
    for same in by_figure.values():
        origin = same[0]
        origins.append(origin)
        seen = {origin.document}
        for repeat in same[1:]:
            if repeat.document not in seen:
                seen.add(repeat.document)
                yield _link(origin, repeat, "repeats", 1.0, origin.id)
    if len(origins) > LARGEST_GROUP:
        return
    for i, a in enumerate(origins):
        for b in origins[i + 1 :]:
            if a.document == b.document or a.change != b.change:
                continue  # a rise is no level: "up 7,000" says nothing against "190,000"
            if not _near_in_time(a.date, b.date):
                continue
            first, second = (a, b) if (a.date, a.id) <= (b.date, b.id) else (b, a)
            kind, ratio = relation(first, second, tolerance)
            yield _link(first, second, kind, ratio, None)


def _unspecific(key: str) -> bool:
    """A key with neither an entity nor concept words ("troops" of whom?): not linked."""
    _, _, who, words = key.split("|")
    return not who and not words


def _near_in_time(a: str, b: str) -> bool:
    """True when two dates are within COMPARED_WITHIN_DAYS (an unknown date is near any):
    figures months apart are a time series, not a conflict."""
    if a.startswith("9999") or b.startswith("9999"):
        return True  # an undated claim
    try:
        apart = datetime.date.fromisoformat(a[:10]) - datetime.date.fromisoformat(b[:10])
    except ValueError:
        return True
    return abs(apart.days) <= COMPARED_WITHIN_DAYS


def _link(a: Figure, b: Figure, kind: str, ratio: float | None, origin: str | None) -> dict:
    return {
        "claim_a": a.id,
        "claim_b": b.id,
        "relation": kind,
        "difference": None if ratio is None or math.isinf(ratio) else ratio,
        "quantity_key": a.key,
        "first_seen": origin,
    }


def _checks(db: Database, tolerance: float) -> Iterator[dict]:
    """Each keyed claim stated as a fact or an estimate against the latest reference of its
    key dated before it (a pledge or a plan is no figure of what was given)."""
    references: dict[str, list[tuple[str, str, float, float, str]]] = defaultdict(list)
    for rid, key, as_of, low, high in db.execute(
        'select id, quantity_key, as_of, low, high from "references" '
        "where quantity_key is not null order by as_of"
    ):
        references[_comparable(key)].append((as_of, rid, low, high, key.split("|")[1]))
    if not references:
        return
    rates = exchange_rates(db)
    sql = f"""
        select id, quantity_key, value, low, high, qualifier,
          coalesce(period_end, published) as date
        from claims where quantity_key is not null and coalesce(period_end, published) is not null
          and modality in ({", ".join(repr(m) for m in CHECKED_MODALITIES)})
    """
    for cid, key, value, low, high, qualifier, date in db.execute(sql):
        candidates = references.get(_comparable(key))
        if not candidates:
            continue
        found = _latest_before(candidates, date)
        if found is None:
            continue
        as_of, rid, ref_low, ref_high, ref_unit = found
        unit = key.split("|")[1]
        rate = 1.0 if unit == ref_unit else rates.get((unit, ref_unit))
        kind, ratio = check_figure(
            interval(value, low, high, qualifier), rate, ref_low, ref_high, tolerance
        )
        yield _check(cid, rid, ratio, kind)


def check_figure(
    span: tuple[float, float] | None,
    rate: float | None,
    ref_low: float,
    ref_high: float,
    tolerance: float = TOLERANCE,
) -> tuple[str, float | None]:
    """The verdict of a claimed interval (in its unit, ``rate`` to the reference's) against
    a reference figure: consistent when they meet within the tolerance, overstated when
    the claim's least is above it, understated when its most is below; ratio of the
    claim's stated figure to the reference.

    >>> check_figure((10e9, math.inf), 1.0, 47e9, 47e9)[0]  # "more than $10 billion"
    'consistent'
    >>> check_figure((0.0, 90e9), 1.0, 47e9, 47e9)[0]  # "up to $90 billion"
    'consistent'
    >>> check_figure((60e9, 60e9), 1.0, 47e9, 47e9)
    ('overstated', 1.2765957446808511)
    """
    if rate is None or span is None:
        return "not comparable", None
    low, high = span[0] * rate, span[1] * rate
    stated = high if math.isinf(low) else (low if math.isinf(high) else (low + high) / 2)
    if low == 0 < high:
        stated = high  # "up to"
    reference = (ref_low + ref_high) / 2
    ratio = stated / reference if reference else None
    if low > ref_high * (1 + tolerance):
        return "overstated", ratio
    if high < ref_low * (1 - tolerance):
        return "understated", ratio
    return "consistent", ratio


def exchange_rates(db: Database) -> dict[tuple[str, str], float]:
    """(currency, to_currency) -> rate, from ``exchange_rates``, each also inverted."""
    rates = {}
    for currency, to, rate in db.execute("select currency, to_currency, rate from exchange_rates"):
        if rate:
            rates[(currency, to)] = rate
            rates.setdefault((to, currency), 1 / rate)
    return rates


def _comparable(key: str) -> str:
    """A money key without its currency: a claim in another currency meets the reference
    (and is converted, or "not comparable"); other keys keep their unit."""
    dimension, unit, subject, words = key.split("|")
    return f"{dimension}|{'' if dimension == 'currency' else unit}|{subject}|{words}"


def _latest_before(candidates: list[tuple], date: str) -> tuple | None:
    """The last reference dated on or before ``date``, within REFERENCE_LAG_DAYS of it."""
    found = None
    for candidate in candidates:
        if candidate[0] <= date:
            found = candidate
        else:
            break
    if found is None:
        return None
    try:
        lag = datetime.date.fromisoformat(date[:10]) - datetime.date.fromisoformat(found[0][:10])
    except ValueError:
        return None
    return found if lag.days <= REFERENCE_LAG_DAYS else None


def _check(claim: str, reference: str, ratio: float | None, kind: str) -> dict:
    return {"claim_id": claim, "reference_id": reference, "ratio": ratio, "verdict": kind}


def figure_of(claim, key: str, document: str = "", date: str = "") -> Figure | None:
    """The ``Figure`` of a ``Claim`` (not stored: for ``claims check``)."""
    return make_figure(
        "", document, key, claim.qualifier, claim.value, claim.low, claim.high,
        claim.base_value, date,
    )  # fmt: skip


def related(db: Database, claim, date: str | None = None, tolerance: float = TOLERANCE) -> dict:
    """What the database says of ``claim``: the stored claims of its quantity key, each with
    how it stands to it, and the reference check of its key (the latest reference dated on
    or before ``date``, else the latest of all)."""
    key = quantity_key(
        claim.unit, claim.dimension, claim.base_unit, claim.subject, claim.concept, claim.unit_text
    )
    out = {"text": claim.text, "quantity_key": key, "matches": [], "reference": None}
    mine = figure_of(claim, key or "", date=date or "9999-12-31")
    if key is None or mine is None or claim.rule.startswith("vague:"):
        return out
    if _trivial(key, (mine.low, mine.high)):
        return out
    sql = """
        select claims.id, claims.text, claims.value, claims.low, claims.high,
          claims.qualifier, claims.base_value, claims.speaker, claims.sentence,
          coalesce(claims.published, claims.period_end) as date,
          documents.title, documents.path, documents.url, claims.rule
        from claims join documents on documents.id = claims.document_id
        where claims.quantity_key = ? order by date, documents.path, claims.start
    """
    seen = set()
    for row in db.execute(sql, [key]).fetchall():
        cid, text, value, low, high, qualifier, base, speaker, sentence, when, title, path, url = (
            row[:13]
        )
        other = make_figure(
            cid, path or "", key, qualifier, value, low, high, base, when or "9999-12-31"
        )
        if cid in seen or other is None or row[13].startswith("vague:"):
            continue  # as xref: vague figures are not compared
        seen.add(cid)
        kind, ratio = relation(mine, other, tolerance)
        if _unspecific(key) or (kind != "repeats" and not _near_in_time(mine.date, other.date)):
            continue  # as xref: unspecific keys, and figures a month apart, are not linked
        out["matches"].append({
            "relation": kind, "ratio": ratio, "text": text, "speaker": speaker, "date": when,
            "document": title, "path": path, "url": url, "sentence": sentence, "claim_id": cid,
        })  # fmt: skip
    if claim.modality in CHECKED_MODALITIES:
        out["reference"] = _reference_for(db, claim, key, date, tolerance)
    return out


def _reference_for(db: Database, claim, key: str, date: str | None, tolerance: float):
    rows = db.execute(
        "select id, quantity_key, as_of, low, high, concept, subject, source, url "
        'from "references" where quantity_key is not null order by as_of'
    ).fetchall()
    wanted = _comparable(key)
    found = None
    for row in rows:
        if _comparable(row[1]) == wanted and (date is None or row[2] <= date):
            found = row
    if found is None:
        return None
    rid, ref_key, as_of, low, high, concept, subject, source, url = found
    reference = (low + high) / 2
    mine, theirs = key.split("|")[1], ref_key.split("|")[1]
    rate = 1.0 if mine == theirs else exchange_rates(db).get((mine, theirs))
    span = interval(claim.value, claim.low, claim.high, claim.qualifier)
    kind, ratio = check_figure(span, rate, low, high, tolerance)
    return {
        "verdict": kind, "ratio": ratio, "reference": reference, "unit": ref_key.split("|")[1],
        "as_of": as_of, "concept": concept, "subject": subject, "source": source, "url": url,
    }  # fmt: skip
