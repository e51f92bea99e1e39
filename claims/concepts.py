"""Concepts: what a figure measures, as a short phrase from its sentence, and its subject.

Read in this order, the first that holds wins:

1. "5% of its workforce", "two-thirds of Ukrainians": the phrase after "of";
2. "a fine of 10.5 million", "a net worth of $1.7bn": the phrase before "of";
3. "a $150,000 contract with American Media": the phrase the figure stands before;
4. "pulled the healthcare sector 0.68 percent lower": the object right before the figure;
5. the subject of the verb that governs the figure, found by reading back from it:
   "Dell on Monday announced plans to lay off more than 6,650 employees" -> Dell,
   "Tesla jumped 8.5% and Starbucks gained 3.5%" -> Starbucks for 3.5%,
   "Ford (F) which has 13000 workers" -> Ford (F); a pronoun ("it has") stands for the
   subject of the verb before it ("The company also said it has ...").

A figure whose subject is a pronoun with nothing before it, or another figure ("Dozens of
people were killed ... at two mosques"), has no concept. Word lists: lexicon/concepts.yaml.
"""

from __future__ import annotations

import re

from claims import lexicon, numbers, units
from claims.sentences import Tokens


def _verb_forms() -> frozenset[str]:
    """Every form of the lexicon's verbs: base, -s/-es, -ed, and the irregular ones."""
    forms = set(lexicon.words("concepts", "irregular_verbs"))
    for base in lexicon.words("concepts", "verb_bases"):
        stem = base[:-1] if base.endswith("e") else base
        third = base + "es" if base.endswith(("s", "sh", "ch", "x", "z", "o")) else base + "s"
        past = stem + "ed"
        if base.endswith("y") and base[-2:-1] not in "aeiou":
            third, past = base[:-1] + "ies", base[:-1] + "ied"
        forms |= {base, third, past}
    return frozenset(forms)


_VERBS = _verb_forms()
_VERB_BASES = lexicon.words("concepts", "verb_bases")
_PLURALS = frozenset(  # "estimates", "sales", "costs": the verbs' -s forms read as plurals
    w for w in _VERBS if w.endswith("s") and (w[:-1] in _VERB_BASES or w[:-2] in _VERB_BASES)
)
_AUXILIARIES = lexicon.words("concepts", "auxiliaries")
_IRREGULAR = lexicon.words("concepts", "irregular_verbs")
_PRONOUNS = lexicon.words("concepts", "pronouns")
_EXTENDERS = lexicon.words("concepts", "extenders")
_DETERMINERS = lexicon.words("concepts", "determiners")
_STOP = lexicon.words("nouns", "stop")
_CHANGES = frozenset(lexicon.mapping("qualifiers", "change"))
# Speech verbs that are nouns or other verbs too ("analyst estimates of 240", "sales
# posted a drop") are read as such here.
_SPEECH = lexicon.words("speech", "verbs") - lexicon.words("speech", "not_only_speech")
_QUALIFIER_WORDS = frozenset(
    w for phrase in lexicon.mapping("qualifiers", "before") for w in phrase.split()
)
_TIME_WORDS = (
    lexicon.words("nonclaims", "weekdays")
    | lexicon.words("nonclaims", "months")
    | lexicon.words("concepts", "time_nouns")
)
_RELATIVES = lexicon.words("concepts", "relatives")
_ADVERBS = lexicon.words("concepts", "adverbs")
_ADVERBIAL_PHRASES = tuple(tuple(p.split()) for p in lexicon.words("concepts", "adverbial_phrases"))
_NOT_OBJECTS = lexicon.words("concepts", "not_objects")
_NOT_CONCEPT = lexicon.words("concepts", "not_concept_words")
_NOT_ALONE = lexicon.words("concepts", "not_alone")
_NOT_MODIFIERS = (
    lexicon.words("concepts", "not_modifiers") | _NOT_ALONE | _QUALIFIER_WORDS | _DETERMINERS
)
_NUMBER_WORDS = (
    frozenset(numbers.UNIT_WORDS)
    | frozenset(numbers.TENS_WORDS)
    | frozenset(numbers.SCALE_WORDS)
    | frozenset(numbers.VAGUE_PLURALS)
    | frozenset(numbers.MULTIPLIER_WORDS)
)
_CURRENCY_NAMES = units.currency_index()[1]
_CLAUSE_MARKS = frozenset((";", ":", "(", ")", "—", "–"))
_LABEL_MARKS = lexicon.words("concepts", "label_marks")
_ARTICLES = lexicon.words("concepts", "articles")
_SIGNS = ("$", "%", "€", "£", "¥", "₴")
_LONGEST = 6
# Unions the readers test on every token, built once.
_NOUN_VERBS = _VERB_BASES | _PLURALS
_NOT_HEADS = _AUXILIARIES | _SPEECH | _STOP
_NOT_VERB_NOUNS = _AUXILIARIES | _SPEECH | _NOT_OBJECTS
_AUXILIARIES_SPEECH = _AUXILIARIES | _SPEECH
_OBJECT_STARTS = _DETERMINERS | _PRONOUNS
_NOT_AFTER_RELATIVE = _DETERMINERS | _STOP | _PRONOUNS
_NOT_MODIFIED = _DETERMINERS | _NOT_OBJECTS | lexicon.words("places", "locatives")  # "near"
_NOT_LABELS = _NOT_OBJECTS | _STOP
_BEFORE_HEAD = _DETERMINERS | _EXTENDERS
_KEPT_AFTER = frozenset(("of", "for", "per"))  # "the price of gold per ounce is"
_POSSESSIVES = frozenset(("its", "their", "his", "her", "our"))
_LINKS = frozenset(("to", "by", "from"))  # "cut the rate to 2.5%", "boost the range by 35 miles"


