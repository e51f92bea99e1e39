"""The command line: help, README coverage, JSON Lines out, and one-line errors."""

from __future__ import annotations

import dataclasses
import fcntl
import getpass
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from files import as_before_m009

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
    assert COMMANDS == ["build", "check", "eval", "extract", "refs", "serve", "xref"]


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


def test_extract_prints_who_whose_and_where():
    result = run(
        "extract",
        "Russia has amassed 130,000 troops on the Ukrainian border, Kremlin spokesman "
        "Dmitry Peskov said.",
    )
    (claim,) = json_lines(result.output)
    assert {key: claim[key] for key in ("subject", "place", "speaker", "speaker_kind")} == {
        "subject": "Russia",
        "place": "Ukrainian border",
        "speaker": "Dmitry Peskov",
        "speaker_kind": "person",
    }


# Prints which of the slow modules a process has loaded.
LOADED = "print(sorted(set(sys.modules) & {'pint', 'sqlite_utils', 'pandas', 'dask'}))"


def test_extract_starts_without_pint_or_the_database_modules(tmp_path):
    """pint's answers are kept in the user's cache folder: the first run asks pint, the
    next ones read the file. The database's modules are not loaded to extract."""
    script = (
        "from claims.cli import cli\n"
        "import sys\n"
        "try:\n"
        "    cli(['extract', 'They drove 5 km with 6,000 rounds daily.'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"{LOADED}"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    outputs = [run.stdout.splitlines() for run in runs]
    assert outputs[0][:-1] == outputs[1][:-1] and len(outputs[0]) == 3  # two claims, the same
    assert "'pint'" in outputs[0][-1] and outputs[1][-1] == "[]"  # pint loads dask if there
    [cache] = (tmp_path / "claims").glob("pint-*.json")
    cache.write_text("{not json", encoding="utf-8")  # a broken cache is asked again
    again = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert again.stdout.splitlines() == outputs[0]


def test_extract_reads_standard_input():
    assert run("extract", "-", input=SENTENCE).output == run("extract", SENTENCE).output


def test_extract_reads_a_seed_file_with_its_date(seeds_dir):
    path = seeds_dir / "004_8afe4d7eba3edcde.txt"
    doc = claims.formats.read_document(path)
    result = run("extract", str(path))
    assert result.exit_code == 0
    expected = claims.extract(doc.text, published="2023-09-28")
    assert json_lines(result.output) == [claim.to_dict() for claim in expected]
    assert len(expected) > 0


def test_extract_published_overrides(seeds_dir):
    path = seeds_dir / "004_8afe4d7eba3edcde.txt"
    doc = claims.formats.read_document(path)
    result = run("extract", str(path), "--published", "2024-01-31")
    expected = claims.extract(doc.text, published="2024-01-31")
    assert json_lines(result.output) == [claim.to_dict() for claim in expected]


USER_ERRORS = [
    # the command line (run in an empty folder holding a folder "folder"), exit status, output
    (["extract", "missing.txt"], 1, "Error: missing.txt: no such file\n"),
    # Review of #2, item 4: a bad date was a usage error (exit 2, usage text).
    (
        ["extract", "x", "--published", "2024-13-01"],
        1,
        "Error: --published '2024-13-01' is not a date: use YYYY-MM-DD\n",
    ),
    (["extract", "x", "--published", "yesterday"], 1, "Error: --published 'yesterday' is"),
    (["extract"], 2, "Missing argument 'INPUTS...'"),
    (["build", "--db", "x.db"], 1, "Error: no PATH given and no seeds/ folder here"),
    (["serve", "--db", "x.db"], 1, "Error: x.db: no such database, and no seeds/ folder"),
    # Review of #2, item 4: --db naming a folder was a usage error too.
    (["build", "folder", "--db", "folder"], 1, "Error: folder: is a folder, not a database file"),
    (["serve", "--db", "folder"], 1, "Error: folder: is a folder, not a database file"),
    (["build", "folder", "--db", "nowhere/x.db"], 1, "Error: nowhere/x.db: no folder nowhere"),
]


@pytest.mark.parametrize("args, exit_code, message", USER_ERRORS, ids=lambda v: repr(v))
def test_user_errors(tmp_path, monkeypatch, args, exit_code, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "a.txt").write_text("Shells\nThey fired 6,000 rounds.", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == exit_code
    assert message in result.output
    assert "Traceback" not in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["folder"]
    if exit_code == 1:
        assert result.output.startswith(message)
        assert result.output.count("\n") == 1


def test_build_defaults_to_seeds_and_claims_db(tmp_path, monkeypatch, seeds_dir):
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "claims.db").exists()
    docs = claims.formats.read_documents(["seeds"])
    total = sum(len(claims.extract(doc.text, published=doc.published)) for doc in docs)
    assert result.stdout == f"2 documents (2 new or changed), {total} claims -> claims.db\n"
    again = CliRunner().invoke(cli, ["build"])
    assert again.stdout == (
        f"2 documents (inputs unchanged since build 1: nothing read), {total} claims -> claims.db\n"
    )


def test_build_counts_a_text_read_from_two_files_once(tmp_path, monkeypatch):
    # Review of #2, item 5: "2 new or changed" on every build, and claims counted twice.
    for folder in ["a", "b"]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "1.txt").write_text("Shells\nThey fired 6,000 rounds.", "utf-8")
    monkeypatch.chdir(tmp_path)
    outputs = []
    for _ in range(2):
        outputs.append(CliRunner().invoke(cli, ["build", "a", "b"]).stdout)
        os.utime(tmp_path / "b" / "1.txt")  # touched: the next build reads it again
    assert outputs == [
        "1 documents from 2 files (1 new or changed), 1 claims -> claims.db\n",
        "1 documents from 2 files (0 new or changed), 1 claims -> claims.db\n",
    ]


