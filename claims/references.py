"""Reference figures to check claims against: read from CSV, or made from the Kiel
Institute's Ukraine Support Tracker.

A reference CSV has the columns concept, subject, unit, value (or low and high), as_of
(YYYY-MM-DD), source and url; ``fields`` maps other column names. Money is in its unit as
written (EUR, USD); "EUR bn" or a ``scale`` column multiply it out. Each row gets the
quantity key of ``claims.xref`` so that claims of the same key meet it.

The Kiel tracker's ``data_explorer`` file gives each donor's allocations per month, in
billions of EUR; ``kiel_references`` sums them into the totals a donor had given by the
end of each month (all aid, military, financial, humanitarian): the figures news reports
quote ("Germany has given €17 billion in military aid").
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from sqlite_utils import Database

from claims import lexicon
from claims.dates import parse_date
from claims.errors import DocumentError
from claims.store import short_hash
from claims.units import currency_index, singular
from claims.xref import quantity_key

COLUMNS = ("concept", "subject", "unit", "value", "low", "high", "as_of", "source", "url")

#: The Kiel columns turned into references, and the concept each stands for.
KIEL_KINDS = {
    "total": "aid",
    "military": "military aid",
    "financial": "financial aid",
    "humanitarian": "humanitarian aid",
}
KIEL_SOURCE = "Kiel Institute, Ukraine Support Tracker"
KIEL_URL = "https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/"


def read_references(path: str | Path, fields: Mapping[str, str] | None = None) -> list[dict]:
    """Return the reference rows of the CSV file ``path``.

    :raises DocumentError: the file is missing, has no value column, or a row is bad
      (naming the row)
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError(path, f"cannot read it: {error}") from error
    fields = dict(fields or {})
    rows = csv.DictReader(io.StringIO(text, newline=""))
    columns = {name: fields.get(name, name) for name in COLUMNS}
    have = set(rows.fieldnames or [])
    missing = [name for name in ("unit", "as_of") if columns[name] not in have] + (
        [] if columns["value"] in have or columns["low"] in have else ["value"]
    )
    if missing:
        shown = ", ".join(sorted(have)) or "none"
        raise DocumentError(
            path, f"no column {', '.join(missing)} (columns: {shown}): map one with --field"
        )
    out = []
    for number, row in enumerate(rows, start=2):
        out.append(_reference(path, number, {name: row.get(columns[name]) for name in COLUMNS}))
    return out


def _reference(path: Path, number: int, row: dict) -> dict:
    where = f"{path} (row {number})"
    try:
        value = _number(row["value"])
        low = _number(row["low"]) if row["low"] else value
        high = _number(row["high"]) if row["high"] else value
    except ValueError as error:
        raise DocumentError(where, f"not a number: {error}") from None
    if low is None or high is None:
        raise DocumentError(where, "no value, or no low and high")
    as_of = parse_date(row["as_of"])
    if as_of is None:
        raise DocumentError(where, f"as_of {row['as_of']!r} is not a date: use YYYY-MM-DD")
    return reference_row(
        row["concept"] or "", row["subject"] or "", row["unit"] or "", value, low, high,
        as_of, row["source"] or "", row["url"] or "",
    )  # fmt: skip


def _number(text: str | None) -> float | None:
    """A figure of a reference: digits with "," between thousands ("1,250,000"); no NaN,
    infinity or negative figure, and no decimal comma ("1,7")."""
    if text is None or not str(text).strip():
        return None
    written = str(text).strip()
    if re.search(r",\d{0,2}(?!\d)", written):
        raise ValueError(f"{written!r} (write a decimal point, and commas between thousands)")
    number = float(written.replace(",", ""))
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{written!r} (a figure is a finite number, 0 or more)")
    return number


def reference_row(
    concept: str,
    subject: str,
    unit: str,
    value: float | None,
    low: float,
    high: float,
    as_of: str,
    source: str,
    url: str,
    figure_kind: str = "level",
) -> dict:
    """A ``references`` row, with its id and quantity key (its frame: ``claims.frames``).
    ``figure_kind`` is ``level`` for a figure as of its date, ``cumulative`` for the total
    committed up to it (which checks the figures given before it)."""
    code = _currency(unit)
    dimension = "currency" if code else ("percent" if unit == "percent" else "count")
    unit = code or (unit if dimension == "percent" else singular(unit.strip()))
    key = quantity_key(unit, dimension, unit, subject, concept, kind=figure_kind)
    return {
        "id": short_hash("reference", concept, subject, unit, low, high, as_of, source),
        "concept": concept,
        "subject": subject,
        "unit": unit,
        "dimension": dimension,
        "value": value,
        "low": low,
        "high": high,
        "as_of": as_of,
        "source": source,
        "url": url,
        "quantity_key": key,
        "figure_kind": figure_kind,
    }


