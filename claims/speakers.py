"""What may stand as a claim's speaker, and the one name a speaker goes by in a document.

The words read as a speaker (``claims.context``) are those before a speech verb or after
"according to", which may hold a word of the clause ("But Kirby"), a possessive
("Blinken's"), a fragment of a title ("of State Antony Blinken"), or no one at all ("It",
"report", "Friday", "Moscow"). A speaker names someone: what is left of it after the words
a speaker never starts with must hold a name (a capitalized word), or end in a group, a
role or an organisation ("analysts", "the mayor", "the central bank"), and be more than a
pronoun, a month, a weekday, a country or a people alone. A surname stands for the fullest
name the document gives its holder ("Lukashenko" -> "Aleksandr Lukashenko"), so that a
person has one speaker string per document. When in doubt, no speaker: an empty speaker
misleads nobody, a wrong one does (#15).
"""

from __future__ import annotations

import re

from claims import lexicon, places

_OPENERS = lexicon.words("speech", "speaker_openers")
_NOT_ALONE = (
    lexicon.words("speech", "not_speakers_alone")
    | lexicon.words("nonclaims", "months")
    | lexicon.words("nonclaims", "weekdays")
)
# The last words of a speaker that need no capital: a group, a role, an organisation.
_UNNAMED = (
    lexicon.words("speech", "speaker_groups")
    | lexicon.words("speech", "roles")
    | lexicon.words("speech", "organization_words")
)
_PREPOSITIONS = frozenset(("of", "for", "to", "from", "with"))
_TITLES = lexicon.words("speech", "titles")
_ROLES = lexicon.words("speech", "roles")
_PARTICLES = frozenset(("of", "the", "and", "for"))
_POSSESSIVES = ("'s", "’s", "'", "’")
_MEDIA = frozenset(places.key(name) for name in lexicon.load("places")["media"])
_GOVERNMENT_WORDS = lexicon.words("places", "government_words")
_ORGANISATION_WORDS = lexicon.words("places", "organisation_words")
_GROUPS = lexicon.words("speech", "speaker_groups")
# Up to three capitalized words right before a surname: "Russian President Vladimir ".
_BEFORE = r"((?:[A-Z][\w'’.-]*[ \t]+){1,3})"


def speaker_name(words: str | None, people: dict[str, str]) -> str | None:
    """The speaker that ``words`` name, as the document names it most fully, or None.

    :param people: lower-case surname -> full name, of the people the document names

    >>> people = {"blinken": "Antony Blinken", "lukashenko": "Aleksandr Lukashenko"}
    >>> [speaker_name(w, people) for w in ["But Kirby", "The FSB", "Lukashenko", "It"]]
    ['Kirby', 'FSB', 'Aleksandr Lukashenko', None]
    >>> [speaker_name(w, people) for w in ["of State Antony Blinken's", "report", "Moscow"]]
    ['Antony Blinken', None, None]
    >>> [speaker_name(w, people) for w in ["the central bank", "analysts", "the latest polls"]]
    ['central bank', 'analysts', None]
    >>> speaker_name("Borrell", {"borrell": "for Foreign Affairs Josep Borrell"})  # unsure
    'Borrell'
    >>> [speaker_name(w, {}) for w in ["a report released on Monday by UNHCR", "Officials"]]
    ['UNHCR', 'officials']
    >>> [speaker_name(w, {}) for w in ["Victoria Nuland", "Mr Putin", "Russia Dmitry Krutoi"]]
    ['Victoria Nuland', 'Putin', 'Dmitry Krutoi']

    """
    if not words:
        return None
    tokens = words.split()
    if tokens and tokens[0].lower() in _PREPOSITIONS:
        # the end of a title ("of State Antony Blinken"): its holder, if the document
        # names the person, else no one can tell where the title ends
        return _full_name(_cleaned(tokens[-1:]), people)
    agent = _agent(tokens)
    if agent:
        return speaker_name(" ".join(agent), people)  # "data provided by the ministry"
    tokens = _cleaned(tokens)
    if len(tokens) == 1 and tokens[0].lower() in _UNNAMED:
        tokens = [tokens[0].lower()]  # "Officials said": a group, whatever its capital
    if not any(_capitalized(token) for token in tokens) and not _unnamed(tokens):
        return None  # "report", "it", "the latest polls": names no one
    name = " ".join(tokens)
    if name.lower().rstrip(".") in _NOT_ALONE or _place(name):
        return None
    if len(tokens) == 1 and tokens[0].lower() in _ROLES:
        return None  # "the minister said": a role whose holder is not known
    tokens = _after_title(tokens) or tokens  # "Mr Putin" -> Putin
    if len(tokens) == 1:
        return _full_name(tokens, people) or tokens[0]
    return " ".join(tokens)


