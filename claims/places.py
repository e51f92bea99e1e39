"""Places and entities: one name for each country, organisation and region news names, and
the place a figure is scoped to.

A fact-checker groups claims by whose they are and where they hold, so "Russian troops",
"Moscow says" and "the Kremlin's figure" must all say Russia, and "in Kharkov" and "in the
Kharkiv region" one region (``subject_name``, ``named_in``). The place of a figure is the
location a locative phrase of its own clause gives: "in Belarus", "on the Ukrainian
border", "in the southern city of Mykolaiv", "on the southern front" (``place``). Where
the text scopes no figure, there is no place: an empty place misleads nobody.

The names are data: lexicon/places.yaml (countries with their aliases, demonyms, capitals
and the metonyms of their governments; organisations; regions with their country; place
nouns; the words of a government's or an organisation's name; media).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claims import concepts, lexicon, numbers
from claims.sentences import Tokens


@dataclass(frozen=True)
class Entity:
    """A named thing: its usual name, its kind, and how the text named it."""

    name: str  # "Russia", "NATO", "Kharkiv"
    kind: str  # "country", "organisation", "region"
    how: str = "name"  # how it was named: name, demonym, capital, government


@lru_cache(maxsize=8192)  # the same names come again and again
def key(text: str) -> str:
    """The form names are looked up by: lower case, without dots, possessive or article
    ("the U.S.'s" -> "us", "Kyiv’s" -> "kyiv")."""
    text = re.sub(r"['’]s?$", "", text.strip())
    text = text.replace(".", "").lower()
    text = re.sub(r"^the\s+", "", text)
    return " ".join(text.split())


def _index() -> dict[str, Entity]:
    """Every name of the lexicon, looked up by ``key``."""
    data = lexicon.load("places")
    found: dict[str, Entity] = {}

    def add(names, entity: Entity) -> None:
        for name in names or ():
            found.setdefault(key(name), entity)

    for name, entry in data["countries"].items():
        entry = entry or {}
        add([name, *entry.get("aliases", [])], Entity(name, "country"))
        add(entry.get("demonyms"), Entity(name, "country", "demonym"))
        capitals = (
            [entry["capital"], *entry.get("capital_aliases", [])] if "capital" in entry else []
        )
        add(capitals, Entity(name, "country", "capital"))
        add(entry.get("government"), Entity(name, "country", "government"))
    for name, entry in data["organisations"].items():
        entry = entry or {}
        add([name, *entry.get("aliases", [])], Entity(name, "organisation"))
    for name, entry in data["regions"].items():
        entry = entry or {}
        add([name, *entry.get("aliases", [])], Entity(name, "region"))
        add(entry.get("demonyms"), Entity(name, "region", "demonym"))  # "European soil"
    return found


# Built at import, not at a first document, whose time budget it would spend (#14).
_INDEX = _index()
# Names that are also common words or first names ("Georgia", "Jordan", "Chad").
_AMBIGUOUS_AS_WRITTEN = frozenset(lexicon.load("places").get("ambiguous", []))
_AMBIGUOUS = frozenset(key(name) for name in _AMBIGUOUS_AS_WRITTEN)


_PLACE_NOUNS = lexicon.words("places", "place_nouns")
_GOVERNMENT_WORDS = lexicon.words("places", "government_words")
_NOT_OWNER_PREPOSITIONS = lexicon.words("places", "not_owner_prepositions")
_LONGEST_NAME = 4  # words: "United States of America"


def lookup(text: str) -> Entity | None:
    """The entity a name names, or None: "Russian" -> Russia, "Kremlin" -> Russia; an
    ambiguous name only as the gazetteer writes it ("WHO", not "Who")."""
    folded = key(text)
    if folded in _AMBIGUOUS and _bare(text) not in _AMBIGUOUS_AS_WRITTEN:
        return None
    return _INDEX.get(folded)


def ambiguous(text: str) -> bool:
    """True for a name the gazetteer says is also a common word or a first name
    ("Victoria", "Israel", "Jordan")."""
    return key(text) in _AMBIGUOUS


def _bare(text: str) -> str:
    """``text`` without an article, a possessive or dots, in its own case."""
    text = re.sub(r"['’]s?$", "", text.strip()).replace(".", "")
    return re.sub(r"^[Tt]he\s+", "", text)


def named_at(tokens: Tokens, k: int, end: int) -> tuple[Entity, int] | None:
    """The entity whose name starts at token k (ending before ``end``) and the token after
    it, longest name first ("United States" before "United")."""
    if not tokens.is_capitalized(k):
        return None
    for size in range(min(_LONGEST_NAME, end - k), 0, -1):
        last = k + size
        if not tokens.is_capitalized(last - 1) and tokens.texts[last - 1] != ".":
            continue
        if tokens.texts[last - 1] == "." and "." not in tokens.texts[last - 2]:
            continue  # "Romania." is a name and a full stop; "U.S." is one name
        found = lookup(tokens.phrase(k, last))
        if found is not None:
            if last < end and tokens.texts[last] == "." and "." in tokens.texts[last - 1]:
                last += 1  # "U.S." is read as "U.S" and "."
            return found, last
    return None


def subject_name(
    subject: str | None, sentence: str = "", names: frozenset[str] = frozenset()
) -> str | None:
    """One name for the entity a subject names: the country for a demonym, a capital or a
    government ("Russian forces", "Moscow", "the Kremlin" -> Russia); a name inside a
    longer phrase ("the era of Vladimir Putin" -> Vladimir Putin); else the subject as it
    is. A phrase of common words with no name in it names no one: None, nor does one
    whose only capital opens ``sentence`` ("Gas prices rose", "Exports from Odesa fell"),
    unless the document writes that word with a capital inside a sentence too (``names``:
    "Rheinmetall shares rose", where "... orders from Rheinmetall" says it is a name)."""
    if not subject:
        return subject
    whole = lookup(subject)
    if whole is not None:
        return whole.name
    words = subject.split()
    if len(words) == 1 and concepts.is_gerund(words[0]):
        return None  # "Shelling killed 4": the sentence's capital, not a name
    runs = [(start, end) for start, end in _name_runs(words) if not _object(words, start)]
    for start, end in runs:
        for size in range(end - start, 0, -1):
            found = lookup(" ".join(words[start : start + size]))
            if found is not None and (
                size == end - start
                or found.how == "demonym"
                and _governs(words[start + size : end])
            ):
                return found.name  # "Ukrainian army", "Ukrainian Armed Forces"
    if not runs:
        return None  # "exports to Poland", "the war in Ukraine": the name is no owner
    if runs == [(0, 1)] and len(words) > 1 and _opens(subject, sentence):
        if words[0] not in names:
            return None  # "Gas prices", "Support for Ukraine": a sentence's capital
    start, end = runs[-1]  # "natural gas reference price Dutch TTF" -> Dutch TTF
    return " ".join(words[start:end]) if start > 0 else subject


def owner_in(phrase: str | None) -> str | None:
    """The country a phrase's first word names as its owner ("Russian revenues",
    "Ukraine's economy" -> Ukraine), or None: the owner of what the figure measures."""
    words = (phrase or "").split()
    if len(words) < 2 or not words[1][:1].islower():
        return None  # "Russian Orthodox Church" is a name, not a country's thing
    entity = lookup(words[0])
    if entity is None or entity.kind != "country" or entity.how not in ("name", "demonym"):
        return None
    return entity.name


def names_inside_sentences(text: str) -> frozenset[str]:
    """The capitalized words ``text`` writes inside a sentence, after a lower-case word or
    a comma: words the text treats as names wherever they stand."""
    return frozenset(_INSIDE.findall(text))


_INSIDE = re.compile(r"(?<=[a-z,;] )([A-Z][\w'’&-]*)")


def _opens(subject: str, sentence: str) -> bool:
    """True when ``subject`` is the first words of ``sentence`` (past quotes and dashes)."""
    return sentence.lstrip(" \"“‘'—–-").startswith(subject)


def _name_runs(words: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each run of capitalized words (with "of", "the" inside a name)."""
    runs, k = [], 0
    while k < len(words):
        if _capitalized(words[k]):
            start = k
            while k < len(words) and (
                _capitalized(words[k])
                or words[k].isdecimal()  # "Leopard 2"
                or words[k] in ("of", "the", "and", "de", "von", "der", "&")
                and k + 1 < len(words)
                and _capitalized(words[k + 1])
            ):
                k += 1
            runs.append((start, k))
        else:
            k += 1
    return runs