def concept(
    tokens: Tokens, first: int, last: int, counted: str | None = None
) -> tuple[str | None, str | None]:
    """Return (concept, subject) for the figure in tokens [first, last); ``counted`` is the
    noun it counts as written ("troops"), when it counts things."""
    previous = _figure_before(tokens, first)
    if previous is not None:
        return concept(tokens, previous, first - 1)  # "down 68 p at 1112 p": one thing
    last = _past_conversion(tokens, last)
    possessor = _possessor(tokens, first)
    subject = possessor or _governing_subject(tokens, first)
    owner = _owner(_named(subject)) if possessor else _named_owner(tokens, first, subject)
    for read in (_after_of, _before_of, _modified, _object_before, _changed_object, _label_before):
        phrase = read(tokens, first, last)
        if phrase:
            alone = read is _label_before or (  # "pulled the healthcare sector 0.68 percent
                read is _object_before and not _owned_object(tokens, first, last)  # lower"
            )  # a label, or a verb's object not the subject's own ("its forecast"), stands alone
            if (
                not alone
                and subject
                and subject.lower() not in phrase.lower()
                and phrase.lower() not in subject.lower()
            ):
                phrase = f"{phrase}, {subject}"  # "5% of its workforce" -> "workforce, Dell"
            return phrase, owner
    counts = measure(tokens, first, last, counted) if counted else None
    if counts and (subject or counts != counted):  # what it counts, and what was done to
        # them: "troops amassed", "helmets ordered"; a noun alone only with its owner
        if subject and subject.lower() not in counts.lower():
            counts = f"{counts}, {subject}"  # "troops amassed, Russia"
        return counts, owner
    return subject, owner


def _named_owner(tokens: Tokens, first: int, subject: str | None) -> str | None:
    """The named subject that owns the figure, read back through the subjects that name
    nothing ("The United States will transfer a package worth $3 billion": the package
    names nothing, the United States does), up to one that reports it ("Reuters reported
    that 40 tanks were destroyed": no owner)."""
    k = first
    for _ in range(3):
        if _reported(tokens, k):
            return None
        if _named(subject):
            return _owner(_named(subject))
        start = _phrase_start(tokens, k, subject) if subject else None
        if start is None:
            return None
        k = start
        subject = _governing_subject(tokens, k)
    return None


def _phrase_start(tokens: Tokens, before: int, phrase: str) -> int | None:
    """The token where the last ``phrase`` before token ``before`` starts, or None."""
    end = tokens.starts[before] - tokens.offset if before < tokens.n else len(tokens.sentence)
    at = tokens.sentence.rfind(phrase, 0, end)
    if at < 0:
        return None
    k = tokens.inside(tokens.offset + at, tokens.offset + at + 1)[0]
    return k if 0 < k < before else None


def _reported(tokens: Tokens, first: int) -> bool:
    """True when the verb nearest before the figure is one of speech that opens a clause:
    its subject is who says the figure, not whose it is ("Reuters reported that 40 tanks
    were destroyed", "officials said 6 people were killed"); not one whose object holds it
    ("Kishida announced a plan to invest $75 billion")."""
    for k in range(first - 1, -1, -1):
        if tokens.texts[k] in _CLAUSE_MARKS:
            return False
        if _is_verb(tokens, k):
            if tokens.lowers[k] not in _SPEECH:
                return False
            between = tokens.lowers[k + 1 : first]
            return "that" in between or all(
                word in _QUALIFIER_WORDS and word not in _DETERMINERS for word in between
            )
    return False


def measure(tokens: Tokens, first: int, last: int, counted: str) -> str:
    """What a count in tokens [first, last) measures: the counted noun with the past
    participle of the verb right before the figure ("has recaptured dozens of villages" ->
    "villages recaptured"), or after it past an auxiliary ("28 journalists were killed" ->
    "journalists killed"); else the noun alone."""
    k = first - 1
    while k >= 0 and tokens.lowers[k] in _QUALIFIER_WORDS:
        k -= 1  # "amassed at least 130,000 troops"
    if k >= 0 and not tokens.is_capitalized(k):
        word = tokens.lowers[k]
        after_auxiliary = k > 0 and tokens.lowers[k - 1] in _AUXILIARIES  # "has amassed"
        if _past(tokens, k, after_auxiliary):
            return f"{counted} {word}"  # "ships lost", "troops amassed"
    k = last
    auxiliaries = 0
    while k < tokens.n and (tokens.lowers[k] in _AUXILIARIES or _adverb(tokens, k)):
        auxiliaries += tokens.lowers[k] in _AUXILIARIES
        k += 1  # "were reportedly killed", "have crossed"
    if auxiliaries and k < tokens.n and _past(tokens, k, True):
        return f"{counted} {tokens.lowers[k]}"  # "journalists killed", "people crossed"
    return counted


