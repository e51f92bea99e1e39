"""The rules of extraction can be seen (#17): each figure of a text is read by a named rule
or dropped by a named veto (``claims.extract.explain``, ``claims extract --explain``),
the package keeps each method short, and a lexicon is an object two extractors can each
have their own of."""

import ast
import json
import shutil
from pathlib import Path

import pytest

from claims import lexicon
from claims.errors import LexiconError
from claims.extract import Extractor, Lexicon, explain, extract
from claims.extract.vetoes import VETOES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "claims" / "extract"

# Sentences written for #17, each figure with what explain must say of it, in order.
STEPS = [
    (
        "One of them said two leaders met on the 9/11 anniversary.",
        [
            ("One", "dropped", "lone_number_word"),
            ("two leaders", "claim", "words:count:counted_noun"),
            ("9/11", "dropped", "slashed_name"),
        ],
    ),
    (
        "The two nations agreed, one of the envoys said, and the 58-year-old minister left.",
        [
            ("two", "dropped", "definite_reference"),
            ("one", "dropped", "one_of"),
            ("58", "dropped", "age"),
        ],
    ),
    (
        "On the one hand, the army has 155mm shells; on the other, a 10-point plan.",
        [
            ("one", "dropped", "idiom"),
            ("155", "dropped", "calibre"),
            ("10", "dropped", "attributive_compound"),
        ],
    ),
    (
        "Inflation hit 9%, the highest in 23 years, after 15 months of negotiations.",
        [
            ("9%", "claim", "digits:percent:lexicon_unit"),
            ("23", "dropped", "record_span"),
            ("15 months", "claim", "digits:physical:lexicon_unit"),
        ],
    ),
    (
        "The fund sold 10- and 20-year bonds and a three-game pass.",
        [
            ("10", "dropped", "hanging_compound"),
            ("20", "dropped", "attributive_compound"),
            ("three-game", "claim", "words:count:hyphen_count"),
        ],
    ),
    (
        "The F-16 jets and Section 427 were discussed on May 6.",
        [
            ("16", "dropped", "identifier"),
            ("427", "dropped", "identifier"),
            ("6", "dropped", "date_or_time"),
        ],
    ),
    (
        "The 1812 campaign is remembered, Senard, 65, said.",
        [("1812", "dropped", "year"), ("65", "dropped", "age_apposition")],
    ),
    (
        "The score was 89-89 after the 2012-13 season.",
        [("89-89", "dropped", "score_or_span"), ("2012-13", "dropped", "date")],
    ),
    (
        "Kovalenko (9) and Boyko (14) scored on oct. 3, and VW sold 300 ID.5 models.",
        [
            ("9", "dropped", "bracketed_label"),
            ("14", "dropped", "bracketed_label"),
            ("3", "dropped", "date_or_time"),
            ("300 ID.5 models", "claim", "digits:count:counted_noun"),
        ],
    ),
    (
        "The world's two largest armies met with one voice as the war nears the 16-month mark.",
        [
            ("two", "dropped", "superlative_rank"),
            ("one", "dropped", "idiom"),
            ("16-month", "claim", "digits:physical:lexicon_unit"),
        ],
    ),
    (
        "Porto reached the last 16 of the Champions League and won 16 of the last 16; the last 8"
        " of the 33 miners were saved.",
        [
            ("16", "dropped", "superlative_rank"),
            ("16", "claim", "digits:number:bare_number"),
            ("16", "claim", "digits:number:bare_number"),
            ("8", "claim", "digits:count:shared_unit"),
            ("33 miners", "claim", "digits:count:counted_noun"),
        ],
    ),
    (
        "The one hundred and eighty-first day began; Russia has two targets in Ukraine:"
        " energy facilities and people.",
        [
            ("one hundred and eighty", "dropped", "ordinal"),
            ("two", "dropped", "named_list"),
        ],
    ),
    (
        "In the first half of 2023 half the staff left.",
        [
            ("half", "dropped", "half_of_a_period"),
            ("2023", "dropped", "year"),
            ("half", "claim", "fraction:number:bare_number"),
        ],
    ),
    (
        "Two weeks ago those three cases were closed, and three were wounded.",
        [
            ("Two", "dropped", "point_in_time"),
            ("three", "dropped", "definite_reference"),
            ("three", "claim", "words:count:people_hurt"),
        ],
    ),
    (
        "One study found one place matters, after five hours of talks with one envoy.",
        [
            ("One", "dropped", "single_one"),
            ("one", "dropped", "single_one"),
            ("five", "dropped", "meeting_length"),
            ("one", "dropped", "single_one"),
        ],
    ),
    (
        "Moscow claimed four regions of Ukraine: Donetsk, Luhansk, Kherson and Zaporizhzhia.",
        [("four", "dropped", "named_list")],
    ),
    (
        "Kyiv and Kharkiv, two of the largest cities, lost power; trade between two nations "
        "fell, and the plan has four elements.",
        [
            ("two", "dropped", "named_list"),
            ("two", "dropped", "definite_reference"),
            ("four", "dropped", "discourse_count"),
        ],
    ),
    (
        "Russia fired 87 missiles over the past 24 hours, and eight years later it went on.",
        [
            ("87 missiles", "claim", "digits:count:counted_noun"),
            ("24 hours", "dropped", "time_window"),
            ("eight", "dropped", "point_in_time"),
        ],
    ),
    (
        "Prices were 245 23 yen at the close.",
        [("245", "dropped", "juxtaposed"), ("23 yen", "claim", "digits:currency:currency_word")],
    ),
    (
        "Call +44 20 7946 0958 about the report dated 2023-09-28.",
        [
            ("44", "dropped", "phone_number"),
            ("20", "dropped", "phone_number"),
            ("7946", "dropped", "phone_number"),
            ("0958", "dropped", "phone_number"),
            ("2023-09-28", "dropped", "date"),
        ],
    ),
    (
        "Prices rose 5% to $85 a barrel, and 45 and 50 mg doses were sold.",
        [
            ("5%", "claim", "digits:percent:lexicon_unit"),
            ("$85 a barrel", "claim", "digits:currency:currency_sign:rate"),
            ("45", "claim", "digits:physical:shared_unit"),
            ("50 mg", "claim", "digits:physical:lexicon_unit"),
        ],
    ),
    (
        "Ukraine's military was firing up to 6,000 rounds daily, two of the officials said.",
        [
            ("up to 6,000 rounds daily", "claim", "digits:count:counted_noun:rate"),
            ("two of the officials", "claim", "words:count:one_of_noun"),
        ],
    ),
]


