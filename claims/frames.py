"""A claim's frame: what is measured, whose, where, what kind of figure, and when.

Two figures can only agree or conflict when they are figures of one quantity. News gives
many figures of "Russian troops" in one week: the build-up at Ukraine's border, the part
of it in Belarus, the 7,000 added in recent days, the 5,000 killed at Vuhledar. A key of
unit and country puts all of them in one bucket and calls them conflicts; the frame keeps
them apart (#16):

- ``measure``: the unit's family ("troop", "round / day", "EUR"), and for money, percent
  and other figures whose unit does not say what they count, what is measured ("aid",
  "aid:military");
- ``subject``: whose figure it is, one name per entity ("Russian troops", "the Kremlin" ->
  Russia); "" when the text does not say;
- ``place``: where it holds, one name per place ("near Ukraine", "at the Ukrainian border",
  "on the borders of Ukraine" -> "border of Ukraine"); "" when the text does not say;
- ``kind``: ``level`` (a stock, or the running total of money given), ``total`` (a count
  of what happened since a start: "5,000 missiles since the invasion"), ``change`` ("7,000
  more troops",
  "increased by 7,000"), ``tranche`` (one package of money against the running total),
  ``loss`` (killed, wounded, destroyed: never compared with forces deployed), ``rate``;
  "" when money does not say whether it is a package or a total;
- ``start``/``end``: the period it holds for.

Where a field is unknown the frame says so with "", and ``claims.xref`` treats an unknown
field as no match for a conflict. Word lists: lexicon/frames.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claims import lexicon, places
from claims.speakers import looks_like_person
from claims.units import singular

_REACH = int(lexicon.load("frames")["reach"])
_LOSS = lexicon.words("frames", "loss_words")
_INFLICTING = lexicon.words("frames", "inflicting_words")
#: The words of the qualifiers before a number ("about", "more than"): "rose to about 26%"
#: is "rose to" a level.
_QUALIFYING = frozenset(
    word for phrase in lexicon.mapping("qualifiers", "before") for word in phrase.split()
) - {"to"}
_INCREMENT = lexicon.words("frames", "increment_words")
_CHANGE_VERBS = lexicon.words("frames", "change_verbs")
_TRANCHE = lexicon.words("frames", "tranche_words")
_TOTAL = lexicon.words("frames", "total_words")
_RUNNING = lexicon.words("frames", "running_words")
_GIVEN = lexicon.words("frames", "giving_participles")
_GIVING = lexicon.words("frames", "giving_verbs")
_NEGATIONS = lexicon.words("frames", "negations")
_SENDING = lexicon.words("frames", "sending_verbs")
_MODALS = lexicon.words("frames", "modal_words")
_ARTICLES = frozenset(("a", "an", "the", "its", "their", "his", "her"))
_BORDER = lexicon.words("frames", "border_words")
_NEAR = lexicon.words("frames", "near_words")
_PLACE_STOP = lexicon.words("frames", "place_stop")
_MONEY_MEASURES = {
    name: frozenset(w.lower() for w in words)
    for name, words in lexicon.load("frames")["money_measures"].items()
}
_ASPECTS = {
    name: frozenset(w.lower() for w in words)
    for name, words in lexicon.load("frames")["aspects"].items()
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: Punctuation that ends the figure's phrase: the words past it are another clause's.
_CLAUSE_END = re.compile(r"[,;:()\[\]—–]|\s-\s|\.(?:\s|$)")


@dataclass(frozen=True)
class Frame:
    """What a figure is a figure of (see the module); "" for a field the text leaves open."""

    measure: str
    subject: str = ""
    place: str = ""
    kind: str = ""
    start: str | None = None
    end: str | None = None

    def key(self, dimension: str) -> str:
        """The frame as one string, for SQL and for grouping: ``dimension|measure|subject|
        place|kind`` ("count|troop|Russia|border of Ukraine|level")."""
        return "|".join((dimension, self.measure, self.subject, self.place, self.kind))


def frame_of(
    *,
    measure: str,
    dimension: str,
    subject: str | None = None,
    place: str | None = None,
    concept: str | None = None,
    change: str | None = None,
    before: str = "",
    after: str = "",
    start: str | None = None,
    end: str | None = None,
    fallback: str = "",
    owner: str | None = None,
) -> Frame:
    """The frame of a figure whose unit gives ``measure`` (a unit family, see
    ``claims.xref.unit_family``); ``before`` and ``after`` are the words of its sentence
    on either side of it. ``fallback`` is what is measured when the unit does not say and
    money's phrase names no class (the concept's words); ``owner`` is whose things the
    unit's words say they are ("Russian tanks" -> Russia).

    >>> frame_of(measure="troop", dimension="count", subject="Russia",
    ...          place="near Ukraine", after="massed close to the border").key("count")
    'count|troop|Russia|border of Ukraine|level'
    >>> frame_of(measure="troop", dimension="count", subject="Russia", before="forces killed",
    ...          after="troops near Vuhledar").subject
    ''
    >>> frame_of(measure="USD", dimension="currency", concept="military aid",
    ...          before="announced a further").key("currency")
    'currency|USD aid:military|||tranche'
    """
    clause_before, clause_after = phrase_words(before, after)
    kind = figure_kind(dimension, measure, change, clause_before, clause_after, concept)
    if fallback or dimension == "currency":
        what = ""
        if dimension == "currency":  # its own phrase first, then its clause
            what = money_measure(clause_before[-_REACH:], clause_after[:_REACH], concept)
            what = what or money_measure(clause_before, clause_after, None)
        measure = f"{measure} {what or fallback}".strip()
    where = place_scope(place)
    if where == "border":  # "at the border with Ukraine": the place reader kept "border"
        where = _border_of(clause_after) or where
    whose = owner or subject
    if kind == "loss" and _any(_unqualified(clause_before)[-2:], _INFLICTING):
        whose = owner  # "Russian forces killed 2,000 troops": not Russia's losses
    return Frame(measure, entity(whose), where, kind, start, end)


def phrase_words(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lower-case words of a figure's clause on either side of it, not past the
    punctuation that closes it.

    >>> phrase_words("Kyiv said, the EU will send a further", "in aid; it is the largest")
    (['the', 'eu', 'will', 'send', 'a', 'further'], ['in', 'aid'])
    """
    cut = list(_CLAUSE_END.finditer(before))
    if cut:
        before = before[cut[-1].end() :]
    found = _CLAUSE_END.search(after)
    if found:
        after = after[: found.start()]
    return [w.lower() for w in _WORD.findall(before)], [w.lower() for w in _WORD.findall(after)]


