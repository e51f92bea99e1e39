"""The seeds gold (a copy of shared/data/seeds-gold.json): every claim exact, no must_not."""

import json
from pathlib import Path

import pytest

from claims import extract
from claims.formats import read_documents

ROOT = Path(__file__).parent.parent
GOLD = json.loads((Path(__file__).parent / "data" / "seeds-gold.json").read_text(encoding="utf-8"))
FIELDS = ("value", "low", "high", "unit", "qualifier")


def _seed_claims(name):
    (document,) = read_documents([ROOT / "seeds" / name])
    assert document.published == GOLD["documents"][name]["published"]
    return document.text, extract(document.text, published=document.published)


def _gold_claims():
    for name, doc in GOLD["documents"].items():
        for entry in doc["claims"]:
            yield pytest.param(name, entry, id=f"{name}: {entry['quote']}")


def _must_nots():
    for name, doc in GOLD["documents"].items():
        for text in doc["must_not"]:
            yield pytest.param(name, text, id=f"{name}: {text}")


@pytest.mark.parametrize(("name", "entry"), list(_gold_claims()))
def test_gold_claim_is_extracted_exactly(name, entry):
    text, claims = _seed_claims(name)
    quote_start = text.index(entry["quote"])
    quote_end = quote_start + len(entry["quote"])
    overlapping = [c for c in claims if c.start < quote_end and quote_start < c.end]
    assert len(overlapping) == 1, [c.text for c in overlapping]
    (claim,) = overlapping
    wanted = {f: float(entry[f]) if isinstance(entry[f], int) else entry[f] for f in FIELDS}
    assert {f: getattr(claim, f) for f in FIELDS} == wanted


@pytest.mark.parametrize(("name", "text"), list(_must_nots()))
def test_must_not_is_no_claim(name, text):
    document_text, claims = _seed_claims(name)
    assert text in document_text or name.startswith("004")  # "2023-09-28" is the date line
    assert not [c.text for c in claims if text in c.text or c.text in text]


@pytest.mark.parametrize(("name", "entry"), list(_gold_claims()))
def test_gold_speaker_is_exact(name, entry):
    # issue 4: Ustinova, von der Leyen, Julianne Smith; none for the article's own figures
    text, claims = _seed_claims(name)
    start = text.index(entry["quote"])
    (claim,) = [c for c in claims if c.start < start + len(entry["quote"]) and start < c.end]
    assert claim.speaker == entry["speaker"]


def test_one_million_rounds_are_a_pledge_until_the_end_of_2024():
    text, claims = _seed_claims("004_8afe4d7eba3edcde.txt")
    (rounds,) = [c for c in claims if c.text == "one million rounds"]
    assert (rounds.modality, rounds.period_text, rounds.period_end) == (
        "pledge",
        "by 2024",
        "2024-12-31",
    )
    (ustinova,) = [c for c in claims if c.text == "up to 6,000 rounds daily"]
    assert (ustinova.speaker, ustinova.speaker_via) == ("Oleksandra Ustinova", "CNN")
