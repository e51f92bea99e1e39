"""What the README says is no claim is no claim (#17): over the whole dev corpus as built,
no claim is a year, a time, an ordinal, a model's number, a person's age or "one of"."""

import re
import sqlite3
from typing import NamedTuple

import pytest


class Figure(NamedTuple):
    """A claim's number as written, the words of its sentence on either side, its unit."""

    before: str
    number: str
    after: str
    unit: str
    value: float | None
    text: str


#: Each kind of non-claim, as a test of a claim's figure in its sentence.
NOT_CLAIMS = {
    "a year": lambda f: bool(
        re.fullmatch(r"1[5-9]\d\d|20\d\d", f.number)
        and (f.unit == "" or re.match(r"\s[A-Z]", f.after))
    ),
    "a time of day": lambda f: bool(re.match(r":\d\d|\s?[ap]\.?m\b", f.after)),
    "an ordinal": lambda f: bool(re.match(r"(st|nd|rd|th)\b", f.after)),
    "a model's number": lambda f: bool(re.search(r"[A-Za-z]-$", f.before)),
    "a person's age": lambda f: bool(
        f.unit == "year of age"
        and (f.value or 0) < 120
        and re.match(
            r"-?\s?years?[- ]old(\s*[,.;]|\s+[A-Z]|\s+(man|woman|boy|girl|was|who|said)\b)", f.after
        )
    ),
    "one of a group": lambda f: bool(
        re.fullmatch(r"[Oo]ne", f.number)
        and re.match(r"\s+of\s+(the|its|his|her|their)\b", f.after)
    ),
}


def figures(db_path) -> list[Figure]:
    db = sqlite3.connect(db_path)
    sql = """select sentence, start - sentence_start, value_text, unit, value, text
             from claims where value_text is not null"""
    out = []
    for sentence, at, number, unit, value, text in db.execute(sql):
        where = sentence.find(number, max(at, 0))
        if where >= 0:
            before, after = sentence[max(0, where - 20) : where], sentence[where + len(number) :]
            out.append(Figure(before, number, after, unit, value, text))
    return out


@pytest.mark.parametrize("kind", NOT_CLAIMS)
def test_no_claim_of_the_corpus_is(kind, corpus_db):
    assert [f.text for f in figures(corpus_db) if NOT_CLAIMS[kind](f)] == []


@pytest.mark.parametrize(
    "kind, sentence_figure",
    [
        ("a year", Figure("boycott of the ", "2024", " Paris Olympics", "olympic", 2024, "")),
        ("a time of day", Figure("at ", "10", ":30 on Monday", "", 10, "")),
        ("an ordinal", Figure("the ", "21", "st century", "", 21, "")),
        ("a model's number", Figure("sent more F-", "16", " jets", "jet", 16, "")),
        ("a person's age", Figure("the ", "67", "-year-old was", "year of age", 67, "")),
        ("one of a group", Figure("", "One", " of the sources", "source", 1, "")),
    ],
)
def test_each_kind_is_recognised(kind, sentence_figure):
    """The tests above can fail: each knows a figure of its kind."""
    assert NOT_CLAIMS[kind](sentence_figure)