def _past(tokens: Tokens, k: int, after_auxiliary: bool) -> bool:
    """A past form at k that is no auxiliary or speech verb: "amassed", "lost", "killed"."""
    word = tokens.lowers[k]
    if tokens.is_capitalized(k) or word in _AUXILIARIES_SPEECH:
        return False
    return word in _IRREGULAR or word.endswith("ed") and (after_auxiliary or _is_verb(tokens, k))


def _owner(subject: str | None) -> str | None:
    """The entity a possessive subject belongs to: "Ukraine's health minister" -> Ukraine,
    "the EU's executive" -> EU; whose figure it is (#15). Else the subject as it is.

    >>> _owner("Ukraine's air defenses"), _owner("the EU’s executive"), _owner("Pentagon")
    ('Ukraine', 'EU', 'Pentagon')
    """
    if not subject:
        return subject
    found = _possessive(subject)
    return found.group(1) if found else subject


def _figure_before(tokens: Tokens, first: int) -> int | None:
    """The figure a level follows: "up 19 cents at $58.24", "down 68 p at 1112 p" (its
    first token), or None."""
    if first < 2 or tokens.lowers[first - 1] not in ("at", "to"):
        return None
    for j in range(first - 2, max(-1, first - 5), -1):
        if tokens.is_digits(j):
            while j > 0 and tokens.texts[j - 1] in _SIGNS:
                j -= 1
            return j
        if tokens.texts[j] in _CLAUSE_MARKS or tokens.texts[j] == ",":
            return None
    return None


def _possessor(tokens: Tokens, first: int) -> str | None:
    """The owner named right before the figure: "The EU's €50 billion Ukraine Facility" -> EU,
    "The iPhone 14's 6.1-inch display" -> iPhone 14."""
    if first < 1 or not tokens.lowers[first - 1].endswith(("'s", "’s")):
        return None
    start = first - 1
    while start > 0 and first - start < _LONGEST and _noun_word(tokens, start - 1):
        start -= 1
    return tokens.phrase(start, first)[:-2] or None


def _past_conversion(tokens: Tokens, last: int) -> int:
    """Step over the bracket that gives the figure in other units, or out of the bracket the
    figure stands in: "8 miles (13 kilometers) of new tunnels"."""
    if last < tokens.n and tokens.texts[last] == ")":
        return last + 1
    close = _closing_bracket(tokens, last, 8)
    if close is not None and (tokens.is_digits(last + 1) or tokens.texts[last + 1] in _SIGNS):
        return close + 1
    return last


# A subject that opens with a name's possessive: "Ukraine's", "the EU's", "New York's".
_possessive = re.compile(
    r"""(?:[Tt]he\s+)?                     # "the EU's"
    ((?:[A-Z][\w.&-]*\s+)*[A-Z][\w.&-]*)   # capitalized words: the owner
    ['’]s\b                                # its possessive
    """,
    re.VERBOSE,
).match


def _named(phrase: str | None) -> str | None:
    """The phrase, when it names something: holds a capitalized word that is no month
    ("the September crude contract" names nothing)."""
    if not phrase:
        return None
    names = [
        w
        for w in phrase.split()
        if not w.islower() and w.lower() != w.upper() and w.lower() not in _TIME_WORDS
    ]
    return phrase if names else None


def is_gerund(word: str) -> bool:
    """True for the -ing form of a verb of the lexicon: "Shelling", "fighting"."""
    stem = word.lower().removesuffix("ing")
    return stem != word.lower() and (
        stem in _VERB_BASES or stem + "e" in _VERB_BASES or stem[:-1] in _VERB_BASES
    )  # "shelling", "raising", "cutting"


def is_verb(tokens: Tokens, k: int) -> bool:
    """True for a verb of news at token k ("amassed", "rose"), not a name or a noun."""
    return _is_verb(tokens, k)


def _is_verb(tokens: Tokens, k: int) -> bool:
    word = tokens.lowers[k]
    if tokens.is_capitalized(k) and (k > 0 or word.endswith("s")):
        return False  # "Rose", "Lost": names inside a sentence; "Exports to China dropped"
    if word.endswith("ing") and k > 0 and tokens.lowers[k - 1] in _AUXILIARIES:
        return True  # "is trending"
    if k > 0 and tokens.lowers[k - 1] in _ARTICLES:
        return False  # "the charge", "a cut": a noun after an article
    if word in _VERB_BASES and 0 < k < tokens.n - 1 and tokens.lowers[k + 1] in _AUXILIARIES:
        return False  # "The movie file is 16 billion b": a noun before its verb
    return word in _VERBS or (word in _CHANGES and word not in ("up", "down")) or word in _SPEECH


def _noun_word(tokens: Tokens, k: int) -> bool:
    """True for a word that can stand in a noun phrase (not a verb, not a function word)."""
    if not tokens.is_word(k):
        return _in_name(tokens, k)
    word = tokens.lowers[k]
    if tokens.glued(k) and tokens.is_digits(k - 1):
        return False  # "50mL of": the unit of a figure
    if _acronym(tokens, k):
        return True  # "The US dollar": a name, not the pronoun "us"
    if len(word) == 1 and word != "&" or word in _NOT_CONCEPT:
        return False  # "down 68 p", "34.4% higher": a symbol or a comparative
    if word in _NUMBER_WORDS or word.partition("-")[0] in _NUMBER_WORDS:
        compound = "-" in word and word.partition("-")[2] not in _NUMBER_WORDS
        return compound or _hyphened(tokens, k)  # "Dozens of people": the figure; "two-bedroom"
    return word not in _STOP and word not in _PRONOUNS and not _is_verb(tokens, k)