def _currency(unit: str) -> str | None:
    """The ISO code of a money unit ("EUR", "euro", "euros", "€"), else None."""
    if len(unit) == 3 and unit.isupper():
        return unit
    symbols, names = currency_index()[:2]
    found = symbols.get((unit,)) or names.get(tuple(unit.lower().split()))
    return found.code if found else None


def kiel_references(folder: str | Path) -> Iterator[dict]:
    """The references of the Kiel tracker's files in ``folder``: for each donor and month,
    the totals given by the end of that month, in EUR."""
    path = Path(folder) / "kiel-data_explorer.csv"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError(path, f"cannot read it: {error}") from error
    amounts: dict[tuple[str, int, int], dict] = {}
    months: set[tuple[int, int]] = set()
    rows = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"country", "year", "month", *KIEL_KINDS} - set(rows.fieldnames or [])
    if missing:
        raise DocumentError(
            path, f"not the tracker's data explorer: no {', '.join(sorted(missing))}"
        )
    for number, row in enumerate(rows, start=2):
        try:
            month = (int(row["year"]), int(row["month"]))
            for column in KIEL_KINDS:
                float(row[column] or 0)
        except (TypeError, ValueError):
            raise DocumentError(
                f"{path} (row {number})", "a year, month or amount is no number"
            ) from None
        months.add(month)
        amounts[(row["country"], *month)] = row
    donors = sorted({donor for donor, _, _ in amounts})
    calendar_months = sorted(months)
    for donor in donors:
        totals: dict[str, float] = defaultdict(float)
        started = False
        for year, month in calendar_months:  # a month without new aid keeps the total
            row = amounts.get((donor, year, month))
            started = started or row is not None
            if not started:
                continue
            as_of = f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
            for column, concept in KIEL_KINDS.items():
                totals[column] += float(row[column] or 0) if row else 0.0
                amount = round(totals[column] * 1e9, 2)
                if amount:
                    yield reference_row(
                        concept, donor, "EUR", amount, amount, amount, as_of,
                        KIEL_SOURCE, KIEL_URL,
                    )  # fmt: skip


def kiel_weapons(folder: str | Path) -> Iterator[dict]:
    """The references of the Kiel tracker's weapons file in ``folder``, if it has one: for
    each donor, each weapon model's count ("Leopard-2A6 (18)"), the total committed up to
    the release date of kiel-release_info.csv. It checks the counts given before it: "14
    Leopard 2 tanks" from Germany is within the 18 Leopard-2A6 Germany committed."""
    path = Path(folder) / "kiel-weapons.csv"
    if not path.exists():
        return
    as_of = _kiel_release_date(Path(folder) / "kiel-release_info.csv")
    units = lexicon.mapping("xref", "kiel_weapon_units", case_sensitive=True)
    for number, row in enumerate(_csv_rows(path, {"donor", "category", "weapons_list"}), 2):
        unit = units.get(row["category"])
        if unit is None:
            continue  # a category no claim's noun names
        for item in (row["weapons_list"] or "").split(";"):
            found = re.fullmatch(r"\s*(.+?)\s*\((\d[\d,]*)\)\s*", item)
            if not found and item.strip():
                raise DocumentError(
                    f"{path} (row {number})", f"weapon {item.strip()!r} has no (count)"
                )
            if found:
                model, count = found.group(1), float(found.group(2).replace(",", ""))
                yield reference_row(
                    model, row["donor"], unit, count, count, count, as_of,
                    f"{KIEL_SOURCE} (weapons)", KIEL_URL, figure_kind="cumulative",
                )  # fmt: skip


def _kiel_release_date(path: Path) -> str:
    """The date of the tracker's release (the last row of kiel-release_info.csv)."""
    rows = _csv_rows(path, {"date"})
    as_of = parse_date(rows[-1]["date"]) if rows else None
    if as_of is None:
        raise DocumentError(path, "no release date: the weapons counts need the date they hold on")
    return as_of


