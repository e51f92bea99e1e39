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

from claims import lexicon

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
_POSSESSIVES = ("'s", "’s", "'", "’")


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

    """
    if not words:
        return None
    tokens = words.split()
    if tokens and tokens[0].lower() in _PREPOSITIONS:
        # the end of a title ("of State Antony Blinken"): its holder, if the document
        # names the person, else no one can tell where the title ends
        return _full_name(_cleaned(tokens[-1:]), people)
    tokens = _cleaned(tokens)
    if not any(_capitalized(token) for token in tokens) and not _unnamed(tokens):
        return None  # "report", "it", "the latest polls": names no one
    name = " ".join(tokens)
    if name.lower().rstrip(".") in _NOT_ALONE:
        return None
    return (_full_name(tokens, people) or name) if len(tokens) == 1 else name


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
    return " ".join(known) if len(known) > 1 else None


def _unnamed(tokens: list[str]) -> bool:
    """True for a group, role or organisation without a name: "analysts", "the mayor",
    "prosecutor general's office" (its last word, or the word before an apostrophe)."""
    return bool(tokens) and tokens[-1].lower().strip("'’") in _UNNAMED


def _capitalized(token: str) -> bool:
    return token[:1].isupper()