def _acronym(tokens: Tokens, k: int) -> bool:
    """An upper-case name of two letters or more that is no unit: "US", "NATO", "EU"."""
    text = tokens.texts[k]
    return len(text) > 1 and text.isupper() and text.isalpha() and not tokens.glued(k)


def _hyphened(tokens: Tokens, k: int) -> bool:
    """True for a word joined by a hyphen to the word after it: "two-bedroom"."""
    return tokens.texts[k + 1 : k + 2] == ["-"] and tokens.glued(k + 1) and tokens.glued(k + 2)


def _head_noun(tokens: Tokens, k: int, before_figure: bool = False, first: bool = False) -> bool:
    """A verb's base form that ends a noun phrase as its head: "driving range by",
    "dividend yield of", "state incentive grant worth" (no object follows it; before a
    figure, a noun right before it: "boost the driving range by about 35 miles")."""
    word = tokens.lowers[k]
    if word not in _NOUN_VERBS or tokens.is_capitalized(k) or word in _NOT_HEADS:
        return False
    if word not in _VERB_BASES and not first and tokens.lowers[k + 1 : k + 2] != ["of"]:
        return False  # "Ukraine Facility runs until": after a noun, an -s form is its verb
    if before_figure:
        return k > 0 and _noun_word(tokens, k - 1) and tokens.lowers[k - 1] not in _DETERMINERS
    if first:
        return True  # where a noun phrase must start: "19 kilometres of track", "a 3% rise"
    after = k + 1
    return (
        after >= tokens.n
        or not tokens.is_word(after)
        and not tokens.is_digits(after)
        or tokens.lowers[after] in _STOP
        and tokens.lowers[after] not in _OBJECT_STARTS
    )


def _in_name(tokens: Tokens, k: int) -> bool:
    """Digits or a hyphen inside a name or a compound: "S&P 500", "TA-35", "two-bedroom"."""
    if tokens.texts[k] == "-" and tokens.glued(k) and tokens.glued(k + 1):
        return tokens.is_capitalized(k - 1) or (
            tokens.is_word(k + 1) and tokens.lowers[k - 1] in _NUMBER_WORDS
        )
    if tokens.is_digits(k) and k > 0:
        if tokens.texts[k - 1] == "-" and tokens.glued(k):
            return k > 1 and tokens.is_capitalized(k - 2) and tokens.glued(k - 1)
        return tokens.is_capitalized(k - 1)
    return False


def _phrase_at(tokens: Tokens, k: int, after_preposition: bool = False) -> str | None:
    """A noun phrase that starts at k (determiners dropped), with one prepositional phrase
    when its object names something ("exports to China", not "revenue in the quarter")."""
    while k < tokens.n and tokens.lowers[k] in _DETERMINERS:
        k += 1
    start = k
    while (
        k < tokens.n
        and k - start < _LONGEST
        and (
            _noun_word(tokens, k)
            or k == start
            and after_preposition
            and _head_noun(tokens, k, first=True)
            or k > start
            and _head_noun(tokens, k)
        )
        and tokens.near(k)
    ):
        if k > start and _participle(tokens, k):
            break  # "wire fraud admitting", "EcoBoost engine tuned by"
        k = _past_brackets(tokens, k + 1)
    if k == start or (k - start == 1 and tokens.lowers[start] in _TIME_WORDS):
        return None
    end = k
    if k + 1 < tokens.n and tokens.lowers[k] in _EXTENDERS:
        j = k + 1
        while j < tokens.n and tokens.lowers[j] in _DETERMINERS:
            j += 1
        tail = j
        while (
            tail < tokens.n
            and tail - j < 3
            and (_noun_word(tokens, tail) or _modifying_participle(tokens, tail))
        ):
            tail += 1
        following = tokens.lowers[j] if j < tokens.n else ""  # "a rise in the" ends a text
        timely = following in _TIME_WORDS or following in ("year", "week", "month")
        if (
            tail > j
            and not timely
            and (tokens.lowers[k] in ("of", "on") or _named(tokens.phrase(j, tail)))
        ):
            end = tail  # "exports to China", "tax on imported vehicles"
    return tokens.phrase(start, end)


def _past_brackets(tokens: Tokens, k: int) -> int:
    """Step over a short bracket after a name: "Ford (F)", "European automakers (.SXAP)"."""
    close = _closing_bracket(tokens, k, 4)
    return k if close is None else close + 1


def _closing_bracket(tokens: Tokens, k: int, within: int) -> int | None:
    """The ")" that closes a "(" at token k, fewer than ``within`` tokens on, or None."""
    if k < tokens.n and tokens.texts[k] == "(":
        for close in range(k + 1, min(tokens.n, k + within)):
            if tokens.texts[close] == ")":
                return close
    return None


def _after_of(tokens: Tokens, first: int, last: int) -> str | None:
    """'5% of its workforce' -> workforce; '$205 million in humanitarian aid' -> humanitarian
    aid; '47.6% from the field' -> field."""
    if last < tokens.n and tokens.lowers[last] in ("of", "in", "from"):
        if tokens.lowers[last] != "of" and not _money_or_share(tokens, first, last):
            return None
        phrase = _phrase_at(tokens, last + 1, after_preposition=True)
        return None if phrase and phrase.split()[0].lower() in _TIME_WORDS else phrase
    return None


