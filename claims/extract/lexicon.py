"""The word lists extraction's rules read, as one object loaded and checked once.

Each rule of ``claims.extract`` asks its ``Lexicon`` for its words ("about" is a
qualifier, "daily" a rate, "Section" opens a name), so that two extractors of two
lexicon folders can work side by side and a test can hand one its own folder. Numbers,
units and currencies (``claims.numbers``, ``claims.units``) are shared with the context
readers and stay theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from claims import lexicon, numbers, units
from claims.errors import LexiconError
from claims.sentences import WordScan


def phrases(items) -> dict[tuple[str, ...], str]:
    """Index phrases (a mapping's keys, or a list) by their lower-case token tuples."""
    pairs = items.items() if isinstance(items, dict) else ((item, item) for item in items)
    return {tuple(t.lower() for t in units.tokenize_words(k)): v for k, v in pairs}


def compile_patterns(name: str, key: str, folder: Path | None = None) -> re.Pattern:
    """One regex of the patterns listed under ``key`` of a lexicon file, checked on load."""
    patterns = lexicon.load(name, folder).get(key)
    path = str((folder or lexicon.LEXICON_DIR) / f"{name}.yaml")
    if not isinstance(patterns, list) or not patterns:
        raise LexiconError(path, key, "must be a list of regular expressions")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as error:
            raise LexiconError(
                path, key, f"{pattern!r} is not a regular expression: {error}"
            ) from None
    return re.compile("|".join(patterns))


#: Multipliers written as one word: "twofold", "sevenfold", "tenfold", "hundredfold".
FOLDS = {
    f"{word}fold": float(value)
    for word, value in {**numbers.UNIT_WORDS, **numbers.TENS_WORDS, "hundred": 100}.items()
    if 2 <= value
}

#: Words that can start a spelled number: "one", "twenty-five", "dozens of", "half a million".
SPELLED_START = (
    frozenset(numbers.UNIT_WORDS)
    | frozenset(numbers.TENS_WORDS)
    | frozenset(numbers.MULTIPLIER_WORDS)
    | frozenset(numbers.VAGUE_PLURALS)
    | frozenset(numbers.FRACTION_WORDS)
    | frozenset(numbers.SCALE_WORDS)
)


@dataclass(frozen=True)
class Lexicon:
    """What the extraction rules know of English, by the file and entry it comes from."""

    folder: Path | None
    # qualifiers.yaml
    qualifiers_before: dict
    qualifier_phrases: dict
    qualifier_after_phrases: dict
    qualifier_prefixes: dict
    qualifier_suffixes: dict
    phrasal_verbs: dict
    change_words: dict
    change_nouns_after: dict
    added_after: frozenset
    clause_openers: frozenset
    change_by_verbs: dict
    change_by_stops: frozenset
    change_vetoes: frozenset
    amount_movers: frozenset
    range_hedges: frozenset
    agent_participles: frozenset
    parallel_openers: dict
    # rates.yaml
    rate_adverbs: dict
    rate_per: frozenset
    rate_strict_per: frozenset
    periods: dict
    per_nouns: dict
    not_after_period: frozenset
    period_days: dict
    # nouns.yaml
    noun_stop: frozenset
    noun_drop: frozenset
    not_nouns: frozenset
    one_of_skip: frozenset
    listing_nouns: frozenset
    kind_nouns: frozenset
    meeting_units: frozenset
    people_hurt: frozenset
    hurt_links: frozenset
    people_harmed: frozenset
    stage_words: frozenset
    stage_nouns: frozenset
    plural_modifiers: frozenset
    name_abbreviations: frozenset
    margin_nouns: frozenset
    time_deictics: frozenset
    of_heads: frozenset
    of_neutral: frozenset
    one_idioms: dict
    uncounted_plurals: frozenset
    share_nouns: frozenset
    superlatives: frozenset
    reference_nouns: frozenset
    discourse_nouns: frozenset
    person_nouns: frozenset
    thing_nouns: frozenset
    casualty_words: frozenset
    acts_on: frozenset
    meeting_nouns: frozenset
    one_emphasis: frozenset
    half_wholes: frozenset
    definite_determiners: frozenset
    possessives: frozenset
    age_words: frozenset
    lasting_verbs: frozenset
    # speech.yaml: the verbs and lead words of attribution ("officials said", "according to")
    speech_verbs: frozenset
    # nonclaims.yaml
    months: frozenset
    lowercase_months: frozenset
    weekdays: frozenset
    identifier_before: frozenset
    time_words: frozenset
    time_prepositions: frozenset
    calibre_nouns: frozenset
    calibre_units: frozenset
    year_before: frozenset
    year_levels: frozenset
    duration_marks: frozenset
    time_anchors: frozenset
    anchors_before_pause: frozenset
    anchors_of_events: frozenset
    window_words: frozenset
    window_prepositions: frozenset
    long_window_prepositions: frozenset
    long_periods: frozenset
    not_names: frozenset
    day_month_before: frozenset
    age_gaps: frozenset
    vote_words: frozenset
    age_closing_words: frozenset
    age_closers: frozenset
    record_words: frozenset
    record_prepositions: frozenset
    length_adjectives: frozenset
    dating_verbs: frozenset
    streak_words: frozenset
    share_denominators: frozenset
    period_fractions: frozenset
    rate_bases: frozenset
    of_only_multipliers: frozenset
    half_before: frozenset
    phones: re.Pattern
    # ambiguity.yaml
    pound_money_cues: frozenset
    pounds_of_money: frozenset
    pounds_of_force: frozenset
    vague_nouns: frozenset
    points_after_a_fraction: frozenset
    metre_cues: frozenset
    million_of_cues: frozenset
    million_verbs: frozenset
    glued_only: frozenset
    inch_cues: frozenset
    ambiguous_currency: frozenset
    ambiguous_signs: frozenset
    unit_system_words: dict
    one_after_a: frozenset
    money_after_a: frozenset
    periods_after_a: frozenset
    words_after_an_amount: frozenset
    # numbers.yaml: quantities named in words ("absolute zero")
    named_quantities: dict
    # compounds.yaml: the smaller units that may follow a unit as its part ("6 ft 1 in")
    compound_parts: dict
    # derived: the tokens where reading a number may start, and the words that may open one
    number_starts: frozenset
    number_words: WordScan

    @classmethod
    def load(cls, folder: Path | None = None) -> Lexicon:
        """The lexicon of ``folder`` (``claims/lexicon`` by default); a bad entry raises
        ``LexiconError`` naming the file, the entry and the fault."""

        def words(name, key, case_sensitive=False):
            return lexicon.words(name, key, case_sensitive, folder)

        def mapping(name, key, value_type=str):
            return lexicon.mapping(name, key, value_type, folder=folder)

        qualifiers_before = mapping("qualifiers", "before")
        named = _named_quantities(folder)
        one_after_a = words("ambiguity", "one_after_a")
        money_after_a = words("ambiguity", "money_after_a")
        periods_after_a = words("ambiguity", "periods_after_a")
        return cls(
            folder=folder,
            qualifiers_before=qualifiers_before,
            qualifier_phrases=phrases(qualifiers_before),
            qualifier_after_phrases=phrases(mapping("qualifiers", "after")),
            qualifier_prefixes=mapping("qualifiers", "prefixes"),
            qualifier_suffixes=mapping("qualifiers", "suffixes"),
            phrasal_verbs=_phrasal_verbs(folder),
            **_change_words(folder),
            parallel_openers=phrases(words("qualifiers", "parallel_openers")),
            rate_adverbs=mapping("rates", "adverbs"),
            rate_per=words("rates", "per"),
            rate_strict_per=words("rates", "strict_per"),
            periods=mapping("rates", "periods"),
            per_nouns=mapping("rates", "per_noun"),
            not_after_period=words("rates", "not_after_period"),
            period_days=mapping("rates", "period_days", (int, float)),
            noun_stop=words("nouns", "stop"),
            noun_drop=words("nouns", "drop"),
            not_nouns=words("nouns", "not_nouns"),
            time_deictics=words("nouns", "time_deictics"),
            of_heads=words("nouns", "of_heads"),
            of_neutral=words("nouns", "of_neutral"),
            one_idioms=phrases(words("nouns", "one_idioms")),
            uncounted_plurals=words("nouns", "uncounted_plurals"),
            share_nouns=words("nouns", "share_nouns"),
            superlatives=words("nouns", "superlatives"),
            reference_nouns=words("nouns", "reference_nouns"),
            discourse_nouns=words("nouns", "discourse_nouns"),
            person_nouns=words("nouns", "person_nouns"),
            thing_nouns=words("nouns", "thing_nouns"),
            casualty_words=words("nouns", "casualty_words"),
            acts_on=words("nouns", "acts_on"),
            meeting_nouns=words("nouns", "meeting_nouns"),
            one_emphasis=words("nouns", "one_emphasis"),
            half_wholes=words("nouns", "half_wholes"),
            definite_determiners=words("nouns", "definite_determiners"),
            possessives=words("nouns", "possessives"),
            age_words=words("nonclaims", "age_words"),
            speech_verbs=_speech_verbs(folder),
            months=words("nonclaims", "months"),
            lowercase_months=words("nonclaims", "lowercase_months"),
            weekdays=words("nonclaims", "weekdays"),
            identifier_before=words("nonclaims", "identifier_before"),
            time_words=words("nonclaims", "time_words"),
            time_prepositions=words("nonclaims", "time_prepositions"),
            calibre_nouns=words("nonclaims", "calibre_nouns"),
            calibre_units=words("nonclaims", "calibre_units"),
            year_before=words("nonclaims", "year_before"),
            half_before=words("nonclaims", "half_before"),
            **_nonclaim_contexts(folder),
            phones=compile_patterns("nonclaims", "phone_patterns", folder),
            glued_only=words("ambiguity", "glued_only_symbols", case_sensitive=True),
            ambiguous_currency=words("ambiguity", "ambiguous_currency_words"),
            **_cue_words(folder),
            **_phrase_nouns(folder),
            ambiguous_signs=words("ambiguity", "ambiguous_currency_signs", case_sensitive=True),
            unit_system_words=phrases(words("ambiguity", "unit_system_words")),
            one_after_a=one_after_a,
            money_after_a=money_after_a,
            periods_after_a=periods_after_a,
            named_quantities=named,
            compound_parts=_compound_parts(folder),
            **_number_starts(named, one_after_a | money_after_a | periods_after_a),
        )


def _phrase_nouns(folder: Path | None) -> dict:
    """nouns.yaml's words that say what a number's noun phrase counts: read past in "one of
    the best speakers"; the items of a list in "a 10-point plan", unless a margin follows
    ("a 10-point lead")."""
    keys = ("one_of_skip", "listing_nouns", "margin_nouns", "kind_nouns", "people_hurt")
    keys += ("meeting_units", "hurt_links", "people_harmed", "stage_words", "stage_nouns")
    keys += ("plural_modifiers",)
    found = {key: lexicon.words("nouns", key, folder=folder) for key in keys}
    cased = lexicon.words("nouns", "name_abbreviations", case_sensitive=True, folder=folder)
    return {**found, "name_abbreviations": cased}


def _cue_words(folder: Path | None) -> dict:
    """ambiguity.yaml's words near a symbol or a name that decide what it is: money or a
    weight ("paid 30 million pounds"), metres or million ("1.9m tall"), inches ("2 in
    thick"), an amount of money or a kind of thing ("costs a dollar", "a dollar peg", "100
    to a dollar"), a part of a period or an ordinal ("a quarter-century", "a fifth-century
    monastery")."""
    keys = ("pound_money_cues", "pounds_of_money", "pounds_of_force", "metre_cues")
    keys += ("million_of_cues", "inch_cues", "vague_nouns", "points_after_a_fraction")
    keys += ("words_after_an_amount", "rate_bases", "period_fractions", "million_verbs")
    return {key: lexicon.words("ambiguity", key, folder=folder) for key in keys}


def _nonclaim_contexts(folder: Path | None) -> dict:
    """nonclaims.yaml's words around a number that make it no claim: around a length of
    time ("two weeks ago", "during 2 days", "the meeting lasted 45 minutes"; "the 16-month
    mark" is the point), before a list of names, a day and month, or an age; and
    numbers.yaml's multipliers that are nouns without "of" ("a couple was arrested")."""
    keys = ("lasting_verbs", "duration_marks", "time_anchors", "anchors_before_pause")
    keys += ("anchors_of_events", "window_words", "window_prepositions", "not_names")
    keys += ("long_window_prepositions", "long_periods", "record_words", "day_month_before")
    keys += ("record_prepositions", "length_adjectives", "dating_verbs", "streak_words")
    keys += ("share_denominators", "year_levels")
    keys += ("age_gaps", "vote_words", "age_closing_words", "age_closers")
    return {key: lexicon.words("nonclaims", key, folder=folder) for key in keys} | {
        "of_only_multipliers": lexicon.words("numbers", "of_only_multipliers", folder=folder),
    }


def _change_words(folder: Path | None) -> dict:
    """qualifiers.yaml's words of a change: before the figure ("rose 5%"), after it ("3,000
    more troops"), verbs before "by" ("cut consumption by 15%"), and what ends them."""
    return {
        "change_words": lexicon.mapping("qualifiers", "change", folder=folder),
        "change_nouns_after": lexicon.mapping("qualifiers", "change_nouns_after", folder=folder),
        "added_after": lexicon.words("qualifiers", "added_after", folder=folder),
        "clause_openers": lexicon.words("qualifiers", "clause_openers", folder=folder),
        "change_by_verbs": _by_verbs(folder),
        "change_by_stops": lexicon.words("qualifiers", "change_by_stops", folder=folder),
        "change_vetoes": lexicon.words("qualifiers", "change_vetoes", folder=folder),
        "amount_movers": lexicon.words("qualifiers", "amount_movers", folder=folder),
        "range_hedges": lexicon.words("qualifiers", "range_hedges", folder=folder),
        "agent_participles": lexicon.words("qualifiers", "agent_participles", folder=folder),
    }


def _phrasal_verbs(folder: Path | None) -> dict:
    """qualifiers.yaml's phrasal_verbs: for each qualifier phrase (as a tuple of words), the
    verbs whose particle it is."""
    lists = lexicon.word_lists("qualifiers", "phrasal_verbs", folder)
    return {
        tuple(phrase.lower().split()): frozenset(v.lower() for v in verbs)
        for phrase, verbs in lists.items()
    }


def _by_verbs(folder: Path | None) -> dict:
    """The verbs of a change that reach over their object to "by", each with its direction
    (qualifiers.yaml's change_by_verbs, directed by `change` or `change_by_only`)."""
    directions = {
        **lexicon.mapping("qualifiers", "change", folder=folder),
        **lexicon.mapping("qualifiers", "change_by_only", folder=folder),
    }
    verbs = lexicon.words("qualifiers", "change_by_verbs", folder=folder)
    undirected = sorted(verb for verb in verbs if verb not in directions)
    if undirected:
        path = str((folder or lexicon.LEXICON_DIR) / "qualifiers.yaml")
        raise LexiconError(path, "change_by_verbs", f"no direction for {', '.join(undirected)}")
    return {verb: directions[verb] for verb in verbs}


def _speech_verbs(folder: Path | None) -> frozenset[str]:
    """The words after a list of names that make them a figure's source: speech.yaml's
    verbs, the first words of its lead words ("according to"), and nonclaims.yaml's
    list_source_words."""
    leads = {phrase.split()[0] for phrase in lexicon.words("speech", "according", folder=folder)}
    verbs = lexicon.words("speech", "verbs", folder=folder)
    return verbs | leads | lexicon.words("nonclaims", "list_source_words", folder=folder)


def _number_starts(named: dict, one_after_a: frozenset) -> dict:
    """The tokens at which reading a number may start (``number_starts``), and the words
    that may open one in a text, as a scan (``number_words``, capitalized too)."""
    words = SPELLED_START | set(FOLDS) | {"several"}  # "several dozen"
    candidates = words | one_after_a | {phrase[-1] for phrase in named}
    starts = words | {"a", "an", "minus"} | frozenset(numbers.VULGAR_FRACTIONS)
    return {
        "number_starts": starts | {phrase[0] for phrase in named},
        "number_words": WordScan(candidates | {w.capitalize() for w in candidates}),
    }


def _named_quantities(folder: Path | None) -> dict:
    """numbers.yaml's quantities named in words, each checked to have a value and a unit."""
    named = phrases(lexicon.load("numbers", folder)["named"])
    for phrase, entry in named.items():
        if (entry.get("unit"),) not in units.unit_index()[0] or not isinstance(
            entry.get("value"), int | float
        ):
            raise LexiconError(
                str((folder or lexicon.LEXICON_DIR) / "numbers.yaml"),
                " ".join(phrase),
                "needs a number 'value' and a 'unit' that units.yaml names as a word",
            )
    return named


def _compound_parts(folder: Path | None) -> dict[str, frozenset[str]]:
    """compounds.yaml's parts: each unit's name -> the names of the units that may follow
    it as its smaller part."""
    return lexicon.word_lists("compounds", "parts", folder)
