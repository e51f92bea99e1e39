"""claims.evaluate: one-to-one scoring of extract() against gold sentences."""

import json

import pytest

from claims.errors import GoldError
from claims.evaluate import evaluate, fold_unit, load_gold, units_equal

# Real sentences (NewsQuant, the seeds) with their gold quantities.
GOLD = [
    {
        "id": "seeds-004",
        "text": "Ukraine's military was firing up to 6,000 rounds daily, Ukrainian MP "
        "Oleksandra Ustinova told broadcaster CNN.",
        "quantities": [
            {"value": 6000, "unit": "rounds daily", "normalized_unit": "round / day", "change": "<"}
        ],
    },
    {
        "id": "nq-162",
        "text": "Meanwhile, exports to China dropped 7% to $2.3 billion.",
        "quantities": [
            {"value": 7, "unit": "%", "normalized_unit": "percentage", "change": "down"},
            {"value": 2.3e9, "unit": "$", "normalized_unit": "dollar", "change": "="},
        ],
    },
    {
        "id": "nq-186",
        "text": "Dozens of people were killed Friday in shootings at two mosques.",
        # a deliberately wrong gold unit for the mosques, and a gold figure not in the text
        "quantities": [
            {"value": [12, 120], "unit": "people", "normalized_unit": "people"},
            {"value": 2, "unit": "churches", "normalized_unit": "church"},
            {"value": 40, "unit": "people", "normalized_unit": "person"},
        ],
    },
]


@pytest.fixture
def gold_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in GOLD) + "\n", encoding="utf-8")
    return path


def test_scores_count_one_to_one_matches(gold_file):
    report = evaluate(load_gold(gold_file))
    value, unit, change = (report.scores[m] for m in ("value", "value+unit", "value+change"))
    assert (value.matched, value.predicted, value.gold) == (5, 5, 6)
    assert unit.matched == 4  # the mosques are no churches
    assert change.matched == 5
    assert round(value.precision, 1) == 100.0 and round(value.recall, 1) == 83.3
    assert round(value.f1, 1) == 90.9


def test_errors_name_the_missed_and_the_extra(gold_file):
    report = evaluate(load_gold(gold_file))
    (error,) = report.errors
    assert error["id"] == "nq-186"
    assert [q["value"] for q in error["missed"]] == [40]
    assert error["extra"] == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Australian dollars", "AUD", True),
        ("$ per barrel", "dollar per barrel", True),
        ("rounds daily", "round / day", False),  # "daily" is folded by the extractor only
        ("km/h", "kilometer_per_hour", True),
        ("miles", "mile", True),
        ("Abrams tanks", "tank", True),
        ("percent", "%", True),
        ("mile", "kilometer", False),
        ("", "tank", False),
    ],
)
def test_units_fold_and_compare(a, b, same):
    assert units_equal(fold_unit(a), fold_unit(b)) is same


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json\n", "gold.jsonl:1: not JSON"),
        ('{"id": 1}\n', 'gold.jsonl:1: needs a "text" string'),
        ('{"text": "x", "quantities": [{"unit": "m"}]}\n', 'gold.jsonl:1: "quantities" must be'),
        ("\n", "gold.jsonl: holds no gold sentences"),
    ],
)
def test_bad_gold_names_file_line_and_fault(tmp_path, content, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError) as raised:
        load_gold(path)
    assert message in str(raised.value)


def test_eval_command_prints_scores_and_writes_errors(gold_file, tmp_path):
    from click.testing import CliRunner

    from claims.cli import cli

    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(cli, ["eval", str(gold_file), "--errors", str(errors)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[2:]}
    assert rows["value"] == ["5", "5", "6", "100.0", "83.3", "90.9"]
    assert rows["value+unit"][0] == "4"
    (written,) = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert written["id"] == "nq-186"


def test_eval_command_names_a_bad_gold_file(tmp_path):
    from click.testing import CliRunner

    from claims.cli import cli

    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:1: not JSON" in result.output
    assert "Traceback" not in result.output