def _money_or_share(tokens: Tokens, first: int, last: int) -> bool:
    """True for an amount of money or a percentage: '$1 billion', '47.6%', 'EUR 5m'."""
    words = tokens.texts[first:last]
    return any(
        w in _SIGNS
        or w.lower() in ("percent", "cent")
        or (w.isupper() and len(w) == 3)
        or (w.lower(),) in _CURRENCY_NAMES  # "17 billion euros in military aid"
        for w in words
    )


def _before_of(tokens: Tokens, first: int, last: int) -> str | None:
    """'a fine of 10.5 million' -> fine; 'an anticipated price of between $62' -> price."""
    k = first - 1
    while k >= 0 and tokens.lowers[k] in ("between", "from"):
        k -= 1  # the qualifier is inside the claim already: "of more than $2 billion"
    if k < 1 or tokens.lowers[k] != "of":
        return None
    start = k
    while (
        start > 0
        and k - start < _LONGEST
        and (_noun_word(tokens, start - 1) or start == k and _head_noun(tokens, start - 1))
    ):
        start -= 1
    return tokens.phrase(start, k) if start < k else None


def _modified(tokens: Tokens, first: int, last: int) -> str | None:
    """ "a $3500 a month mortgage", "a 6kW electric motor": the noun the figure stands before."""
    if last >= tokens.n or not tokens.near(last) or not tokens.is_word(last):
        return None
    word = tokens.lowers[last]
    if _noun_as_verb(tokens, last) and _article_near(tokens, first):
        end = last + 1
        while (
            end < tokens.n
            and end - last < 3
            and (_noun_as_verb(tokens, end) or _noun_word(tokens, end) and tokens.is_word(end))
        ):
            end += 1
        return _with_premodifiers(
            tokens, first, tokens.phrase(last, end)
        )  # "a sharp 3 percent drop"
    if word in _NOT_MODIFIED or not _noun_word(tokens, last) or word.endswith(("ly", "wide")):
        return None  # "600 people worldwide", "5% annually", "9.2% year over year"
    if word.endswith("ing") and last + 1 < tokens.n and tokens.lowers[last + 1] in _OBJECT_STARTS:
        return None  # "around 73 raising the prospect": a participle and its object
    phrase = _phrase_at(tokens, last)
    end = last + len(phrase.split()) if phrase else last
    if end < tokens.n and (tokens.is_digits(end) or tokens.texts[end] in ("+", "-", "−")):
        return None  # "Dow +0.4% Nasdaq -1.2%": the name labels the next figure
    return _with_premodifiers(tokens, first, phrase)


def _with_premodifiers(tokens: Tokens, first: int, phrase: str | None) -> str | None:
    """The phrase with the words between its article and the figure: "a sharp 3 percent
    drop" -> sharp drop, "a turbocharged 1.6 liter EcoBoost engine" (not "a whopping")."""
    start = first
    while (
        start > 0
        and first - start < 3
        and tokens.is_word(start - 1)
        and not tokens.is_capitalized(start - 1)
        and tokens.lowers[start - 1] not in _NOT_MODIFIERS
        and _noun_word(tokens, start - 1)
        and not _adverb(tokens, start - 1)
    ):
        start -= 1
    if not phrase or start == first or tokens.lowers[start - 1] not in _DETERMINERS:
        return phrase
    return f"{tokens.phrase(start, first)} {phrase}"


def _noun_as_verb(tokens: Tokens, k: int) -> bool:
    """A verb of the lexicon that can be a noun after a figure: "drop", "cut", "rise"."""
    word = tokens.lowers[k]
    return (
        word in _VERBS
        and tokens.is_word(k)
        and not tokens.is_capitalized(k)
        and word not in _NOT_VERB_NOUNS
        and not word.endswith(("ed", "s"))
        and tokens.near(k)
        and not (tokens.is_digits(k + 1) or tokens.lowers[k + 1 : k + 2] == ["the"])
    )  # "The 3,000 troops include 2,000 ...": the sentence's verb


def _article_near(tokens: Tokens, first: int) -> bool:
    """An article or possessive just before the figure, or before one adjective: "a sharp"."""
    return (first > 0 and tokens.lowers[first - 1] in _DETERMINERS) or (
        first > 1
        and tokens.lowers[first - 2] in _DETERMINERS
        and tokens.is_word(first - 1)
        and not tokens.is_capitalized(first - 1)
    )


def _object_before(tokens: Tokens, first: int, last: int) -> str | None:
    """ "pulled the healthcare sector 0.68 percent lower": a noun phrase right before the
    figure that a verb governs."""
    span = _object_span(tokens, first, last)
    return tokens.phrase(span[0], span[1]) if span else None


def _owned_object(tokens: Tokens, first: int, last: int) -> bool:
    """True when the object before the figure belongs to the subject: "Air New Zealand has
    revised its network growth forecast from 5 to 7 per cent"."""
    span = _object_span(tokens, first, last)
    return bool(span) and span[0] > 0 and tokens.lowers[span[0] - 1] in _POSSESSIVES