def _place(name: str) -> bool:
    """A country, a capital, a region or a people alone: "Moscow", "Ukrainians", "Kyiv"."""
    entity = places.lookup(name)
    return (
        entity is not None
        and entity.kind in ("country", "region")
        and entity.how in ("name", "demonym", "capital")
    )


def _agent(tokens: list[str]) -> list[str] | None:
    """Who made what is cited, after "by": "a report released on Wednesday by UNHCR" ->
    UNHCR, "data provided by the Ukrainian Ministry of Defense"; None without one."""
    if "by" not in tokens[1:]:
        return None
    after = tokens[len(tokens) - tokens[::-1].index("by") :]
    return after if any(_capitalized(token) for token in after) else None


def person_name(name: str, people: dict[str, str]) -> str | None:
    """A subject's person, as a speaker would be named ("Mr Putin" -> Putin, or the full
    name the document gave before), or None when ``name`` names no person."""
    words = name.split()
    held = _after_title(words)
    if held is None and not looks_like_person(name):
        return None
    if held is not None and not looks_like_person(" ".join(held)):
        return None
    return speaker_name(" ".join(held or words), people)


def looks_like_person(name: str) -> bool:
    """One to three capitalized words, none of a title, a role, an organisation or a
    place, and no acronym: "Kirby", "Julianne Smith" (not "NATO", "Kremlin", "Reuters")."""
    words = name.split()
    return (
        0 < len(words) <= 3
        and all(_capitalized(word) and not word.isupper() and not _titled(word) for word in words)
        and places.key(name) not in _MEDIA
    )


def _after_title(tokens: list[str]) -> list[str] | None:
    """The name of a person after the title it is given: "Army Europe Ben Hodges" -> Ben
    Hodges, "Adm Sir Tony Radakin" -> Tony Radakin; None when the words are no title and a
    name ("Ministry of Defense of Ukraine", "Joe Biden")."""
    k = len(tokens)
    while k > 0 and _capitalized(tokens[k - 1]) and not _titled(tokens[k - 1]):
        k -= 1
    if not 0 < k < len(tokens) or len(tokens) - k > 3:
        return None
    if not all(_titled(token) or token.lower() in _PARTICLES for token in tokens[:k]):
        return None
    if len(tokens) - k == 1 and all(places.ambiguous(token) for token in tokens[:k]):
        return None  # "Victoria Nuland", "Israel Katz": a first name that is a place too
    return tokens[k:]


def _titled(word: str) -> bool:
    """A word of a title, a role, an organisation or a place: no word of a person's name."""
    return _title_word(word) or places.lookup(word) is not None


def _title_word(word: str) -> bool:
    """A word of a title, a role or an organisation's name ("Adm", "spokesman", "Army")."""
    folded = places.key(word)
    return (
        folded in _TITLES
        or folded in _UNNAMED
        or folded in _GOVERNMENT_WORDS
        or folded in _ORGANISATION_WORDS
    )


def _cleaned(tokens: list[str]) -> list[str]:
    """``tokens`` without the words a speaker never starts with, nor a possessive."""
    tokens = list(tokens)
    if tokens and tokens[-1].endswith(_POSSESSIVES):
        tokens[-1] = tokens[-1].removesuffix("s").rstrip("'’")  # "Blinken's" -> Blinken
    while tokens and tokens[0].lower() in _OPENERS:
        tokens.pop(0)
    return [token for token in tokens if token]


def _full_name(surname: list[str], people: dict[str, str]) -> str | None:
    """The fullest name the document gives the holder of ``surname``, or None. The names
    it learned are read as speakers are ("But Kirby" was learned as a name)."""
    if len(surname) != 1 or not _capitalized(surname[0]):
        return None
    learned = people.get(surname[0].lower(), "").split()
    if learned and learned[0].lower() in _PREPOSITIONS:
        return None  # "of National Defense Mariusz Błaszczak": where the title ends is unsaid
    known = _cleaned(learned)
    known = _after_title(known) or known  # "Mr Putin" was learned as a name
    return " ".join(known) if len(known) > 1 else None