def figure_kind(
    dimension: str,
    measure: str,
    change: str | None,
    before: list[str],
    after: list[str],
    concept: str | None = None,
) -> str:
    """What kind of figure it is (see the module), from the words of its clause before and
    after it: those within ``reach`` of it, and a change verb anywhere before "by N".

    >>> figure_kind("count", "troop", None, ["deploy"], ["more", "troops", "to"])
    'change'
    >>> figure_kind("count", "troop", None, ["the", "border", "by"], [])
    'level'
    >>> by = "increased the number of its troops along the border by".split()
    >>> figure_kind("count", "troop", None, by, [])
    'change'
    >>> figure_kind("count", "troop", None, [], ["troops", "were", "killed"])
    'loss'
    >>> figure_kind("currency", "USD", None, ["approved", "a"], ["aid", "package"])
    'tranche'
    >>> figure_kind("currency", "USD", None, ["sending", "ukraine", "a", "total", "of"], [])
    'level'
    >>> figure_kind("count", "missile", None, ["launched", "more", "than"], ["missiles", "since"])
    'total'
    >>> figure_kind("currency", "EUR", None, ["germany", "has", "given"], ["in", "aid"])
    'level'
    >>> figure_kind("currency", "USD", None, ["approve"], ["in", "wartime", "aid"])
    ''
    """
    if dimension == "rate" or " / " in measure:
        return "rate"
    clause, clause_after = before, after
    before, after = before[-_REACH:], after[:_REACH]
    unqualified = _unqualified(clause)
    concept_words = _first_phrase(concept)
    if _any(after, _LOSS) or _any(unqualified[-2:], _LOSS) or _any(concept_words, _LOSS):
        return "loss"
    money = dimension == "currency"
    incremented = _incremented(before, after)  # whose "change" says only it was added
    rose = change in ("up", "down") and unqualified[-1:] != ["to"]  # "rose to 7%": a level
    if (rose and not incremented) or _by_change(clause):
        return "change"
    if _to_be_sent(unqualified[-_REACH:]) and not (money and _has_phrase(before + after, _TOTAL)):
        return "tranche"  # "will deploy 3,000 more troops", "agreed to send $500 million"
    if incremented:
        return "tranche" if money else "change"
    if money and (_any(after, _TRANCHE) or _any(concept_words, _TRANCHE)):
        return "tranche"
    if money and (_has_phrase(before + after, _TOTAL) or _given(before)):
        return "level"  # the running total given, as the aid trackers count it
    if not money and _has_phrase(clause + clause_after, _RUNNING):
        return "total"  # "5,000 missiles at Ukraine so far"
    return "" if money else "level"