def _capitalized(word: str) -> bool:
    return any(c.isupper() for c in word) and not word.startswith(("pro-", "anti-"))


def _governs(name: list[str]) -> bool:
    """True for the words of a government's name after a demonym ("Ukrainian Armed Forces",
    "Russian Defence Ministry"); other names keep their demonym ("Dutch TTF")."""
    return any(key(word) in _GOVERNMENT_WORDS for word in name)


def _object(words: list[str], start: int) -> bool:
    """A name after a preposition other than "of" is where or to whom, not whose: "exports
    to Poland", "life expectancy in Glasgow" (but "the era of Vladimir Putin")."""
    return start > 0 and words[start - 1].lower() in _NOT_OWNER_PREPOSITIONS


def named_in(tokens: Tokens, first: int, last: int) -> str | None:
    """The country named by a demonym or name in a figure's own words: "824 Russian troops"
    -> Russia, "8,500 U.S. troops" -> United States."""
    k = first
    while k < last:
        found = named_at(tokens, k, last)
        if found is not None:
            entity, _ = found
            if entity.kind == "country" and entity.how in ("demonym", "name"):
                return entity.name
            return None
        k += 1
    return None


# ---- place


_LOCATIVES = lexicon.words("places", "locatives")
_COMPOUND_LOCATIVES = lexicon.mapping("places", "compound_locatives")  # "close to": near
_DETERMINERS = frozenset(("the", "a", "an", "its", "their", "this", "that"))
_BOUNDS = lexicon.words("modality", "clause_bounds") | {",", "(", ")", "—", "–"}
_MODIFIERS = lexicon.words("places", "place_modifiers")  # "southern", "occupied"
_PARTS = lexicon.words("places", "part_modifiers")  # "eastern Ukraine" is a part of it
_BARE_PLACE_NOUNS = lexicon.words("places", "bare_place_nouns")  # "the border"
_CONJUNCTIONS = lexicon.words("places", "conjunctions")
_RELATIVE = lexicon.words("places", "relative_locatives")
_KIND_NOUNS = lexicon.words("places", "kind_place_nouns")
_LAND_NOUNS = lexicon.words("places", "land_nouns")
_SPEECH = lexicon.words("speech", "verbs")
_MONTHS = lexicon.words("nonclaims", "months")
_CHANGE_WORDS = frozenset(lexicon.mapping("qualifiers", "change"))
_GOVERNED = lexicon.words("places", "governing_words")
_REACH = 12  # tokens after a figure that its place phrase may start within