def _object_span(tokens: Tokens, first: int, last: int) -> tuple[int, int] | None:
    """The tokens [start, end) of the object _object_before reads, or None."""
    k = first - 1
    while k >= 0 and (tokens.lowers[k] in _QUALIFIER_WORDS or tokens.texts[k] in ("≈", "~", "=")):
        k -= 1
    if k > 1 and tokens.lowers[k - 1] == "to" and _is_verb(tokens, k):
        k -= 2  # "cause sea levels to rise 11 feet"
    elif k > 1 and tokens.lowers[k] == "for" and _money_or_share(tokens, first, last):
        k -= 1  # "bought a notebook for 1,200€"
    end = k + 1
    while (
        k >= 0
        and end - k <= _LONGEST
        and (_object_word(tokens, k) or k == end - 1 and _head_noun(tokens, k, before_figure=True))
    ):
        k -= 1
    start = k + 1
    while k >= 0 and tokens.lowers[k] in _DETERMINERS:
        k -= 1
    if all(word in _NOT_ALONE for word in tokens.lowers[start:end]):
        return None  # "add an additional 400,000 new recruits"
    if start < end and k >= 0 and _is_verb(tokens, k) and tokens.lowers[k] not in _AUXILIARIES:
        return start, end
    if start == 0 < end:
        return start, end  # a heading with no verb: "floor area ≈ 32m2"
    return None


def _changed_object(tokens: Tokens, first: int, last: int) -> str | None:
    """ "Apple lowered its revenue guidance for the first quarter to $84 billion", "boost the
    driving range by about 35 miles": the object of the verb that takes it to or by the
    figure."""
    k = first - 1
    while k >= 0 and tokens.lowers[k] in _QUALIFIER_WORDS and tokens.lowers[k] not in _LINKS:
        k -= 1
    if k < 2 or tokens.lowers[k] not in _LINKS:
        return None
    for verb in range(k - 2, max(-1, k - 12), -1):
        if tokens.texts[verb] in _CLAUSE_MARKS or tokens.texts[verb] == ",":
            return None
        if _is_verb(tokens, verb) and tokens.lowers[verb] not in _AUXILIARIES_SPEECH:
            start = verb + 1
            if tokens.lowers[start] in ("up", "down", "back"):
                start += 1  # "bring down the false positive rate to .001 per cent"
            if tokens.lowers[start] in _DETERMINERS or tokens.is_capitalized(start):
                return _phrase_at(tokens, start)  # "impact Russian revenues by $1 billion"
            if not (tokens.lowers[verb].endswith("ed") and _noun_word(tokens, verb - 1)):
                return None  # "having increased by $43.6 billion": the verb has no object
            # else a participle after its noun: "the first quarter ended December": read on
    return None


def _participle(tokens: Tokens, k: int) -> bool:
    """A lower-case -ing or -ed word, or a word like "whichever": it ends a noun phrase."""
    word = tokens.lowers[k]
    return (
        not tokens.is_capitalized(k)
        and "-" not in word  # "self-styled Tuna King", "London-based brothers": modifiers
        and (word.endswith(("ing", "ed")) and len(word) > 4 or word in ("whichever", "whatever"))
    )


def _object_word(tokens: Tokens, k: int) -> bool:
    """A lower-case noun of an object phrase: not an adverb, a participle or a time word."""
    word = tokens.lowers[k]
    if k > 0 and tokens.texts[k - 1] == "-" and tokens.glued(k):
        return _noun_word(tokens, k)  # "its three-year network growth forecast"
    return (
        _noun_word(tokens, k)
        and not tokens.is_capitalized(k)
        and not word.endswith(("ly", "ing"))
        and word not in _TIME_WORDS
        and word not in _NOT_OBJECTS
    )


def _label_before(tokens: Tokens, first: int, last: int) -> str | None:
    """A name set right before the figure, with no verb: 'Dow +0.2% S&P 500 +0.3%'."""
    k = first - 1
    while k >= 0 and tokens.lowers[k] in _LABEL_MARKS:
        k -= 1  # "Dow +0.2%", "RHP John Gant (0.5 WAR)", "Unite Group, down 68 p"
    end = k + 1
    while k >= 0 and (tokens.is_capitalized(k) or tokens.texts[k] == "&" or tokens.is_digits(k)):
        k -= 1
    start = k + 1
    while start < end and tokens.lowers[start] in _NOT_LABELS:
        start += 1  # "Just 1 percent": an adverb at the start of the sentence
    if end - start == 1 and tokens.lowers[start] in _VERBS:
        return None  # "Supported over half a million people": a verb, not a label
    if all(word in _TIME_WORDS for word in tokens.lowers[start:end]):
        return None  # "... on Monday: 180,000 personnel": a day, not a label
    if (
        start < end
        and tokens.is_capitalized(start)
        and (k < 0 or not _is_verb(tokens, k) or _auxiliary(tokens, k))
    ):
        return tokens.phrase(start, end)
    return None


