"""The gazetteer lexicon/places.yaml: its sections have the shape claims.places reads, every
country and region is whole, and every name in it, folded as the reader folds it, names one
entry."""

from collections import defaultdict

import pytest
import yaml

from claims import lexicon
from claims.places import key

PLACES = lexicon.LEXICON_DIR / "places.yaml"
TEXT = PLACES.read_text(encoding="utf-8")
DATA = yaml.safe_load(TEXT)

SECTIONS = [
    "countries",
    "organisations",
    "regions",
    "locatives",
    "compound_locatives",
    "place_modifiers",
    "part_modifiers",
    "relative_locatives",
    "kind_place_nouns",
    "land_nouns",
    "not_owner_prepositions",
    "conjunctions",
    "governing_words",
    "bare_place_nouns",
    "place_nouns",
    "media",
    "government_words",
    "organisation_words",
    "ambiguous",
]
#: The fields an entry of each section may have, and those it must have.
FIELDS = {
    "countries": {"aliases", "demonyms", "capital", "capital_aliases", "government"},
    "organisations": {"aliases", "part_of"},
    "regions": {"country", "aliases", "demonyms"},
}
REQUIRED = {"countries": {"demonyms", "capital"}, "organisations": set(), "regions": {"country"}}
#: The fields of an entry that hold names of it.
NAME_FIELDS = ("aliases", "demonyms", "capital", "capital_aliases", "government")
#: Word lists, and whether they are written in lower case.
WORD_LISTS = {
    "locatives": True,
    "place_modifiers": True,
    "relative_locatives": True,
    "kind_place_nouns": True,
    "land_nouns": True,
    "not_owner_prepositions": True,
    "conjunctions": True,
    "governing_words": True,
    "bare_place_nouns": True,
    "place_nouns": True,
    "government_words": True,
    "organisation_words": True,
    "media": False,
    "ambiguous": False,
}
UKRAINE_OBLASTS = [
    "Cherkasy", "Chernihiv", "Chernivtsi", "Dnipropetrovsk", "Donetsk", "Ivano-Frankivsk",
    "Kharkiv", "Kherson", "Khmelnytskyi", "Kirovohrad", "Kyiv region", "Luhansk", "Lviv",
    "Mykolaiv", "Odesa", "Poltava", "Rivne", "Sumy", "Ternopil", "Vinnytsia", "Volyn",
    "Zakarpattia", "Zaporizhzhia", "Zhytomyr",
]  # fmt: skip
#: Countries whose one demonym is another's ("Dominican", "Congolese"), or that have none.
WITHOUT_DEMONYMS = {"Dominica", "Republic of the Congo", "Vatican"}
#: Regions that span countries: places, but no country's.
WITHOUT_COUNTRY = {
    "Europe", "Eastern Europe", "Central Europe", "Western Europe", "Balkans", "Baltics",
    "Scandinavia", "Caucasus", "Central Asia", "Middle East", "Africa", "Sahel", "Asia",
    "Indo-Pacific", "Latin America", "North America", "South America", "Arctic",
    "Black Sea", "Sea of Azov", "Kerch Strait", "Baltic Sea", "Mediterranean", "Red Sea",
}  # fmt: skip


def _names(entry: dict) -> list[str]:
    """The names an entry is known by, besides its key."""
    names = []
    for field in NAME_FIELDS:
        value = entry.get(field, [])
        names.extend([value] if isinstance(value, str) else value)
    return names


def _index() -> dict[str, set[tuple[str, str]]]:
    """Each name of the file, folded by ``claims.places.key`` -> the entries it names, as
    (section, key); media names are their own entries."""
    named = defaultdict(set)
    for section in ("countries", "organisations", "regions"):
        for name, entry in DATA[section].items():
            for surface in [name, *_names(entry or {})]:
                named[key(surface)].add((section, name))
    for name in DATA["media"]:
        named[key(name)].add(("media", name))
    return named


def _repeated_keys(node, path=()):
    """The paths of the keys written twice in one mapping (safe_load keeps the last)."""
    if isinstance(node, yaml.MappingNode):
        keys = [k.value for k, _ in node.value]
        yield from (path + (k,) for k in sorted(set(keys)) if keys.count(k) > 1)
        for k, v in node.value:
            yield from _repeated_keys(v, path + (k.value,))
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            yield from _repeated_keys(v, path)


def test_the_file_has_its_sections_in_order():
    assert list(DATA) == SECTIONS


def test_no_key_is_written_twice():
    assert list(_repeated_keys(yaml.compose("a: {b: 1, c: {d: 2, d: 3}, b: 4}"))) == [
        ("a", "b"),
        ("a", "c", "d"),
    ]
    assert list(_repeated_keys(yaml.compose(TEXT))) == []


def test_the_countries_are_the_un_members_and_observers_taiwan_and_kosovo():
    assert len(DATA["countries"]) == 193 + 2 + 2
    assert {"Vatican", "Palestine", "Taiwan", "Kosovo"} <= set(DATA["countries"])