def place(tokens: Tokens, first: int, last: int) -> str | None:
    """The place a figure in tokens [first, last) is scoped to: the first locative phrase
    after it in its clause ("killed 6 in the Donetsk region"), else one before it in its
    clause, past one verb at most and none of speech ("troops along the border by 7,000",
    "refugees in Poland fell to 950,000"), else one that opens the sentence ("In Europe,
    gas rose 10%"); None when the text scopes it nowhere."""
    k = last
    while k < tokens.n and k - last < _REACH and not _bound(tokens, k):
        if _figure(tokens, k) or tokens.lowers[k] in _CONJUNCTIONS:
            break  # another figure's words, or another predicate's: "and was recognised in"
        locative = _locative(tokens, k)
        if locative:
            found = _place_at(tokens, k + 1)
            if found:
                return _beside(locative, found)
        k += 1
    k, verbs = first - 1, 0
    while k > 0 and first - k < _REACH and not _bound(tokens, k):
        if tokens.lowers[k] == "where" and tokens.texts[k - 1] == ",":
            return _named_before(tokens, k - 1)  # "Central African Republic, where 1,000"
        locative = _locative(tokens, k)  # "massed close to Ukraine": "to" is no object
        if concepts.is_verb(tokens, k):
            verbs += 1  # "refugees in Poland fell to": the place of the verb's subject
            if verbs > 1 or tokens.lowers[k] in _SPEECH:
                break  # "Officials in Kyiv said 40 tanks": where they speak
        elif _figure(tokens, k) or not locative and _governed(tokens, k):
            break  # "aggression in Ukraine during five hours of talks"
        elif locative:
            found = _place_at(tokens, k + 1)
            if found:
                return _beside(locative, found)  # "its troops along the border by 7,000"
        k -= 1
    opening = 1 if tokens.n and tokens.lowers[0] in _LOCATIVES else 2  # "In", "Close to"
    locative = _locative(tokens, opening - 1) if tokens.n >= opening else None
    if locative and first > opening:
        found = _place_at(tokens, opening)
        comma = _next(tokens, opening, ",")
        if found and comma is not None and comma < first:
            return _beside(locative, found)  # "In Europe, the price rose 10%"
    return None