def test_build_of_nothing_readable_fails(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "missing/", "--db", "x.db"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "refused: missing: no such file or directory",  # by its label, as stored (#14)
        "Error: nothing was built: no document could be read",
    ]
    assert (
        result.stdout
        == "0 documents (0 new or changed), 0 claims, 1 refused (see ingest_errors) -> x.db\n"
    )
    assert "Traceback" not in result.output


def test_build_goes_on_past_a_bad_file(tmp_path, monkeypatch):
    # Review of #2, item 6: the good files of the bad file's batch were thrown away; since #5
    # the bad file is named on stderr and recorded, and the build goes on.
    (tmp_path / "feed").mkdir()
    (tmp_path / "feed" / "a.txt").write_text("Shells\nThey fired 6,000 rounds.", "utf-8")
    (tmp_path / "feed" / "b.txt").write_text("", "utf-8")
    (tmp_path / "feed" / "c.txt").write_text("Tanks\nThey sent 31 tanks.", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "feed", "--quiet"])
    assert result.exit_code == 0
    assert result.stderr == "refused: feed/b.txt: empty file: no text to read\n"
    assert result.stdout == (
        "2 documents from 3 files (2 new or changed), 2 claims, 1 refused (see ingest_errors)"
        " -> claims.db\n"
    )
    stored = sqlite3.connect(tmp_path / "claims.db")
    try:
        assert stored.execute("select path from documents order by path").fetchall() == [
            ("feed/a.txt",),
            ("feed/c.txt",),
        ]
        assert stored.execute("select path, reason from ingest_errors").fetchall() == [
            ("feed/b.txt", "empty file: no text to read")
        ]
    finally:
        stored.close()


def make_file(path, what: str) -> None:
    """Make ``path``: a text file, a SQLite database of something else, or an empty one."""
    if what == "text":
        path.write_text("not a database, " * 100)
        return
    conn = sqlite3.connect(path)
    conn.execute("create table notes (body text)" if what == "other" else "pragma user_version=1")
    conn.close()


NOT_CLAIMS = [
    # what the file holds, the error for build (None: it builds), the error for serve
    ("text", "cannot open as a claims database (file is not a database)", None),
    # Review of #2, item 7: build quietly added its tables to another database.
    ("other", "not a claims database (it holds notes, and no claims schema)", None),
    ("empty", None, "an empty database, with no claims tables: build it first"),
]


