"""The lexicon files: every entry resolves, and a bad file fails loudly, naming itself."""

import pytest
import yaml

from claims import lexicon, units
from claims.errors import LexiconError


def _unit_entries():
    return [pytest.param(e, id=e["name"]) for e in lexicon.load("units")]


@pytest.mark.parametrize("entry", _unit_entries())
def test_every_unit_entry_resolves_to_a_registry_unit(entry):
    assert entry.get("words") or entry.get("symbols"), "an entry needs surfaces"
    units.unit_index()  # loads the names that stand for pint expressions
    if entry.get("pint", True) is True:
        name = units.canonical_pint_name(entry["name"])
        assert units.base_factor(name)[0] > 0
    elif isinstance(entry["pint"], str):
        assert units.base_factor(entry["name"])[0] > 0
    else:
        assert entry["dimension"]


def test_surfaces_name_one_unit_each():
    seen = {}
    for entry in lexicon.load("units"):
        for surface in entry.get("words", []):
            key = surface.lower()
            assert seen.setdefault(key, entry["name"]) == entry["name"], surface


def test_currency_codes_are_unique_iso_codes_and_signs_name_one_currency():
    entries = lexicon.load("currencies")
    codes = [entry["code"] for entry in entries]
    assert len(codes) == len(set(codes))
    signs = {}
    for entry in entries:
        for sign in entry.get("symbols", []):
            assert signs.setdefault(sign, entry["code"]) == entry["code"], sign


def test_word_lists_hold_only_words():
    # YAML reads a bare `no` or `on` as a boolean: such entries must be quoted.
    for name in ("nouns", "nonclaims", "sentences", "ambiguity"):
        for key, items in lexicon.load(name).items():
            if isinstance(items, list):
                assert all(isinstance(item, str) for item in items), (name, key)


@pytest.fixture
def lexicon_dir(tmp_path, monkeypatch):
    """A lexicon folder of the test's own, with the caches emptied around the test."""
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tmp_path)
    lexicon.load.cache_clear()
    units.unit_index.cache_clear()
    yield tmp_path
    lexicon.load.cache_clear()
    units.unit_index.cache_clear()


def test_invalid_yaml_names_the_file(lexicon_dir):
    (lexicon_dir / "units.yaml").write_text("- name: [meter\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"units\.yaml: entry 'units': is not valid YAML"):
        lexicon.load("units")


def test_unknown_unit_names_the_entry(lexicon_dir):
    entries = [{"name": "furlongs_per_fortnightx", "words": ["flf"]}]
    (lexicon_dir / "units.yaml").write_text(yaml.safe_dump(entries), encoding="utf-8")
    with pytest.raises(LexiconError) as raised:
        units.unit_index()
    assert "units.yaml: entry 'furlongs_per_fortnightx': is not a unit of the registry" in str(
        raised.value
    )


def test_a_boolean_in_a_word_list_is_refused(lexicon_dir):
    (lexicon_dir / "nouns.yaml").write_text("stop: [of, no, the]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"nouns\.yaml: entry 'stop': must be a list of words"):
        lexicon.words("nouns", "stop")


def test_a_missing_file_is_named(lexicon_dir):
    with pytest.raises(LexiconError, match=r"rates\.yaml: entry 'rates': cannot be read"):
        lexicon.load("rates")


def test_symbols_name_one_unit_each():
    seen = {}
    for entry in lexicon.load("units"):
        for surface in entry.get("symbols", []):
            assert seen.setdefault(surface, entry["name"]) == entry["name"], surface


def test_a_word_listed_twice_is_refused(lexicon_dir):
    (lexicon_dir / "nouns.yaml").write_text("stop: [of, the, Of]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"entry 'stop': lists 'of' more than once"):
        lexicon.words("nouns", "stop")


def test_every_physical_unit_has_a_named_dimension():
    units.unit_index()
    unnamed = [
        entry["name"]
        for entry in lexicon.load("units")
        if entry.get("pint", True) is True
        and not entry.get("dimension")
        and units.pint_dimension(units.canonical_pint_name(entry["name"])) == "physical"
    ]
    assert unnamed == []


def test_a_bad_phone_pattern_names_the_file(tmp_path):
    from claims.extract.lexicon import compile_patterns

    (tmp_path / "nonclaims.yaml").write_text("phone_patterns: ['(\\\\d{3']\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"nonclaims\.yaml: entry 'phone_patterns': .* is not a"):
        compile_patterns("nonclaims", "phone_patterns", tmp_path)