def _locative(tokens: Tokens, k: int) -> str | None:
    """The locative preposition token k is or ends ("in"; "to" of "close to" is "near"),
    or None."""
    if tokens.lowers[k] in _LOCATIVES:
        return tokens.lowers[k]
    return _COMPOUND_LOCATIVES.get(f"{tokens.lowers[k - 1]} {tokens.lowers[k]}") if k else None


def _beside(locative: str, found: str) -> str:
    """The place with its preposition where that says the figure is beside it, not in it:
    "near Ukraine", "outside Kyiv"."""
    return f"{locative} {found}" if locative in _RELATIVE else found


def _bound(tokens: Tokens, k: int) -> bool:
    """A mark or word that ends a clause, but for a time word before a date: "killed since
    February 2022 in Ukraine" is one clause."""
    if tokens.lowers[k] not in _BOUNDS:
        return False
    following = tokens.lowers[k + 1] if k + 1 < tokens.n else ""
    return not (following in _MONTHS or tokens.is_digits(k + 1) and not _figure(tokens, k + 1))


def _governed(tokens: Tokens, k: int) -> bool:
    """A word that makes the figure after it another phrase's object ("during five hours"),
    but for "to" after a change verb: the level it reaches ("fell to 950,000")."""
    return tokens.lowers[k] in _GOVERNED and not _level(tokens, k)


def _level(tokens: Tokens, k: int) -> bool:
    """ "to" after a change verb: the level it reaches ("fell to 950,000"), not an object."""
    return tokens.lowers[k] == "to" and k > 0 and tokens.lowers[k - 1] in _CHANGE_WORDS


def _named_before(tokens: Tokens, comma: int) -> str | None:
    """The name of up to four capitalized words that ends before ``comma``: the place a
    clause opened by ", where" is in."""
    start = comma
    while start > 0 and comma - start < 4 and tokens.is_capitalized(start - 1):
        start -= 1
    if start == comma or start == 0 and comma - start == 1 and lookup(tokens.texts[0]) is None:
        return None  # no name, or only the sentence's first word
    return tokens.phrase(start, comma)


def _figure(tokens: Tokens, k: int) -> bool:
    """Digits that are no year: another figure ("since February 2022 in Ukraine" reads on)."""
    return tokens.is_digits(k) and not numbers.year(tokens.texts[k], earliest=1800)


def _next(tokens: Tokens, k: int, text: str) -> int | None:
    while k < tokens.n and tokens.texts[k] != text and k < 8:
        k += 1
    return k if k < tokens.n and tokens.texts[k] == text else None


