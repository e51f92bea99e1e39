"""Units: the pint registry, the unit and currency lexicons, counted nouns and rates.

pint is for definitions and conversion factors, never called per claim: the registry is
built once, lazily, and every answer is cached per unit string (DESIGN.md, speed rules),
in this process and on disk (``PintAnswers``), so that a command starts without pint.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from claims import lexicon
from claims.errors import LexiconError

DEFINITIONS_FILE = lexicon.LEXICON_DIR / "units.txt"


class PintAnswers:
    """pint's answers about unit strings (names, dimensions, factors), kept in a JSON file
    of the user's cache folder: loading pint costs 0.3-0.5 s, reading the file 1 ms. The
    file's name holds a hash of the unit lexicons and pint's version, so that any change
    to them starts a new file. A cache that cannot be read or written is left alone."""

    def __init__(self):
        self._answers: dict[str, dict] | None = None
        self._changed = False

    def get(self, kind: str, name: str, ask):
        """The answer of ``kind`` for ``name``; ``ask(name)`` gives it when none is kept."""
        answers = self._load()
        found = answers.setdefault(kind, {})
        if name not in found:
            found[name] = ask(name)
            if not self._changed:
                self._changed = True
                atexit.register(self.save)
        return found[name]

    def save(self) -> None:
        path = self._path()
        if not self._changed or path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(self._answers), encoding="utf-8")
            os.replace(partial, path)
            self._changed = False
        except OSError:
            pass

    def _load(self) -> dict[str, dict]:
        if self._answers is None:
            self._answers = {}
            path = self._path()
            try:
                if path is not None:
                    self._answers = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
        return self._answers

    @functools.cache  # noqa: B019 (one instance, for the life of the process)
    def _path(self) -> Path | None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            pint_version = version("pint")
        except PackageNotFoundError:
            return None
        digest = hashlib.sha256(pint_version.encode())
        for name in ("units.yaml", "units.txt", "dimensions.yaml"):
            digest.update((lexicon.LEXICON_DIR / name).read_bytes())
        home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(home) / "claims" / f"pint-{digest.hexdigest()[:16]}.json"


PINT_ANSWERS = PintAnswers()


@dataclass(frozen=True)
class UnitEntry:
    """One physical unit of the lexicon: its canonical name and dimension."""

    name: str
    dimension: str
    pint: bool = True
    scale: float = 1.0  # "1.9 mb/d": a million barrels a day, the number times the scale


@dataclass(frozen=True)
class Currency:
    """One currency of the lexicon, by its ISO 4217 code."""

    code: str


@functools.cache
def registry():
    """Return the project's pint UnitRegistry: pint's defaults plus lexicon/units.txt."""
    import pint  # imported here so that the CLI starts fast when no unit needs pint

    # pint caches its parsed definitions in the user's cache folder: a faster next start
    ureg = pint.UnitRegistry(cache_folder=":auto:")
    ureg.load_definitions(str(DEFINITIONS_FILE))
    return ureg


@functools.cache
def _dimension_names() -> dict:
    """Pint dimensionalities and their names, from lexicon/dimensions.yaml."""
    names = {}
    for name, example in lexicon.mapping("dimensions", "names").items():
        try:
            names.setdefault(registry().parse_units(example).dimensionality, name)
        except Exception as e:  # pint raises several kinds for unknown names
            path = str(lexicon.LEXICON_DIR / "dimensions.yaml")
            raise LexiconError(path, name, f"{example!r} is not a unit: {e}") from None
    return names


def canonical_pint_name(name: str) -> str:
    """Return pint's own name for a unit expression ("km" -> "kilometer")."""
    return PINT_ANSWERS.get("name", name, lambda name: str(registry().parse_units(name)))


def pint_dimension(name: str) -> str:
    """Return the dimension name of a pint unit ("kilometer" -> "length")."""
    return PINT_ANSWERS.get("dimension", name, _ask_dimension)


def _ask_dimension(name: str) -> str:
    return _dimension_names().get(registry().parse_units(name).dimensionality, "physical")


# Lexicon names that are not pint's own ("pound-foot"), and the pint expression of each.
_PINT_EXPRESSIONS: dict[str, str] = {}


def pint_expression(name: str) -> str:
    """The pint expression of a lexicon unit name ("pound-foot" -> "foot * force_pound")."""
    unit_index()
    return _PINT_EXPRESSIONS.get(name, name)