def _first_phrase(concept: str | None) -> list[str]:
    """The lower-case words of a concept's first phrase ("military aid, Germany")."""
    return [w.lower() for w in _WORD.findall((concept or "").split(",")[0])]


def _unqualified(before: list[str]) -> list[str]:
    """The words before a figure without its qualifier: "killed more than" -> "killed"."""
    words = list(before)
    while words and words[-1] in _QUALIFYING:
        words.pop()
    return words


def _any(words: list[str], wanted: frozenset[str]) -> bool:
    return any(word in wanted for word in words)


def _has_phrase(words: list[str], wanted: frozenset[str]) -> bool:
    """True when one of ``wanted`` (words or phrases) is among ``words``."""
    text = f" {' '.join(words)} "
    return any(f" {phrase} " in text for phrase in wanted)


def _by_change(before: list[str]) -> bool:
    """ "increased ... by N": a change verb in the phrase, and "by" right before the
    figure."""
    return bool(before) and before[-1] == "by" and _any(before[:-1], _CHANGE_VERBS)


def giving(before: str) -> bool:
    """True when the verb before a figure gives or promises it: "Berlin has agreed to send
    14 Leopard 2 tanks", "has sent Ukraine 14", not "Germany has 300 tanks in storage", "a
    supply of 300" (a noun), "has refused to send 100" (a refusal).

    >>> giving("Berlin has agreed to send "), giving("Germany has ")
    (True, False)
    >>> giving("Germany has a supply of "), giving("Germany has refused to send ")
    (False, False)
    >>> giving("Germany has sent Ukraine 14 tanks and still has ")
    False
    """
    words = _unqualified(phrase_words(before, "")[0])[-_REACH:]
    for k, word in enumerate(words):
        if word in _GIVING and (k == 0 or words[k - 1] not in _ARTICLES):
            return not _any(words[:k], _NEGATIONS)
    return False


def _to_be_sent(before: list[str]) -> bool:
    """ "will send", "would deploy", "agreed to provide" (a modal or "to" at most two words
    before a sending verb, none negated): the figure is one batch to go somewhere."""
    for k, word in enumerate(before):
        if word in _SENDING and _any(before[max(0, k - 2) : k], _MODALS):
            return not _any(before[:k], _NEGATIONS)
    return False


def _given(before: list[str]) -> bool:
    """ "has given N", "have pledged a total of N": the perfect of giving."""
    return any(
        word in ("has", "have") and _any(before[k + 1 : k + 3], _GIVEN)
        for k, word in enumerate(before)
    )