@pytest.mark.parametrize("what, build_error, serve_error", NOT_CLAIMS, ids=lambda v: str(v))
def test_a_file_that_is_not_a_claims_database(
    tmp_path, monkeypatch, root, seeds_dir, ran, what, build_error, serve_error
):
    # Review of #2, item 2: serve handed such a file to Datasette, which printed a traceback.
    shutil.copy(root / "metadata.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    make_file(tmp_path / "x.db", what)
    before = (tmp_path / "x.db").read_bytes()
    result = CliRunner().invoke(cli, ["serve", "--db", "x.db"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: x.db: {serve_error or build_error}")
    assert result.output.count("\n") == 1
    assert ran == []
    result = CliRunner().invoke(cli, ["build", str(seeds_dir), "--db", "x.db"])
    if build_error:
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: x.db: {build_error}")
        assert result.output.count("\n") == 1
        assert (tmp_path / "x.db").read_bytes() == before
    else:
        assert result.exit_code == 0, result.output


@pytest.fixture
def ran(monkeypatch):
    """Record the commands `claims serve` would become instead of running them."""
    commands = []

    def fake_execv(path, command):
        assert path == command[0]
        commands.append(command)

    monkeypatch.setattr(cli_module.os, "execv", fake_execv)
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
        "-m", "datasette", "serve", "-i", "claims.db",
        "--inspect-file", "claims.db.inspect.json",
        "--metadata", "metadata.yml",
        "--host", "127.0.0.1",
        "--port", "8001",
        "--setting", "suggest_facets", "off",
        "--setting", "facet_time_limit_ms", "200",
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
    assert command[4:14] == [
        "-i", "published/claims.db",
        "--inspect-file", "published/claims.db.inspect.json",
        "--metadata", "published/metadata.yml",
        "--host", "0.0.0.0",
        "--port", "9000",
    ]  # fmt: skip


def test_serve_live_and_open(tmp_path, monkeypatch, root, seeds_db, ran):
    shutil.copy(seeds_db, tmp_path / "claims.db")
    shutil.copy(root / "metadata.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    port = str(free_port())
    result = CliRunner().invoke(cli, ["serve", "--live", "--open", "--port", port])
    assert result.exit_code == 0, result.output
    [command] = ran
    assert command[4:5] == ["claims.db"]  # live: no -i, so that a build's writes show
    assert command[-1] == "--open"


def test_serve_on_a_taken_port_is_a_one_line_error(tmp_path, monkeypatch, root, seeds_db, ran):
    shutil.copy(seeds_db, tmp_path / "claims.db")
    shutil.copy(root / "metadata.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot serve on 127.0.0.1:{port} (Address already in use): another server "
        "may hold it; choose another with --port\n"
    )
    assert ran == []


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


def free_port() -> int:
    """Return a TCP port that nothing listens on at 127.0.0.1 (as of now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    """Return True when ``url`` answers with 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait_until_it_answers(server: subprocess.Popen, url: str) -> None:
    """Wait until the server started as ``server`` answers ``url``; fail with its output if
    it stops first, or after 30 s."""
    deadline = time.monotonic() + 30
    while not answers(url):
        assert server.poll() is None, server.stdout.read().decode()
        assert time.monotonic() < deadline, "claims serve did not answer in 30 s"
        time.sleep(0.2)


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_stopping_serve_stops_datasette(tmp_path, root, seeds_db):
    # Review of #2, item 3: SIGTERM stopped `claims serve` and left Datasette on the port.
    shutil.copy(seeds_db, tmp_path / "claims.db")
    port = free_port()
    command = [sys.executable, "-m", "claims", "serve", "--db", str(tmp_path / "claims.db")]
    command += ["--metadata", str(root / "metadata.yml"), "--port", str(port)]
    # A session of its own, so that whatever the server starts can be stopped with it.
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_until_it_answers(server, f"http://127.0.0.1:{port}/claims.json")
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) is not None
        assert not port_is_open(port), "Datasette still answers after claims serve stopped"
        with pytest.raises(ProcessLookupError):  # no process is left in its group
            os.killpg(server.pid, 0)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.stdout.close()


def test_serve_names_the_metadata_after_the_database(tmp_path, monkeypatch, root, seeds_db, ran):
    # Review of #6: a database not named claims.db lost its canned queries and facets.
    shutil.copy(seeds_db, tmp_path / "news.db")
    shutil.copy(root / "metadata.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["serve", "--db", "news.db", "--port", str(free_port())])
    assert result.exit_code == 0, result.output
    [command] = ran
    metadata = yaml.safe_load(Path(command[command.index("--metadata") + 1]).read_text())
    assert list(metadata["databases"]) == ["news"]
    assert "conflicts" in metadata["databases"]["news"]["queries"]
    charts = metadata["plugins"]["datasette-dashboards"]["claims-overview"]["charts"]
    assert {chart["db"] for chart in charts.values() if "db" in chart} == {"news"}


def test_serve_several_databases_side_by_side(tmp_path, root, seeds_db, site_db):
    """One database a year or an outlet, served together by a real Datasette: each gets the
    canned queries, its counts come from the inspect files, and --crossdb lets SQL join them."""
    (tmp_path / "2023").mkdir()
    shutil.copy(seeds_db, tmp_path / "2023" / "claims.db")
    shutil.copy(site_db, tmp_path / "news.db")
    port = free_port()
    command = [sys.executable, "-m", "claims", "serve",
               "--db", str(tmp_path / "2023" / "claims.db"), "--db", str(tmp_path / "news.db"),
               "--crossdb", "--port", str(port),
               "--metadata", str(root / "metadata.yml")]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_it_answers(server, f"{base}/-/versions.json")

        def get(path: str):
            with urllib.request.urlopen(base + path, timeout=10) as response:
                return json.loads(response.read())

        seeds, news = sqlite3.connect(seeds_db), sqlite3.connect(site_db)
        count = "select count(*) from claims"
        counts = [conn.execute(count).fetchone()[0] for conn in (seeds, news)]
        databases = {db["name"]: db for db in get("/-/databases.json")}
        assert set(databases) >= {"claims", "news"}
        assert all(not databases[name]["is_mutable"] for name in ("claims", "news"))
        query = "/search_claims.json?q=rounds&_shape=array"
        assert {row["text"] for row in get("/claims" + query)} >= {"one million rounds"}
        assert len(get("/news" + query)) > len(get("/claims" + query))
        both = (
            "select (select count(*) from claims.claims) + (select count(*) from news.claims) as n"
        )
        [row] = get("/_memory.json?_shape=array&sql=" + urllib.parse.quote(both))
        assert row["n"] == sum(counts)
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


@pytest.mark.parametrize(
    "dbs, error",
    [
        (["a/claims.db", "b/claims.db"], "Error: claims: two databases of that name"),
        (["claims.db", "missing.db"], "Error: missing.db: no such database"),
        (
            ["claims.db"] + [f"{year}.db" for year in range(2014, 2025)] + ["--crossdb"],
            "Error: --crossdb joins at most 10 databases",
        ),
    ],
)
def test_serve_several_databases_refuses(tmp_path, monkeypatch, seeds_db, ran, dbs, error):
    for name in ("claims.db", "a/claims.db", "b/claims.db"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(seeds_db, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    args = [part for db in dbs for part in (("--db", db) if db.endswith(".db") else (db,))]
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 1
    assert result.output.startswith(error) and result.output.count("\n") == 1
    assert ran == []


def test_serve_several_databases_hands_datasette_their_metadata_and_counts(
    tmp_path, monkeypatch, root, seeds_db, ran
):
    shutil.copy(seeds_db, tmp_path / "news.db")
    shutil.copy(seeds_db, tmp_path / "claims.db")
    shutil.copy(root / "metadata.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["serve", "--db", "news.db", "--db", "claims.db"])
    assert result.exit_code == 0, result.output
    [command] = ran
    assert command[4:8] == ["-i", "news.db", "-i", "claims.db"]
    metadata = yaml.safe_load(Path(command[command.index("--metadata") + 1]).read_text())
    assert set(metadata["databases"]) == {"news", "claims"}
    for queries in (metadata["databases"][name]["queries"] for name in ("news", "claims")):
        assert "concept_over_time" in queries
    charts = metadata["plugins"]["datasette-dashboards"]["claims-overview"]["charts"]
    assert {chart["db"] for chart in charts.values() if "db" in chart} == {"news"}  # the first
    counts = json.loads(Path(command[command.index("--inspect-file") + 1]).read_text())
    claims_count = sqlite3.connect(seeds_db).execute("select count(*) from claims").fetchone()[0]
    for name in ("news", "claims"):
        assert counts[name]["tables"]["claims"]["count"] == claims_count


@pytest.fixture
def older_db(tmp_path, monkeypatch, root, seeds_db) -> Path:
    """A folder, made the current one, with metadata.yml and a claims.db as a claims before
    migration m009 built it."""
    shutil.copy(seeds_db, tmp_path / "claims.db")
    shutil.copy(root / "metadata.yml", tmp_path)
    as_before_m009(tmp_path / "claims.db")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "claims.db"


def test_serving_again_reuses_the_files_written_for_datasette(
    tmp_path, monkeypatch, root, seeds_db, ran
):
    # Each serve of two databases left a new folder of metadata and counts in the temporary
    # folder, since Datasette takes over the process: hundreds piled up.
    monkeypatch.setattr(cli_module.tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    shutil.copy(seeds_db, tmp_path / "news.db")
    shutil.copy(seeds_db, tmp_path / "claims.db")
    shutil.copy(root / "metadata.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    for _ in range(3):
        result = CliRunner().invoke(cli, ["serve", "--db", "news.db", "--db", "claims.db"])
        assert result.exit_code == 0, result.output
    written = {command[command.index(flag) + 1] for command in ran for flag in
               ("--metadata", "--inspect-file")}  # fmt: skip
    assert len(written) == 2
    assert [path.name for path in (tmp_path / "temp").iterdir()] == [
        f"claims-serve-{getpass.getuser()}"
    ]
    assert len(list((tmp_path / "temp").glob("*/*"))) == 2


def test_serve_brings_a_database_of_an_older_claims_up_to_date(older_db, ran):
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert "claims.db: updating its schema (m009_claims_text_searched)" in result.output
    columns = [row[1] for row in sqlite3.connect(older_db).execute(
        "pragma table_info(claims_fts)")]  # fmt: skip
    assert columns == ["sentence", "concept", "text"]
    assert len(ran) == 1


def test_serve_does_not_update_a_database_that_a_build_is_writing(older_db, ran):
    with open(older_db, "ab") as held:  # as a build holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert "Error: claims.db: another build is writing to this database" in result.output
    assert ran == []


def test_serve_refuses_a_database_of_an_older_claims_it_cannot_write(older_db, ran):
    if os.geteuid() == 0:
        pytest.skip("root writes a read-only file")
    older_db.chmod(0o444)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: claims.db: was built by an older claims")
    assert ran == []


def test_serve_writes_the_inspect_file_again_when_the_database_changed(
    tmp_path, monkeypatch, root, seeds_db, ran
):
    shutil.copy(seeds_db, tmp_path / "claims.db")
    shutil.copy(root / "metadata.yml", tmp_path)
    monkeypatch.chdir(tmp_path)
    inspect = tmp_path / "claims.db.inspect.json"
    inspect.write_text('{"claims": {"size": 1, "tables": {}}}')  # of another database
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert "counting its tables" in result.output
    [command] = ran
    assert command[4:8] == ["-i", "claims.db", "--inspect-file", "claims.db.inspect.json"]
    counts = json.loads(inspect.read_text())["claims"]["tables"]
    assert counts["claims"] == {"count": 9}
    # Current now: the next serve reads it as it is.
    result = CliRunner().invoke(cli, ["serve"])
    assert "counting its tables" not in result.output