def _unnamed(tokens: list[str]) -> bool:
    """True for a group, role or organisation without a name: "analysts", "the mayor",
    "prosecutor general's office" (its last word, or the word before an apostrophe)."""
    return bool(tokens) and tokens[-1].lower().strip("'’") in _UNNAMED


def _capitalized(token: str) -> bool:
    return token[:1].isupper()


def speaker_kind(name: str | None, people: dict[str, str], person: bool = False) -> str | None:
    """What kind of speaker ``name`` is: media (a news organisation), government (a
    government, its ministries, forces and metonyms: "the Kremlin", "UK Ministry of
    Defence", "Ukrainian officials"), organisation (NATO, a company, an institute), person
    (a name the document gives a person, or two or three capitalized words that hold no
    word of an organisation), else unknown; None for no speaker.

    >>> people = {"smith": "Julianne Smith"}
    >>> [speaker_kind(n, people) for n in ["Reuters", "Kremlin", "UK Ministry of Defence"]]
    ['media', 'government', 'government']
    >>> [speaker_kind(n, people) for n in ["NATO", "Julianne Smith", "Smith", "analysts"]]
    ['organisation', 'person', 'person', 'unknown']
    >>> [speaker_kind(n, people) for n in ["US official", "US Air Force", "Ukrainian officials"]]
    ['person', 'government', 'government']
    """
    if not name:
        return None
    if person or _after_title(name.split()) is not None:
        return "person"  # a name the document gives a person in full, or after a title
    if places.key(name) in _MEDIA:
        return "media"
    words = name.split()
    lowers = [places.key(word) for word in words]
    entity = places.lookup(name)
    if entity is not None:
        return "government" if entity.kind in ("country", "region") else "organisation"
    if lowers[-1] in _ROLES:
        return "person"  # "Ukraine's health minister", "UK Defence Secretary": one in a role
    if any(word in _GOVERNMENT_WORDS for word in lowers):
        return "government"
    if any(word in _ORGANISATION_WORDS for word in lowers):
        return "organisation"
    first = places.lookup(words[0])
    if lowers[-1] in _GROUPS:  # "Ukrainian officials" speak for a government
        return "government" if first is not None and first.kind == "country" else "unknown"
    if first is not None or any(places.lookup(word) is not None for word in words):
        return "unknown"  # "Ukrainian customs data", "Chinese diplomats"
    known = {full.lower() for full in people.values()}
    if name.lower() in known or len(words) == 1 and lowers[0] in people:
        return "person"  # a name the document gives a person, or its surname
    if 2 <= len(words) <= 4 and all(word[:1].isupper() for word in words):
        return "person" if not any(word.isupper() for word in words) else "unknown"
    return "unknown"


def fullest_names(text: str, surnames: set[str]) -> dict[str, str]:
    """For each one-word speaker, the fullest name the document gives it anywhere:
    "Putin" -> "Vladimir Putin" from "Russian President Vladimir Putin" (titles, roles and
    places dropped), so that a person has one speaker string in a document. A surname the
    document never gives a first name for is left out."""
    found: dict[str, str] = {}
    for surname in surnames:
        if not _capitalized(surname) or places.lookup(surname) is not None:
            continue
        forms: dict[str, int] = {}
        for match in re.finditer(_BEFORE + re.escape(surname) + r"\b", text):
            words = match.group(1).split()
            ends = [k for k, word in enumerate(words) if word.endswith(".") and len(word) > 2]
            words = words[ends[-1] + 1 :] if ends else words  # "Johannesburg. Putin"
            while words and (_titled(words[0]) or words[0].lower() in _OPENERS):
                if len(words) == 1 and places.ambiguous(words[0]):
                    break  # "Victoria Nuland": a first name that is a place too
                words.pop(0)
            if words and not any(_title_word(word) for word in words):
                form = " ".join([*words, surname])
                forms[form] = forms.get(form, 0) + 1
        if forms:  # the most given form, the longer of two given as often
            found[surname] = max(forms, key=lambda form: (forms[form], len(form)))
    return found
