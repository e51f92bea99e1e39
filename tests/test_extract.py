"""Extraction over tables of real sentences: tests/cases/<family>.yaml.

Each case lists every claim the sentence must yield, in order, and nothing else; the
fields a case gives are compared exactly. Known failures carry ``xfail`` with the reason
and run strictly, so a fix is noticed.
"""

import datetime
from pathlib import Path

import pytest
import yaml

from claims import extract

CASES_DIR = Path(__file__).parent / "cases"
FIELDS = ("text", "value", "low", "high", "unit", "qualifier", "change")


def _number(text):
    return None if text is None else float(str(text).replace("_", ""))


def load_cases():
    """Yield pytest params for every case of every family, the sentence as the id."""
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            marks = []
            if case.get("xfail"):
                marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
            yield pytest.param(case, id=f"{path.stem}: {case['text'][:70]}", marks=marks)


# Fields a case may leave out, and what they then must be: a case that names no change
# asserts there is none.
DEFAULTS = {"change": None}


def _observed(claim, expected):
    """The fields of ``claim`` that ``expected`` names (or defaults), numbers as floats."""
    return {name: getattr(claim, name) for name in FIELDS if name in expected or name in DEFAULTS}


def _wanted(expected):
    out = {}
    for name in FIELDS:
        if name in expected:
            value = expected[name]
            out[name] = _number(value) if name in ("value", "low", "high") else value
        elif name in DEFAULTS:
            out[name] = DEFAULTS[name]
    if "qualifier" not in expected and "value" in expected:
        out["qualifier"] = "=" if expected["value"] is not None else "range"
    return out


@pytest.mark.parametrize("case", list(load_cases()))
def test_sentence(case):
    found = extract(case["text"], published=case.get("published"))
    expected = case["claims"]
    observed = [_observed(c, {**e, "qualifier": 0}) for c, e in zip(found, expected, strict=False)]
    assert observed == [_wanted(e) for e in expected]
    assert len(found) == len(expected), [c.text for c in found]


def test_offsets_point_at_the_text():
    text = "Ukraine's military was firing up to 6,000 rounds daily. It needs $2.1B more."
    for claim in extract(text):
        assert text[claim.start : claim.end] == claim.text
        assert (
            text[claim.sentence_start : claim.sentence_start + len(claim.sentence)]
            == claim.sentence
        )


def test_point_claims_have_equal_ends_and_open_sides_are_none():
    exact, up_to, at_least = extract("5 tanks, up to 6 tanks and at least 7 tanks.")
    assert (exact.low, exact.value, exact.high) == (5.0, 5.0, 5.0)
    assert (up_to.low, up_to.value, up_to.high) == (None, 6.0, 6.0)
    assert (at_least.low, at_least.value, at_least.high) == (7.0, 7.0, None)


def test_base_values_use_base_units():
    miles, rate, money = extract("It flew 40 miles, fired 6,000 rounds a week and cost $2.1B.")
    assert miles.base_unit == "meter" and miles.base_value == pytest.approx(64_373.76)
    assert rate.base_unit == "round / day" and rate.base_value == pytest.approx(6000 / 7)
    assert (money.base_value, money.base_unit) == (2_100_000_000, "USD")


def test_published_date_is_the_default_period_and_today_is_never_read():
    (claim,) = extract("Russia fired 60,000 shells.", published="2023-09-28")
    assert (claim.period_start, claim.period_end) == ("2023-09-28", "2023-09-28")
    (undated,) = extract("Russia fired 60,000 shells.")
    assert (undated.period_start, undated.period_end) == (None, None)


def test_quoted_figures_are_marked():
    quoted, plain = extract('"We fire 6,000 rounds," he said, while Russia fires 60,000 shells.')
    assert quoted.quoted is True and plain.quoted is False


def test_text_without_numbers_yields_nothing():
    assert extract("") == []
    assert extract("No figures here, only words.") == []


def test_every_claim_of_the_tables_keeps_the_contract():
    from claims.model import MODALITIES, QUALIFIERS

    for case in (c.values[0] for c in load_cases()):
        text = case["text"]
        for claim in extract(text):
            assert claim.qualifier in QUALIFIERS, (text, claim.qualifier)
            assert claim.modality in MODALITIES
            assert text[claim.start : claim.end] == claim.text
            if claim.value is None:
                assert claim.low is not None and claim.high is not None and claim.low <= claim.high
            else:
                assert claim.low in (None, claim.value) and claim.high in (None, claim.value)


def test_no_input_breaks_extraction():
    """Random sentences of tricky pieces: extraction never raises and keeps the contract."""
    import random

    pieces = (
        "$ 2.1B 6k 1.3m 155mm F-16 1e400 5e999 per capita a day /day % per cent 4,000-7,000 "
        "between and to from up to about more than minus -3 ½ 1/4 9/11 24/7 2012-13 "
        'May 5 at 12.30 pm am PS5 PS2.7m Y=5 12.5 km/h m2 ^2 s-1 ± +/- ( ) , . ; : " “ ” '
        "one two-thirds dozens of tens thousands half a million rounds tonnes pounds GBP "
        "Rs crore lakh No. Section 3 iPhone 11 M1A1 0958 +44 (212) 555-1234 x10−5 ×"
    ).split()
    rng = random.Random(2026)
    for _ in range(400):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        for claim in extract(text, published="2024-02-29"):
            assert text[claim.start : claim.end] == claim.text
            assert claim.value is not None or claim.low <= claim.high


@pytest.mark.parametrize(
    "published, start",
    [
        ("2022-04-20", "2022-04-19"),
        ("2022-04-20T15:00:00Z", "2022-04-19"),  # a feed's timestamp
        (datetime.date(2022, 4, 20), "2022-04-19"),
        (datetime.datetime(2022, 4, 20, 15, 0), "2022-04-19"),
        (None, None),
    ],
)
def test_a_publication_date_may_be_given_as_a_timestamp_or_a_date(published, start):
    (claim,) = extract("Russia fired 40 missiles on Tuesday.", published=published)
    assert claim.period_start == start


def test_a_publication_date_that_is_no_date_is_named():
    with pytest.raises(ValueError, match="published: 'yesterday' is no ISO date"):
        extract("Russia fired 40 missiles.", published="yesterday")