def _place_at(tokens: Tokens, k: int) -> str | None:
    """A place named from token k, after a locative preposition: a known place ("Belarus",
    "the Donetsk region", "Kharkov"), "the city of X", or adjectives and a place noun
    ("the southern front", "the Ukrainian border")."""
    while k < tokens.n and tokens.lowers[k] in _DETERMINERS:
        k += 1
    start = k
    while k < tokens.n and k - start < 3 and tokens.is_word(k) and not tokens.is_capitalized(k):
        end = _place_noun(tokens, k)
        if end is not None:
            if tokens.lowers[end : end + 1] == ["of"] and tokens.is_capitalized(end + 1):
                named = _known_place(tokens, end + 1)  # "the southern city of Mykolaiv"
                if named is None or " ".join(tokens.lowers[k:end]) in _KIND_NOUNS:
                    return named
                return f"{tokens.phrase(start, end)} of {named}"  # "eastern border of Ukraine"
            if k == start and " ".join(tokens.lowers[k:end]) not in _BARE_PLACE_NOUNS:
                return None  # "in the region", "in the country": a place named before
            return tokens.phrase(start, end)  # "the southern front", "the border"
        if tokens.lowers[k] not in _MODIFIERS:
            return None  # "in support to Ukraine": no place is named
        k += 1
    if k < tokens.n and tokens.is_capitalized(k):
        found = named_at(tokens, k, tokens.n)
        if found is not None:
            entity, after = found
            if entity.kind == "organisation":
                return None  # "in NATO", "inside the OSCE": a body, not a place
            noun = _place_noun(tokens, after) if after < tokens.n else None
            if noun is not None and " ".join(tokens.lowers[after:noun]) in _LAND_NOUNS:
                return entity.name  # "on European soil" -> Europe
            if noun is not None:
                return tokens.phrase(start, noun)  # "the Ukrainian border", "Donetsk region"
            if tokens.texts[after - 1].endswith(("'s", "’s")):
                return _owned_place(tokens, after)  # "along Ukraine's eastern front"
            if entity.how in ("name", "capital"):  # "in Georgia" is a place, either one
                parts = [w for w in tokens.lowers[start:k] if w in _PARTS]
                if parts:  # "in eastern Ukraine", "central Kyiv": a part, another place
                    return f"{' '.join(parts)} {tokens.phrase(k, after)}"
                return tokens.phrase(k, after) if entity.kind != "region" else entity.name
            return None
        end = _name_end(tokens, k)
        noun = _place_noun(tokens, end) if end < tokens.n else None
        if noun is not None:
            return tokens.phrase(start, noun)  # "the Zaporizhzhia region": a named region
    return None


def _owned_place(tokens: Tokens, k: int) -> str | None:
    """After a name's possessive, the place that is its own: "Ukraine's eastern front" ->
    "eastern front"; None when what follows is no place ("Ukraine's 1991 borders")."""
    start = k
    while k < tokens.n and k - start < 3 and tokens.lowers[k] in _MODIFIERS:
        k += 1
    end = _place_noun(tokens, k) if k < tokens.n else None
    if end is None or k == start and " ".join(tokens.lowers[k:end]) not in _BARE_PLACE_NOUNS:
        return None
    return tokens.phrase(start - 1, end)


def _known_place(tokens: Tokens, k: int) -> str | None:
    """A capitalized name after "the city of": any such name is a place."""
    end = _name_end(tokens, k)
    return tokens.phrase(k, end) if end > k else None


def _name_end(tokens: Tokens, k: int) -> int:
    """The token after a run of up to three capitalized words from k."""
    end = k
    while end < tokens.n and tokens.is_capitalized(end) and end - k < 3:
        end += 1
    return end


def _place_noun(tokens: Tokens, k: int) -> int | None:
    """The token after a place noun that starts at k ("front line", "border"), or None."""
    for size in (2, 1):
        if k + size <= tokens.n and " ".join(tokens.lowers[k : k + size]) in _PLACE_NOUNS:
            return k + size
    return None