@functools.cache
def base_factor(name: str) -> tuple[float, str, float] | None:
    """Return (factor, base unit, offset) that turn a value in ``name`` into base units,
    or None when pint cannot read the unit ("metric_ton / person").

    Offset units (degree Celsius) need the offset: base = (value + offset) * factor.
    """
    unit_index()  # the lexicon's own names ("pound-foot") and their pint expressions
    found = PINT_ANSWERS.get("base", name, _ask_base_factor)
    return tuple(found) if found is not None else None  # a list once read from JSON


def _ask_base_factor(name: str) -> tuple[float, str, float] | None:
    ureg = registry()
    try:
        unit = ureg.parse_units(_PINT_EXPRESSIONS.get(name, name))
    except Exception:  # pint raises several kinds for words it does not know
        return None
    try:
        quantity = ureg.Quantity(1.0, unit)
        if not quantity._is_multiplicative:
            zero = ureg.Quantity(0.0, unit).to_base_units()
            one = ureg.Quantity(1.0, unit).to_base_units()
            factor = one.magnitude - zero.magnitude
            return factor, str(one.units), zero.magnitude / factor
        base = quantity.to_base_units()
    except Exception:  # a logarithmic unit ("per decade": pint's decade is a ratio of ten)
        return None
    return float(base.magnitude), str(base.units), 0.0


def _surface_key(surface: str, case_sensitive: bool) -> tuple[str, ...]:
    """Token tuple under which a surface is indexed (see claims.extract's tokenizer)."""
    tokens = tuple(tokenize_words(surface))
    return tokens if case_sensitive else tuple(t.lower() for t in tokens)


# A word of running text: "metre", "pound-feet", "Ukraine's", or an abbreviation of single
# letters joined by dots ("U.S", "a.m": the last dot stays apart, as it may end a sentence).
# One branch that starts with the letter, so that the scan tests each word start once.
WORD_PATTERN = r"""[^\W\d_](?:(?:\.[^\W\d_])+(?![^\W\d_])   # U.S / a.m / e.g
                           | [^\W\d_]*(?:[-'’][^\W\d_]+)*)  # metre / pound-feet / Ukraine's"""

# A lexicon surface is split like running text: words, digits, and single signs.
_surface_token = re.compile(
    rf"""{WORD_PATTERN}
      | \d+                              # digits inside symbols: m2, km2
      | [^\w\s]                          # one sign: $ % ° /
    """,
    re.VERBOSE,
)


def tokenize_words(text: str) -> list[str]:
    """Split a lexicon surface into tokens the way extraction splits sentences."""
    return _surface_token.findall(text)


@functools.cache
def unit_index() -> tuple[dict, dict, int]:
    """Return (words, symbols, longest) indexes of lexicon/units.yaml.

    ``words`` maps lower-case token tuples, ``symbols`` case-sensitive ones, to UnitEntry.
    """
    path = str(lexicon.LEXICON_DIR / "units.yaml")
    entries = lexicon.load("units")
    if not isinstance(entries, list):
        raise LexiconError(path, "units", "must be a list of unit entries")
    by_word: dict[tuple, UnitEntry] = {}
    by_symbol: dict[tuple, UnitEntry] = {}
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            raise LexiconError(path, str(entry), "needs a 'name'")
        uses_pint = entry.get("pint", True)
        if uses_pint is True:
            try:
                canonical = canonical_pint_name(name)
            except Exception as e:  # pint raises several kinds for unknown names
                raise LexiconError(path, name, f"is not a unit of the registry: {e}") from None
            unit = UnitEntry(canonical, entry.get("dimension") or pint_dimension(canonical))
        elif isinstance(uses_pint, str):
            # a name people read ("pound-foot") for a pint expression ("foot * force_pound")
            try:
                canonical_pint_name(uses_pint)
            except Exception as e:
                raise LexiconError(path, name, f"pint: {uses_pint!r} is not a unit: {e}") from None
            _PINT_EXPRESSIONS[name] = uses_pint
            unit = UnitEntry(name, entry.get("dimension") or pint_dimension(uses_pint))
        else:
            unit = UnitEntry(name, entry.get("dimension", "count"), pint=False)
        scale = entry.get("scale", 1)
        if not isinstance(scale, (int, float)) or isinstance(scale, bool) or scale <= 0:
            raise LexiconError(path, name, f"scale must be a positive number, not {scale!r}")
        unit = replace(unit, scale=float(scale))
        for surface in entry.get("words", []):
            by_word[_surface_key(str(surface), case_sensitive=False)] = unit
        for surface in entry.get("symbols", []):
            by_symbol[_surface_key(str(surface), case_sensitive=True)] = unit
    longest = max(len(k) for k in (*by_word, *by_symbol))
    return by_word, by_symbol, longest