def _csv_rows(path: Path, needed: set[str]) -> list[dict]:
    """The rows of a tracker's CSV file, refused with the file's name when it cannot be read
    or lacks a column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError(path, f"cannot read it: {error}") from error
    rows = csv.DictReader(io.StringIO(text, newline=""))
    missing = needed - set(rows.fieldnames or [])
    if missing:
        raise DocumentError(path, f"no column {', '.join(sorted(missing))}")
    return list(rows)


def read_rates(path: str | Path) -> list[dict]:
    """Return the exchange rates of the CSV file ``path``: columns currency, to_currency,
    rate (1 currency = rate to_currency) and an optional source; or the European Central
    Bank's euro reference rates as it publishes them (eurofxref.csv for a day,
    eurofxref-hist.csv for every day since 1999: a column Date, then one a currency, 1
    EUR = so many of it), averaged over the days the file holds (``_ecb_rates``).

    :raises DocumentError: the file is missing, lacks a column, or a rate is no number
    """
    path = Path(path)
    try:
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        rows = list(reader)
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError(path, f"cannot read it: {error}") from error
    header = [(name or "").strip() for name in reader.fieldnames or []]
    if header[:1] == ["Date"]:
        return _ecb_rates(path, rows)
    if not rows:
        raise DocumentError(path, "no rate in it")
    out = []
    for number, row in enumerate(rows, start=2):
        try:
            rate = float(row["rate"])
            if not math.isfinite(rate) or rate <= 0:
                raise ValueError(row["rate"])
            out.append({
                "currency": row["currency"].strip().upper(),
                "to_currency": row["to_currency"].strip().upper(),
                "rate": rate,
                "source": (row.get("source") or "").strip() or None,
            })  # fmt: skip
        except (KeyError, AttributeError, TypeError):
            raise DocumentError(
                path, "needs the columns currency, to_currency, rate (or the ECB's Date, USD, ...)"
            ) from None
        except ValueError:
            reason = f"rate {row['rate']!r} is no number"
            raise DocumentError(f"{path} (row {number})", reason) from None
    return out


def _ecb_rates(path: Path, rows: list[dict]) -> list[dict]:
    """The rates of the ECB's reference rate file: each currency's mean over its days, as
    1 currency = rate EUR ("N/A" where the ECB quoted none that day)."""
    per_euro: dict[str, list[float]] = defaultdict(list)
    days = []
    for number, row in enumerate(rows, start=2):
        if None in row:
            raise DocumentError(f"{path} (row {number})", "more fields than the header names")
        day = ""
        for name, value in row.items():
            name, value = (name or "").strip(), (value or "").strip()
            if name == "Date":
                day = value
            elif re.fullmatch(r"[A-Z]{3}", name) and value not in ("", "N/A"):
                try:
                    rate = float(value)
                except ValueError:
                    rate = math.nan
                if not math.isfinite(rate) or rate <= 0:
                    raise DocumentError(f"{path} (row {number})", f"{name} {value!r} is no rate")
                per_euro[name].append(rate)
                if day and days[-1:] != [day]:
                    days.append(day)  # a day with a rate
    if not per_euro:
        raise DocumentError(path, "no rate: no currency column after Date, or no day")
    span = f"{min(days)} to {max(days)}" if len(days) > 1 else (days[0] if days else "")
    source = f"ECB euro reference rates, mean of {len(days)} days ({span})"
    return [
        {"currency": code, "to_currency": "EUR", "rate": sum(1 / r for r in rates) / len(rates),
         "source": source}
        for code, rates in sorted(per_euro.items())
    ]  # fmt: skip


def store_rates(db: Database, rows: Iterable[dict]) -> int:
    """Upsert exchange rates into ``exchange_rates``; return how many."""
    rows = list(rows)
    with db.conn:
        db["exchange_rates"].upsert_all(rows, pk=("currency", "to_currency"))
    return len(rows)


def store_references(db: Database, rows: Iterable[dict]) -> int:
    """Upsert ``rows`` into ``references``; return how many."""
    rows = list(rows)
    with db.conn:
        db["references"].upsert_all(rows, pk="id")
    return len(rows)
