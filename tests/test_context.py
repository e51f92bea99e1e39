"""Context of claims (issue 4): speaker, outlet, quotation, modality and period, from tables
of news sentences (tests/context/sentences.yaml) and from documents where what one sentence
says serves the next."""

import sqlite3
from pathlib import Path

import pytest
import yaml

from claims import extract, places

CASES = yaml.safe_load((Path(__file__).parent / "context" / "sentences.yaml").read_text("utf-8"))
PERIOD_CASES = yaml.safe_load(
    (Path(__file__).parent / "context" / "periods.yaml").read_text("utf-8")
)
FIELDS = ("text", "speaker", "speaker_via", "quoted", "modality", "period_start", "period_end",
          "period_text")  # fmt: skip


def _params(cases, name):
    """The cases as pytest params; a case with `xfail` is a known gap (strict)."""
    for case in cases:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        yield pytest.param(case, id=name(case), marks=marks)


@pytest.mark.parametrize(
    "case", list(_params(CASES + PERIOD_CASES, lambda case: case["text"][:70]))
)
def test_sentence_context(case):
    found = extract(case["text"], published=case["published"])
    assert [{f: getattr(c, f) for f in FIELDS} for c in found] == case["claims"]


def test_there_are_sixty_sentences_at_least():
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    "text",
    [case["text"] for case in CASES + PERIOD_CASES]
    + [
        "Since 2025, the fund has paid out $2 billion.",
        "Russia was to withdraw 40,000 troops by 2014, the resolution said.",
        "Between 2022 and 2014, 14,000 people were killed.",
        "Russia has fired 3,000 missiles since Dec. 31.",
    ],
)
def test_no_period_ends_before_it_starts(text):
    """A period is an interval: a time on the far side of publication ("since 2025", a
    past "by 2014") must not turn it inside out."""
    for claim in extract(text, published="2023-01-15"):
        if claim.period_start and claim.period_end:
            assert claim.period_start <= claim.period_end, claim


def _claim(claims, text):
    (claim,) = [c for c in claims if c.text == text]
    return claim


def test_a_role_stands_for_the_person_named_with_it_before():
    text = (
        "US Ambassador to NATO, Julianne Smith, on Wednesday spoke in Brussels. "
        "The US ambassador said that 31 allies backed the plan."
    )
    assert _claim(extract(text, "2023-09-28"), "31 allies").speaker == "Julianne Smith"


def test_a_pronoun_and_a_surname_stand_for_the_last_person_named():
    text = (
        "Defence Minister Oleksii Reznikov visited the front. "
        "He said 12 villages had been liberated. Reznikov added that 300 soldiers were wounded."
    )
    claims = extract(text, "2023-09-28")
    assert _claim(claims, "12 villages").speaker == "Oleksii Reznikov"
    assert _claim(claims, "300 soldiers").speaker == "Oleksii Reznikov"


def test_a_quotation_attributed_at_its_end_covers_its_sentences():
    text = (
        '"We fired 5,000 shells. We need 10,000 more shells," the commander, '
        "General Valerii Zaluzhnyi, said. The army has 40 tanks."
    )
    claims = extract(text, "2023-09-28")
    assert _claim(claims, "5,000 shells").speaker == "Valerii Zaluzhnyi"
    assert _claim(claims, "10,000 more shells").speaker == "Valerii Zaluzhnyi"
    assert _claim(claims, "40 tanks").speaker is None
    assert [c.quoted for c in claims] == [True, True, False]


def test_periods_resolve_against_the_publication_date_only():
    (claim,) = extract("Prices rose 4% last month.", published="2024-03-10")
    assert (claim.period_start, claim.period_end) == ("2024-02-01", "2024-02-29")
    (undated,) = extract("Prices rose 4% last month.")
    assert (undated.period_start, undated.period_end, undated.period_text) == (None, None, None)


CONCEPTS = yaml.safe_load((Path(__file__).parent / "context" / "concepts.yaml").read_text("utf-8"))


@pytest.mark.parametrize(
    "case", list(_params(CONCEPTS, lambda case: f"{case['figure']} | {case['text'][:50]}"))
)
def test_concept_and_subject(case):
    (claim,) = [c for c in extract(case["text"]) if c.text == case["figure"]]
    assert (claim.concept, claim.subject) == (case["concept"], case["subject"])


PLACES = yaml.safe_load((Path(__file__).parent / "context" / "places.yaml").read_text("utf-8"))


@pytest.mark.parametrize(
    "case", list(_params(PLACES, lambda case: f"{case['figure']} | {case['text'][:50]}"))
)
def test_subject_and_place(case):
    (claim,) = [c for c in extract(case["text"]) if c.text == case["figure"]]
    assert (claim.subject, claim.place) == (case["subject"], case["place"])