def _governing_subject(tokens: Tokens, first: int) -> str | None:
    """The subject of the verb that governs the figure, read back from it."""
    k = first - 1
    while k >= 0 and tokens.texts[k] not in _CLAUSE_MARKS:
        if tokens.lowers[k] in _RELATIVES and k > 0 and _clause_after(tokens, k, first):
            phrase = None if _is_verb(tokens, k - 1) else _antecedent(tokens, k)
            if phrase:
                return phrase  # "Ford (F) which has 13000 workers"
        if _is_verb(tokens, k):
            subject_end = k
            while subject_end > 0:
                if _auxiliary(tokens, subject_end - 1) or _adverb(tokens, subject_end - 1):
                    subject_end -= 1
                elif adverbial := _adverbial_ending(tokens, subject_end):
                    subject_end -= adverbial  # "The UK has to date pledged"
                else:
                    break
            subject_end = _past_time(tokens, subject_end)
            named = _bracketed_name(tokens, subject_end)
            if named:
                return named  # "We [the Group of Seven] represent around half"
            subject_end = _past_appositive(tokens, subject_end)
            if subject_end > 1 and tokens.lowers[subject_end - 1] in _RELATIVES:
                phrase = _antecedent(tokens, subject_end - 1)
                if phrase:
                    return phrase  # "Ford (F) which has 13000 workers"
            if subject_end > 0 and tokens.lowers[subject_end - 1] in _PRONOUNS:
                k = subject_end - 2  # "The company also said it has": read on back
                continue
            phrase = _phrase_ending(tokens, subject_end)
            if phrase:
                return phrase
        k -= 1
    return _sentence_subject(tokens, first)


def _bracketed_name(tokens: Tokens, end: int) -> str | None:
    """The name a bracket after a pronoun gives it, before token ``end``: "We [the Group of
    Seven] represent" -> Group of Seven; None without one."""
    if end < 3 or tokens.texts[end - 1] not in ("]", ")"):
        return None
    opening = "[" if tokens.texts[end - 1] == "]" else "("
    for k in range(end - 2, max(0, end - 10), -1):
        if tokens.texts[k] == opening:
            start = k + 1
            while start < end - 1 and tokens.lowers[start] in _DETERMINERS:
                start += 1
            pronoun = tokens.lowers[k - 1] in _PRONOUNS
            return tokens.phrase(start, end - 1) if pronoun and start < end - 1 else None
    return None


def _adverbial_ending(tokens: Tokens, end: int) -> int:
    """The length of an adverbial phrase that ends before token ``end`` ("to date", "so
    far": "The UK has to date pledged"), or 0."""
    for phrase in _ADVERBIAL_PHRASES:
        size = len(phrase)
        if end >= size and tuple(tokens.lowers[end - size : end]) == phrase:
            return size
    return 0


def _antecedent(tokens: Tokens, relative: int) -> str | None:
    """The noun phrase a relative pronoun stands for: "bank stocks, which were up 2.8%"."""
    if tokens.texts[relative - 1] != ",":
        return _phrase_ending(tokens, relative)
    end = relative - 1
    start = _start_of(tokens, end)
    while start < end and (_participle(tokens, start) or tokens.lowers[start] in _TIME_WORDS):
        start += 1
    return tokens.phrase(start, end) if start < end else None


def _sentence_subject(tokens: Tokens, first: int) -> str | None:
    """The first noun phrase of the sentence that a verb follows, before the figure:
    "The debris field stretched for some seven miles ..., just 47 feet deep"; none across
    a colon ("The General Staff gave these figures: 180,000 personnel")."""
    if ":" in tokens.texts[:first]:
        return None
    k = 0
    while k < first:
        if tokens.lowers[k] in _PRONOUNS:
            return None
        if _noun_word(tokens, k) and tokens.lowers[k] not in _TIME_WORDS:
            end = k
            while end < first and _noun_word(tokens, end):
                end = _past_brackets(tokens, end + 1)
            following = end
            while following < tokens.n and (
                _auxiliary(tokens, following) or _adverb(tokens, following)
            ):
                following += 1
            if following < tokens.n and _is_verb(tokens, following):
                return _phrase_ending(tokens, end)
            k = end
        k += 1
    return None


def _past_appositive(tokens: Tokens, end: int) -> int:
    """Step back over ', an investor in real estate,' or ', which is made of carbon,' before
    a verb, to the noun phrase it describes: 'The material, which ..., reached 113 GPa'."""
    if end < 2 or tokens.texts[end - 1] != ",":
        return end
    for k in range(end - 2, max(0, end - 16), -1):
        if tokens.texts[k] == ",":
            return k if k > 0 and _noun_word(tokens, k - 1) else end
    return end


def _auxiliary(tokens: Tokens, j: int) -> bool:
    """ "has", "will", "may"; not the month in "homes in May was"."""
    return tokens.lowers[j] in _AUXILIARIES and not tokens.is_capitalized(j)


def _clause_after(tokens: Tokens, relative: int, first: int) -> bool:
    """True when a verb follows the relative pronoun before the figure: "which has 13000",
    "triathlons that entail a 750 meter swim" (a lower-case word right after it)."""
    after = relative + 1
    return _verb_between(tokens, after, first) or (
        after < first
        and tokens.is_word(after)
        and not tokens.is_capitalized(after)
        and tokens.lowers[after] not in _NOT_AFTER_RELATIVE
    )


def _verb_between(tokens: Tokens, start: int, end: int) -> bool:
    return any(_is_verb(tokens, j) for j in range(start, end))


def _adverb(tokens: Tokens, j: int) -> bool:
    word = tokens.lowers[j]
    return word in _ADVERBS or (word.endswith("ly") and not tokens.is_capitalized(j))


def _past_time(tokens: Tokens, end: int) -> int:
    """Step back over "on Monday", "in 2022" before a verb: "Dell on Monday announced",
    "China's economy in 2022 grew"."""
    if (
        end >= 2
        and (tokens.lowers[end - 1] in _TIME_WORDS or numbers.year(tokens.texts[end - 1]))
        and tokens.lowers[end - 2] in ("on", "in")
    ):
        return end - 2
    return end