@pytest.mark.parametrize("section", ["countries", "organisations", "regions"])
def test_entries_have_their_fields_and_only_names_in_them(section):
    faults = []
    for name, entry in DATA[section].items():
        entry = entry if entry is not None else {}
        if not isinstance(name, str) or not isinstance(entry, dict):
            faults.append((name, "is not a name with a mapping"))
            continue
        if unknown := set(entry) - FIELDS[section]:
            faults.append((name, f"unknown fields {sorted(unknown)}"))
        if missing := REQUIRED[section] - set(entry):
            faults.append((name, f"lacks {sorted(missing)}"))
        for field, value in entry.items():
            if field in ("capital", "part_of"):
                ok = isinstance(value, str) and value.strip() == value != ""
            elif field == "country":
                ok = value is None or isinstance(value, str)
            else:
                ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
            if not ok:
                faults.append((name, f"{field} = {value!r}"))
    assert faults == []


def test_every_country_has_demonyms_but_those_whose_word_is_anothers():
    assert {n for n, e in DATA["countries"].items() if not e["demonyms"]} == WITHOUT_DEMONYMS


def test_no_name_names_two_entries():
    shared = {name: sorted(entries) for name, entries in _index().items() if len(entries) > 1}
    assert shared == {}


def test_every_region_belongs_to_a_country_of_the_file():
    countries = {entry["country"] for entry in DATA["regions"].values()} - {None}
    assert countries - set(DATA["countries"]) == set()
    assert {n for n, e in DATA["regions"].items() if e["country"] is None} == WITHOUT_COUNTRY


def test_the_oblasts_of_ukraine_are_regions_of_ukraine():
    assert {n: DATA["regions"].get(n, {}).get("country") for n in UKRAINE_OBLASTS} == {
        n: "Ukraine" for n in UKRAINE_OBLASTS
    }


def test_an_organisation_is_part_of_an_organisation_of_the_file():
    parts = {n: e["part_of"] for n, e in DATA["organisations"].items() if e and "part_of" in e}
    assert {n: p for n, p in parts.items() if p not in DATA["organisations"] or p == n} == {}


@pytest.mark.parametrize("name", sorted(WORD_LISTS))
def test_word_lists_hold_each_word_once(name):
    # lexicon.words refuses a YAML boolean (a bare "on", "off") and a word listed twice
    words = lexicon.words("places", name, case_sensitive=not WORD_LISTS[name])
    assert len(words) == len(DATA[name])
    if WORD_LISTS[name]:
        assert [w for w in DATA[name] if w != w.lower()] == []


def test_a_word_names_one_kind_of_speaker():
    government, organisation = set(DATA["government_words"]), set(DATA["organisation_words"])
    assert government & organisation == set()
    assert [w for w in government | organisation if " " in w] == []  # read a word at a time


def test_ambiguous_names_are_names_of_the_file():
    index = _index()
    assert [name for name in DATA["ambiguous"] if key(name) not in index] == []


#: A name as news writes it -> the entry it names and that entry's country.
LOOKUPS = [
    ("Russian", "countries", "Russia", "Russia"),
    ("Kremlin", "countries", "Russia", "Russia"),
    ("Moscow", "countries", "Russia", "Russia"),
    ("U.S.", "countries", "United States", "United States"),
    ("Pentagon", "countries", "United States", "United States"),
    ("Kiev", "countries", "Ukraine", "Ukraine"),
    ("Britons", "countries", "United Kingdom", "United Kingdom"),
    ("Downing Street", "countries", "United Kingdom", "United Kingdom"),
    ("Czechia", "countries", "Czech Republic", "Czech Republic"),
    ("Dutch", "countries", "Netherlands", "Netherlands"),
    ("the Netherlands", "countries", "Netherlands", "Netherlands"),
    ("Poles", "countries", "Poland", "Poland"),
    ("Elysee", "countries", "France", "France"),
    ("DPRK", "countries", "North Korea", "North Korea"),
    ("Kosovar", "countries", "Kosovo", "Kosovo"),
    ("Kharkov", "regions", "Kharkiv", "Ukraine"),
    ("Zaporozhye", "regions", "Zaporizhzhia", "Ukraine"),
    ("Lugansk", "regions", "Luhansk", "Ukraine"),
    ("Crimea", "regions", "Crimea", "Ukraine"),
    ("Belgorod region", "regions", "Belgorod", "Russia"),
    ("Transnistria", "regions", "Transnistria", "Moldova"),
    ("Gaza Strip", "regions", "Gaza", "Palestine"),
    ("E.U.", "organisations", "European Union", None),
    ("Nato", "organisations", "NATO", None),
    ("Group of Seven", "organisations", "G7", None),
    ("The Guardian", "media", "The Guardian", None),
]


@pytest.mark.parametrize(
    ("name", "section", "entry", "country"), LOOKUPS, ids=[row[0] for row in LOOKUPS]
)
def test_a_name_finds_its_entry(name, section, entry, country):
    assert _index()[key(name)] == {(section, entry)}
    found = DATA[section][entry] if section != "media" else {}
    assert (entry if section == "countries" else found.get("country")) == country