@pytest.mark.parametrize("text, steps", STEPS, ids=[text[:60] for text, _ in STEPS])
def test_each_figure_names_its_rule_or_veto(text, steps):
    assert [(s.text, s.outcome, s.rule) for s in explain(text)] == steps


def test_every_veto_is_shown_at_work():
    shown = {rule for _, steps in STEPS for _, outcome, rule in steps if outcome == "dropped"}
    assert {name for name, _ in VETOES} <= shown


def test_the_claims_explained_are_the_claims_extracted():
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        claimed = [s for s in explain(text) if s.outcome == "claim"]
        assert [(s.text, s.rule) for s in claimed] == [(c.text, c.rule) for c in extract(text)]


def _digit_runs_unexplained(text: str) -> list[str]:
    steps = [(s.start, s.end) for s in explain(text)]
    runs = []
    for k, char in enumerate(text):
        starts_run = char.isdecimal() and (k == 0 or not text[k - 1].isdecimal())
        if starts_run and not any(a <= k < b for a, b in steps):
            runs.append(text[max(0, k - 20) : k + 20])
    return runs


def test_no_number_is_dropped_without_a_named_veto():
    """Every run of digits in the seeds and the corpus sample is read by a rule or dropped
    by a veto that explain names: none vanishes unexplained."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    sample = ROOT / "tests" / "data" / "corpus-sample.jsonl"
    texts += [json.loads(line)["text"] for line in sample.read_text().splitlines() if line]
    assert [run for text in texts for run in _digit_runs_unexplained(text)] == []


def test_claims_extract_explain_prints_a_line_per_figure():
    from click.testing import CliRunner

    from claims.cli import cli

    result = CliRunner().invoke(cli, ["extract", "--explain", "In 2022 Russia fired 40 missiles."])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    assert lines == [
        ["dropped", "year", "2022"],
        ["claim", "digits:count:counted_noun", "40", "missiles"],
    ]


def test_no_method_of_the_extraction_package_is_longer_than_80_lines():
    long = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > 80:
                    long.append(f"{path.name}:{node.name} ({size} lines)")
    assert long == []


def test_two_lexicons_work_side_by_side(tmp_path):
    """An extractor of a lexicon folder of one's own reads by its words, and the default
    one by its own, in the same process: no module state is patched."""
    folder = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__*"))
    qualifiers = folder / "qualifiers.yaml"
    text = qualifiers.read_text(encoding="utf-8")
    qualifiers.write_text(text.replace("before:\n", 'before:\n  give or take: "~"\n', 1))
    sentence = "The convoy carried give or take 300 shells."
    own = Extractor(Lexicon.load(folder)).extract(sentence)
    default = extract(sentence)
    assert [(c.text, c.qualifier) for c in own] == [("give or take 300 shells", "~")]
    assert [(c.text, c.qualifier) for c in default] == [("300 shells", "=")]


def test_a_bad_lexicon_folder_is_named(tmp_path):
    folder = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__*"))
    (folder / "rates.yaml").write_text("adverbs: [daily]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"rates\.yaml: entry 'adverbs': must be a"):
        Lexicon.load(folder)
