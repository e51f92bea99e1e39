"""The command line: help, README coverage, JSON Lines out, and one-line errors."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

import claims
from claims import cli as cli_module
from claims.cli import cli
from claims.model import Claim

COMMANDS = sorted(cli.commands)
FIELDS = [field.name for field in dataclasses.fields(Claim)]
SENTENCE = "Ukraine's military was firing up to 6,000 rounds daily."


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_the_commands():
    assert COMMANDS == ["build", "extract", "serve"]


@pytest.mark.parametrize("command", [[]] + [[name] for name in COMMANDS])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help_with_an_example(command, flag):
    result = run(*command, flag)
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(root, command):
    assert f"claims {command}" in (root / "README.md").read_text(encoding="utf-8")


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"claims, version {claims.__version__}\n"


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_extract_prints_json_lines():
    result = run("extract", SENTENCE)
    assert result.exit_code == 0
    found = json_lines(result.output)
    assert found == [claim.to_dict() for claim in claims.extract(SENTENCE)]
    assert [list(claim) for claim in found] == [FIELDS] * len(found)
    assert any(claim["value"] == 6000 for claim in found)


def test_extract_reads_standard_input():
    assert run("extract", "-", input=SENTENCE).output == run("extract", SENTENCE).output


def test_extract_reads_a_seed_file_with_its_date(seeds_dir):
    path = seeds_dir / "004_8afe4d7eba3edcde.txt"
    doc = claims.sources.read_document(path)
    result = run("extract", str(path))
    assert result.exit_code == 0
    expected = claims.extract(doc.text, published="2023-09-28")
    assert json_lines(result.output) == [claim.to_dict() for claim in expected]
    assert len(expected) > 0


def test_extract_published_overrides(seeds_dir):
    path = seeds_dir / "004_8afe4d7eba3edcde.txt"
    doc = claims.sources.read_document(path)
    result = run("extract", str(path), "--published", "2024-01-31")
    expected = claims.extract(doc.text, published="2024-01-31")
    assert json_lines(result.output) == [claim.to_dict() for claim in expected]


@pytest.mark.parametrize(
    "args, exit_code, message",
    [
        (["extract", "missing.txt"], 1, "Error: missing.txt: no such file\n"),
        (["extract", "x", "--published", "2024-13-01"], 2, "'2024-13-01' is not a date"),
        (["extract"], 2, "Missing argument 'INPUTS...'"),
        (["build", "missing/", "--db", "x.db"], 1, "Error: missing: no such file or directory\n"),
        (["build", "--db", "x.db"], 1, "Error: no PATH given and no seeds/ folder here"),
        (["serve", "--db", "x.db"], 1, "Error: x.db: no such database, and no seeds/ folder"),
    ],
)
def test_user_errors(tmp_path, monkeypatch, args, exit_code, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == exit_code
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.db").exists()
    if exit_code == 1:
        assert result.output.count("\n") == 1


def test_build_defaults_to_seeds_and_claims_db(tmp_path, monkeypatch, seeds_dir):
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "claims.db").exists()
    docs = claims.sources.read_documents(["seeds"])
    total = sum(len(claims.extract(doc.text, published=doc.published)) for doc in docs)
    assert result.stdout == f"2 documents (2 new or changed), {total} claims -> claims.db\n"
    again = CliRunner().invoke(cli, ["build"])
    assert again.stdout == f"2 documents (0 new or changed), {total} claims -> claims.db\n"


def test_build_a_file_that_is_not_a_database(tmp_path, seeds_dir):
    (tmp_path / "bad.db").write_text("not a database, " * 100)
    result = CliRunner().invoke(cli, ["build", str(seeds_dir), "--db", str(tmp_path / "bad.db")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'bad.db'}: cannot open")


@pytest.fixture
def ran(monkeypatch):
    """Record the commands `claims serve` runs instead of running them."""
    commands = []

    def fake_run(command, **kwargs):
        commands.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(cli_module.subprocess, "run", fake_run)
    return commands


def test_serve_builds_the_missing_database_and_runs_datasette(
    tmp_path, monkeypatch, root, seeds_dir, ran
):
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    shutil.copy(root / "metadata.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "claims.db").exists()
    [command] = ran
    assert command[1:] == [
        "-m", "datasette", "serve", "claims.db",
        "--metadata", "metadata.yml",
        "--host", "127.0.0.1",
        "--port", "8001",
        "--setting", "suggest_facets", "off",
    ]  # fmt: skip


def test_serve_finds_metadata_next_to_the_database(tmp_path, monkeypatch, root, seeds_db, ran):
    folder = tmp_path / "published"
    folder.mkdir()
    shutil.copy(seeds_db, folder / "claims.db")
    shutil.copy(root / "metadata.yml", folder)
    monkeypatch.chdir(tmp_path)
    args = ["serve", "--db", "published/claims.db", "--host", "0.0.0.0", "--port", "9000"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    [command] = ran
    assert command[4:11] == [
        "published/claims.db",
        "--metadata", "published/metadata.yml",
        "--host", "0.0.0.0",
        "--port", "9000",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "Error: no metadata.yml next to claims.db or in the current folder"),
        (["--metadata", "nope.yml"], "Error: nope.yml: no such metadata file"),
    ],
)
def test_serve_without_metadata(tmp_path, monkeypatch, seeds_db, ran, args, message):
    shutil.copy(seeds_db, tmp_path / "claims.db")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert ran == []


def test_extract_reads_the_date_of_a_seed_on_standard_input(seeds_dir):
    path = seeds_dir / "004_8afe4d7eba3edcde.txt"
    piped = run("extract", "-", input=path.read_text(encoding="utf-8"))
    assert piped.output == run("extract", str(path)).output != ""


def test_extract_reads_a_folder(seeds_dir):
    files = sorted(seeds_dir.glob("*.txt"))
    assert run("extract", str(seeds_dir)).output == run("extract", *map(str, files)).output


def test_extract_of_nothing_prints_nothing():
    assert run("extract", "-", input="").output == ""
    assert run("extract", "no figures here").output == ""