def _phrase_ending(tokens: Tokens, end: int) -> str | None:
    """The noun phrase that ends before token ``end`` (its head noun with what it has:
    "Revenue in the quarter" -> Revenue; "exports to China" stays whole)."""
    k = end
    if k > 0 and tokens.texts[k - 1] == ")":
        k = next((j for j in range(k - 2, max(-1, k - 5), -1) if tokens.texts[j] == "("), k)
    start = k
    while start > 0 and k - start < _LONGEST and _noun_before(tokens, start, end):
        word = tokens.lowers[start - 1]
        post_modifier = start == end and tokens.lowers[end] in _EXTENDERS  # "charge stored in"
        gerund = (  # "Russian shelling killed 12", "the fighting displaced"
            start == end
            and word.endswith("ing")
            and start > 1
            and (tokens.lowers[start - 2] in _DETERMINERS or tokens.is_capitalized(start - 2))
        )
        if (
            word in _NOT_OBJECTS
            or (
                word in _TIME_WORDS
                or _participle(tokens, start - 1)
                and not post_modifier
                and not gerund
            )
            and not (start > 1 and tokens.lowers[start - 2] in _DETERMINERS)
        ):
            break  # "this year Tesla shares", "on Tuesday Waymo"; "the September crude contract"
        start -= 1
        if _joined_noun(tokens, start):
            start -= 1  # "Renewable Energy and Clean Technology Index"
    while (
        start < k - 1
        and not tokens.is_capitalized(start)
        and "-" not in tokens.texts[start]  # "self-styled Tuna King" stays whole
        and tokens.is_capitalized(start + 1)
        and tokens.is_capitalized(k - 1)
    ):
        start += 1  # "season Chris Wood" -> Chris Wood; "blue-chip TA-35 index" stays
    if start == k or (k - start == 1 and tokens.lowers[start] in _TIME_WORDS):
        return None
    if start >= 2 and tokens.lowers[start - 1] in _BEFORE_HEAD:
        j = start - 1
        while j > 0 and tokens.lowers[j] in _DETERMINERS:
            j -= 1
        if (
            tokens.lowers[j] in _EXTENDERS
            and j > 0
            and (_noun_word(tokens, j - 1) or _plural_before_verb(tokens, j, extender=True))
        ):
            head = _phrase_ending(tokens, j)  # "Revenue in the quarter rose" -> Revenue
            if head and (_named(tokens.phrase(start, end)) or tokens.lowers[j] in _KEPT_AFTER):
                if tokens.phrase(0, j).endswith(head):  # "the price of gold per ounce"
                    return f"{head} {tokens.phrase(j, end)}"
                return tokens.phrase(_start_of(tokens, j), end)  # "exports to China"
            return head
    phrase = tokens.phrase(start, end)
    if any(tokens.is_digits(j) for j in range(start, end)) and not _named(phrase):
        return None  # another figure stands there: "Dozens of people were killed"
    return phrase


def _joined_noun(tokens: Tokens, start: int) -> bool:
    """True when "and" or "&" before ``start`` joins two nouns of one name or head:
    "Renewable Energy and Clean Technology Index", "electronics and entertainment giant"."""
    return (
        start > 1
        and tokens.lowers[start - 1] in ("and", "&")
        and _noun_word(tokens, start - 2)
        and tokens.is_capitalized(start - 2) == tokens.is_capitalized(start)
        and tokens.lowers[start - 2] not in _TIME_WORDS
    )


def _plural_before_verb(tokens: Tokens, verb: int, extender: bool = False) -> bool:
    """ "costs" in "Rising energy costs pushed", "exports" in "exports to China dropped": a
    plural noun that reads as a verb, before a verb (or before a preposition)."""
    word = tokens.lowers[verb - 1]
    return (
        verb < tokens.n
        and (extender or _is_verb(tokens, verb))
        and word.endswith("s")
        and word in _VERBS
        and word not in _AUXILIARIES_SPEECH
    )


def _noun_before(tokens: Tokens, start: int, end: int) -> bool:
    """True when the word before ``start`` belongs to the noun phrase ending at ``end``."""
    return (
        _noun_word(tokens, start - 1)
        or (start == end and _plural_before_verb(tokens, end, tokens.lowers[end] in _EXTENDERS))
        or (start < end and _compound_verb(tokens, start - 1))
    )


def _compound_verb(tokens: Tokens, k: int) -> bool:
    """A verb's base form between a name or an article and the noun it modifies, inside a
    subject: "the US trade deficit hit", "the trade gap"."""
    return (
        k > 0
        and tokens.lowers[k] in _VERB_BASES
        and tokens.lowers[k] not in _NOT_HEADS
        and not tokens.is_capitalized(k)
        and (tokens.is_capitalized(k - 1) or tokens.lowers[k - 1] in _ARTICLES)
    )


def _start_of(tokens: Tokens, end: int) -> int:
    start = end
    while start > 0 and end - start < _LONGEST and _noun_before(tokens, start, end):
        start -= 1
    return start


def _modifying_participle(tokens: Tokens, k: int) -> bool:
    """ "imported" in "a 25% tax on imported vehicles": a participle before a noun."""
    word = tokens.lowers[k]
    return (
        word.endswith("ed")
        and not tokens.is_capitalized(k)
        and k + 1 < tokens.n
        and _noun_word(tokens, k + 1)
    )
