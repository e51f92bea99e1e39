"""Properties that hold for any input (hypothesis): extraction never raises and every claim
is a span of its text; decoding and reading never fail but with a refusal."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.decode import decode
from claims.errors import DocumentError
from claims.extract import extract
from claims.formats import read_text
from claims.model import Document, Refusal
from claims.sentences import Tokens, split_sentences

# News-like text: digits, money and unit signs, words of the lexicon, and any Unicode.
NEWS_WORDS = st.sampled_from(
    [
        "6,000",
        "$2.1 billion",
        "€50bn",
        "one million",
        "rounds",
        "per cent",
        "%",
        "up",
        "to",
        "between",
        "and",
        "km",
        "said",
        "Kyiv",
        "by 2024",
        "(",
        ")",
        "-",
        "–",
        ".",
        ",",
        "\n",
        "½",
        "1/2",
        "3.5",
        "1e6",
        "twenty-one",
        "dozens of",
        "£",
        "₴",
        "¥",
        # words a concept is read from: a text may stop on any of them ("a rise in the")
        "in",
        "the",
        "a",
        "price",
        "rise",
        "hours",
        "of",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(NEWS_WORDS, st.text(max_size=8)), max_size=60).map(" ".join),
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_extract_never_raises_and_claims_are_spans_of_the_text(text):
    for claim in extract(text, published="2023-09-28"):
        assert claim.text == text[claim.start : claim.end]
        assert 0 <= claim.start < claim.end <= len(text)
        assert (
            claim.sentence
            == text[claim.sentence_start : claim.sentence_start + len(claim.sentence)]
        )


@SETTINGS
@given(TEXTS)
def test_tokens_are_spans_of_their_sentence_and_miss_nothing_but_spaces(text):
    for start, end in split_sentences(text):
        tokens = Tokens(text, start, end)
        assert all(
            text[first:last] == token
            for token, first, last in zip(tokens.texts, tokens.starts, tokens.ends, strict=True)
        )
        gaps = zip([start, *tokens.ends], [*tokens.starts, end], strict=True)
        assert all(c.isspace() or c == "_" for a, b in gaps for c in text[a:b])


@SETTINGS
@given(st.binary(max_size=600))
def test_decoding_any_bytes_gives_text_or_a_refusal(data):
    try:
        text = decode(data, "a.txt")
    except DocumentError as error:
        assert error.path == "a.txt" and error.reason
    else:
        assert isinstance(text, str)


@SETTINGS
@given(TEXTS, st.sampled_from(["text", "markdown", "json", "jsonl", "csv", "feed"]))
def test_reading_any_text_in_any_format_gives_documents_or_refusals(text, kind):
    for item in read_text(text, f"news/a.{kind}", kind, "news"):
        assert isinstance(item, Document | Refusal)
        if isinstance(item, Document):
            assert item.text.strip()
        else:
            assert item.path == f"news/a.{kind}" and item.reason