#: What a speaker never is (#15): its first word, or the whole of it.
NOT_FIRST_WORDS = {"the", "a", "an", "it", "you", "he", "she", "they", "but", "as", "of", "for"}
NOT_SPEAKERS = {
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "ukraine", "ukrainian", "russia", "russian", "moscow",
    "kyiv", "us", "u.s", "uk", "u.k", "estonian", "report", "percent", "statement",
}  # fmt: skip


def _names_no_one(name: str) -> bool:
    """A pronoun, an article, a month, a place or a people alone: no one who speaks."""
    entity = places.lookup(name)
    return (
        name.split()[0].lower() in NOT_FIRST_WORDS
        or name.lower() in NOT_SPEAKERS
        or name.endswith(("'s", "’s"))
        or entity is not None
        and entity.how in ("name", "demonym", "capital")
        and entity.kind in ("country", "region")
    )


def test_no_speaker_of_a_built_corpus_names_no_one(corpus_db):
    """Over the news corpus as a build stores it: no speaker is a pronoun, an article, a
    month, a place, a people or a word that names no one (#15)."""
    with sqlite3.connect(corpus_db) as db:
        found = [row[0] for row in db.execute("select distinct speaker from claims")]
    speakers = [name for name in found if name]
    assert len(speakers) >= 10
    assert [name for name in speakers if _names_no_one(name)] == []


def test_the_check_of_speakers_catches_what_names_no_one():
    caught = ["It", "The ministry", "Moscow", "Ukrainians", "Ukraine", "Kharkiv", "Friday"]
    kept = ["Kremlin", "Joe Biden", "UK Ministry of Defence", "analysts", "Reuters"]
    assert [_names_no_one(name) for name in caught + kept] == [True] * 7 + [False] * 5


def test_a_person_has_one_speaker_string_in_a_document(corpus_db):
    """A surname or a titled name never stands beside the full name of the same person in
    one document ("Putin", "Mr Putin" and "Vladimir Putin" are one speaker) (#15)."""
    with sqlite3.connect(corpus_db) as db:
        rows = db.execute(
            "select document_id, group_concat(distinct speaker) from claims "
            "where speaker is not null group by document_id"
        ).fetchall()
    assert len(rows) >= 10
    for document, names in rows:
        names = names.split(",")
        for name in (name for name in names if name[:1].isupper()):  # not groups: "officials"
            longer = [other for other in names if other != name and other.endswith(" " + name)]
            assert not longer, (document, name, longer)


def test_speaker_kinds_of_a_built_corpus(corpus_db):
    """Every speaker has a kind; a kind without a speaker is none (#15)."""
    with sqlite3.connect(corpus_db) as db:
        kinds = dict(
            db.execute(
                "select speaker_kind, count(*) from claims where speaker is not null "
                "group by speaker_kind"
            ).fetchall()
        )
        orphans = db.execute(
            "select count(*) from claims where speaker is null and speaker_kind is not null"
        ).fetchone()[0]
    assert set(kinds) <= {"person", "organisation", "government", "media", "unknown"}
    assert kinds.get("person", 0) > 0 and kinds.get("government", 0) > 0
    assert orphans == 0


DOCUMENT_NAMES = (
    "Russian President Vladimir Putin met his security council on Monday. Putin said "
    "300,000 reservists had been called up. Mr Putin also said 20 regions would take part. "
    "Adm Sir Tony Radakin, the chief of the defence staff, told the BBC that Russia had lost "
    "97% of its combat-ready tanks. President Biden said 31 Abrams tanks would go."
)


def test_each_speaker_goes_by_the_fullest_name_the_document_gives():
    found = [(c.text, c.speaker, c.speaker_kind) for c in extract(DOCUMENT_NAMES, "2023-01-09")]
    assert found == [
        ("300,000 reservists", "Vladimir Putin", "person"),
        ("20 regions", "Vladimir Putin", "person"),
        ("97%", "Tony Radakin", "person"),
        ("31 Abrams tanks", "Biden", "unknown"),  # no first name given: no guess
    ]


def test_a_person_as_subject_goes_by_the_name_a_speaker_would():
    text = (
        "Russian President Vladimir Putin won the vote on Sunday. Mr Putin's new term runs "
        "for six years. Kirby said 40 tanks were sent."
    )
    found = [(c.text, c.subject, c.speaker) for c in extract(text, "2024-05-07")]
    assert found == [("six years", "Vladimir Putin", None), ("40 tanks", None, "Kirby")]