@functools.cache
def denominator_index() -> dict[tuple, UnitEntry]:
    """Return the symbols of lexicon/units.yaml read only after "/" ("km/s"), as tokens."""
    by_word, by_symbol, _ = unit_index()
    index = {}
    for entry in lexicon.load("units"):
        for surface in entry.get("denominator_symbols", []):
            unit = by_word.get(_surface_key(entry["words"][0], case_sensitive=False))
            index[_surface_key(str(surface), case_sensitive=True)] = unit
    return index


@functools.cache
def currency_index() -> tuple[dict, dict, dict, dict]:
    """Return (symbols, words, codes, subunits) indexes of lexicon/currencies.yaml.

    ``symbols`` and ``codes`` are case-sensitive token tuples; ``words`` and ``subunits``
    lower-case ones. Values are Currency (subunits map to (Currency, subunit name)).
    """
    path = str(lexicon.LEXICON_DIR / "currencies.yaml")
    entries = lexicon.load("currencies")
    symbols: dict[tuple, Currency] = {}
    words: dict[tuple, Currency] = {}
    codes: dict[tuple, Currency] = {}
    subunits: dict[tuple, tuple[Currency, str]] = {}
    for entry in entries:
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
            raise LexiconError(path, str(code), "needs a three-letter ISO 4217 'code'")
        sub = entry.get("subunit") or {}
        currency = Currency(code)
        codes[(code,)] = currency
        for symbol in entry.get("symbols", []):
            symbols[_surface_key(str(symbol), case_sensitive=True)] = currency
        for word in entry.get("words", []):
            words[_surface_key(str(word), case_sensitive=False)] = currency
        for word in sub.get("words", []):
            subunits.setdefault(
                _surface_key(str(word), case_sensitive=False), (currency, sub["name"])
            )
    return symbols, words, codes, subunits


@functools.cache
def currency_echoes() -> dict[tuple, str]:
    """Return the words that may name a currency again after an amount ("$75 U.S."), as
    case-sensitive token tuples mapped to ISO codes: each code and the ``echoes`` of
    lexicon/currencies.yaml."""
    echoes = {}
    for entry in lexicon.load("currencies"):
        for word in [entry["code"], *entry.get("echoes", [])]:
            echoes[_surface_key(str(word), case_sensitive=True)] = entry["code"]
    return echoes


def singular(word: str) -> str:
    """Return the singular of an English noun, lower-case ("shells" -> "shell").

    >>> [singular(w) for w in ["rounds", "countries", "people", "bosses", "news", "MPs", "buses"]]
    ['round', 'country', 'person', 'boss', 'news', 'mp', 'bus']
    """
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower in _NOT_PLURAL:
        return lower
    if _ACRONYM_PLURAL(word):
        return lower[:-1]  # "MPs", "TDs", "NGOs": an acronym's plural, however short
    if lower.endswith("men") and len(lower) > 4:
        return lower[:-3] + "man"  # fishermen, servicemen, gunmen
    if not lower.endswith("s") or len(lower) <= 3:
        return lower
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return lower[:-2]
    if lower.endswith("es") and lower[:-2] in _NOT_PLURAL:
        return lower[:-2]  # "buses", "viruses", "bonuses": the plural of a singular in -s
    if lower.endswith(("ss", "us", "is")):
        return lower
    return lower[:-1]


def is_plural(word: str) -> bool:
    """True when ``word`` reads as a plural noun ("shells", "people", not "gas")."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower] != lower or lower in _UNCOUNTED_PLURALS
    return singular(word) != lower


_IRREGULAR = lexicon.mapping("nouns", "irregular")
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s").fullmatch
_NOT_PLURAL = lexicon.words("nouns", "not_plural")
_UNCOUNTED_PLURALS = lexicon.words("nouns", "uncounted_plurals")