def _incremented(before: list[str], after: list[str]) -> bool:
    """ "an additional N", "a further N", "N more troops" (not "more than N")."""
    if before[-2:] and _any(before[-2:], _INCREMENT) and before[-1] != "than":
        return not (before[-1] == "more" or (len(before) > 1 and before[-2] == "more"))
    return bool(after) and after[0] in ("more", "additional", "extra", "new", "fresh")


def money_measure(before: list[str], after: list[str], concept: str | None) -> str:
    """What a sum of money measures: its class ("aid", "budget") and aspect
    ("aid:military"), from its phrase, else its concept's first phrase; "" when neither
    says.

    >>> money_measure([], ["in", "military", "aid"], None)
    'aid:military'
    >>> money_measure(["a"], ["support", "package"], "support package, US lawmakers")
    'aid'
    """
    named = _first_phrase(concept)
    for words in (before + after, named):
        for name, cues in _MONEY_MEASURES.items():
            if _any(words, cues) or _any([singular(w) for w in words], cues):
                aspect = next((a for a, cue in _ASPECTS.items() if _has_phrase(words, cue)), "")
                return f"{name}:{aspect}" if aspect else name
    return ""


@lru_cache(maxsize=4096)
def entity(subject: str | None) -> str:
    """One name for whose figure it is: the gazetteer's name for a country, organisation
    or region, also when a name begins with it ("US Senate" -> United States); "" for a
    person (whose troops are the person's?) and for no subject.

    >>> entity("the Kremlin"), entity("US Congress"), entity("Joe Biden"), entity("Acme Corp")
    ('Russia', 'United States', '', 'Acme Corp')
    """
    if not subject:
        return ""
    found = places.lookup(subject)
    if found is not None:
        return found.name
    first = subject.split()[0]
    found = places.lookup(first)
    if found is not None and found.kind == "country":
        return found.name  # "US Senate", "Russian army"
    if looks_like_person(subject) and not places.owner_in(subject):
        return ""
    return subject


@lru_cache(maxsize=4096)
def place_scope(place: str | None) -> str:
    """One name for where a figure holds: the gazetteer's name of a place (a city as the
    text names it: a capital is no country), "border of X" for a border or for "near" a
    country (troops near Ukraine are at its border), "border" for a border the text gives
    no owner. A part of a place ("eastern Ukraine") is another place.

    >>> place_scope("near Ukraine"), place_scope("eastern border of Ukraine")
    ('border of Ukraine', 'border of Ukraine')
    >>> place_scope("Ukrainian border"), place_scope("near borders"), place_scope("Belarus")
    ('border of Ukraine', 'border', 'Belarus')
    >>> place_scope("near Kyiv"), place_scope("eastern Ukraine")
    ('Kyiv', 'eastern Ukraine')
    """
    if not place:
        return ""
    words = [w for w in re.findall(r"[\w'’.-]+", place) if w.lower() not in _PLACE_STOP]
    lower = [w.lower() for w in words]
    if _any(lower, _BORDER):
        owner = _country_in([w for w, low in zip(words, lower, strict=True) if low not in _BORDER])
        return f"border of {owner}" if owner else "border"
    whole = places.lookup(" ".join(words)) if words else None
    if whole is None or whole.how in ("capital", "government"):
        return " ".join(words)  # "Kyiv" is a city, not Ukraine; "eastern Ukraine" is a part
    if whole.kind == "country" and _has_phrase(place.lower().split(), _NEAR):
        return f"border of {whole.name}"
    return whole.name


def _border_of(words: list[str]) -> str:
    """ "border of X" for the first "border with X" or "border of X" among ``words``, else
    ""."""
    for k, word in enumerate(words[:-2]):
        if word in _BORDER and words[k + 1] in ("with", "of"):
            owner = _country_in(words[k + 2 : k + 5])
            return f"border of {owner}" if owner else ""
    return ""


def _country_in(words: list[str]) -> str:
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            found = places.lookup(" ".join(words[start : start + size]))
            if found is not None:
                return found.name
    return ""
