"""Hostile databases and site requests (issue #14): a damaged, read-only, locked or
non-regular database ends every command in one line, and loses nothing; a custom SQL or a
search the plugin did not foresee still gets its page."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

import claims.cli as cli_module
from claims.cli import cli

REBUILD = "build the database again to a new file (claims build PATH... --db NEW.db)"
SENTENCE = "Ukraine fired 6,000 rounds a day."


@pytest.fixture
def db(tmp_path, seeds_db) -> Path:
    """A claims database built from seeds/, of our own to damage."""
    path = tmp_path / "data" / "claims.db"
    path.parent.mkdir()
    shutil.copy(seeds_db, path)
    return path


@pytest.fixture
def ran(monkeypatch):
    """The commands `claims serve` would become, instead of becoming them."""
    commands = []
    monkeypatch.setattr(cli_module.os, "execv", lambda path, command: commands.append(command))
    return commands


def stored(path: Path) -> dict[str, int]:
    """The rows of the main tables, read as the site reads them (immutable)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        return {
            table: conn.execute(f"select count(*) from [{table}]").fetchone()[0]
            for table in ("documents", "claims", "runs")
        }
    finally:
        conn.close()


def commands(db: Path, seeds_dir: Path) -> dict[str, list[str]]:
    """Every command that opens the database, by name."""
    return {
        "build": ["build", str(seeds_dir), "--db", str(db), "--quiet"],
        "xref": ["xref", "--db", str(db)],
        "refs": ["refs", "import", str(REFERENCES), "--db", str(db)],
        "check": ["check", SENTENCE, "--db", str(db)],
        "serve": ["serve", "--db", str(db), "--port", "8123"],
    }


REFERENCES = Path(__file__).resolve().parent.parent / "data" / "xref" / "references.csv"


def invoke(args: list[str]):
    """Run the CLI in this process; stderr apart from stdout."""
    return CliRunner().invoke(cli, args)


def drop(table: str):
    def damage(path: Path) -> None:
        conn = sqlite3.connect(path)
        conn.execute(f"drop table [{table}]")
        conn.commit()
        conn.close()

    return damage


def truncate(path: Path) -> None:
    with open(path, "r+b") as file:
        file.truncate(path.stat().st_size // 2)


def garbage(path: Path) -> None:
    path.write_bytes(b"\x8f not a database \x00" * 4096)


DAMAGES = [
    # how the database is damaged, the one line every command ends with
    (drop("claims"), f"is damaged: it has no table claims: {REBUILD}"),
    (drop("documents"), f"is damaged: it has no table documents: {REBUILD}"),
    (
        drop("claims_fts"),
        "is damaged: it has no table claims_fts, table claims_fts_data, table claims_fts_idx, "
        f"…: {REBUILD}",
    ),
    (truncate, f"is damaged (database disk image is malformed): {REBUILD}"),
    (garbage, "cannot open as a claims database (file is not a database)"),
]
DAMAGE_IDS = ["drop table claims", "drop table documents", "drop claims_fts", "half", "garbage"]


@pytest.mark.parametrize("command", ["build", "xref", "refs", "check", "serve"])
@pytest.mark.parametrize("damage, reason", DAMAGES, ids=DAMAGE_IDS)
def test_a_damaged_database_is_one_line_and_left_as_it_is(
    db, seeds_dir, ran, command, damage, reason
):
    damage(db)
    before = db.read_bytes()
    result = invoke(commands(db, seeds_dir)[command])
    assert (result.exit_code, result.stderr) == (1, f"Error: {db}: {reason}\n")
    assert "Traceback" not in result.output
    assert db.read_bytes() == before
    assert ran == []


@pytest.mark.parametrize("command", ["build", "xref", "refs", "check", "serve"])
def test_a_fifo_as_the_database_is_refused_before_it_is_opened(tmp_path, seeds_dir, command):
    fifo = tmp_path / "claims.db"
    os.mkfifo(fifo)
    # A subprocess, so that a command that opens the FIFO hangs there, not the tests.
    args = [sys.executable, "-m", "claims", *commands(fifo, seeds_dir)[command]]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {fifo}: is a named pipe (FIFO), not a database file: "
        "name a file such as claims.db\n",
    )
    assert fifo.is_fifo()


@contextlib.contextmanager
def read_only(*paths: Path):
    """Make ``paths`` (files and folders) read-only in a way that holds for root too:
    ``chattr +i``, which needs its capability and a file system that has the attribute;
    for another user, permission bits do. Skipped, saying why, when neither holds."""
    made = []
    try:
        for path in paths:
            if os.geteuid() != 0:
                path.chmod(0o555 if path.is_dir() else 0o444)
            elif subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
                pytest.skip(f"root, and chattr +i is not possible on {path}: no read-only file")
            made.append(path)
        yield
    finally:
        for path in reversed(made):
            if os.geteuid() != 0:
                path.chmod(0o755 if path.is_dir() else 0o644)
            else:
                subprocess.run(["chattr", "-i", str(path)], check=True)


def without_wal_files(db: Path) -> None:
    """The database alone, as it is copied to read-only media (no -shm, no -wal)."""
    for suffix in ("-shm", "-wal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


READ_ONLY_WRITERS = [
    # what is read-only, the command, the reason it gives
    ("file and folder", "build", "the file is read-only"),
    ("file and folder", "xref", "the file is read-only"),
    ("file and folder", "refs", "the file is read-only"),
    ("folder", "build", "its folder {folder} is read-only"),
    ("folder", "xref", "its folder {folder} is read-only"),
    ("folder", "refs", "its folder {folder} is read-only"),
]


@pytest.mark.parametrize(
    "which, command, reason", READ_ONLY_WRITERS, ids=[f"{c[1]} {c[0]}" for c in READ_ONLY_WRITERS]
)
def test_a_read_only_database_is_not_written(db, seeds_dir, which, command, reason):
    without_wal_files(db)
    before = stored(db)
    paths = [db, db.parent] if which == "file and folder" else [db.parent]
    with read_only(*paths):
        result = invoke(commands(db, seeds_dir)[command])
        listed = sorted(path.name for path in db.parent.iterdir())
    message = f"cannot write to this database ({reason.format(folder=db.parent)})"
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {db}: {message}: copy it where it can be written\n",
    )
    assert stored(db) == before
    assert listed == ["claims.db"]


def test_a_build_to_a_new_file_in_a_read_only_folder_says_so(tmp_path, seeds_dir):
    folder = tmp_path / "media"
    folder.mkdir()
    with read_only(folder):
        result = invoke(["build", str(seeds_dir), "--db", str(folder / "claims.db")])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {folder / 'claims.db'}: cannot write to this database (its folder {folder} "
        "is read-only): copy it where it can be written\n",
    )
    assert list(folder.iterdir()) == []


def test_check_and_serve_read_a_database_on_read_only_media(db, ran, root):
    without_wal_files(db)
    shutil.copy(root / "metadata.yml", db.parent)
    with read_only(db, db.parent):
        checked = invoke(["check", SENTENCE, "--db", str(db)])
        served = invoke(["serve", "--db", str(db), "--port", "8123"])
        listed = sorted(path.name for path in db.parent.iterdir())
    assert checked.exit_code == 0, checked.output
    assert "repeats   'up to 6,000 rounds daily' (Oleksandra Ustinova)" in checked.output
    assert served.exit_code == 0, served.output
    [command] = ran
    assert command[command.index(str(db)) - 1] == "-i"  # immutable
    assert listed == ["claims.db", "metadata.yml"]  # no -shm, -wal or inspect file


async def test_datasette_serves_a_database_on_read_only_media(db):
    without_wal_files(db)
    with read_only(db, db.parent):
        ds = Datasette(immutables=[str(db)])
        response = await ds.client.get("/claims/claims.json?_shape=array&_size=max")
    assert response.status_code == 200
    assert len(response.json()) == stored(db)["claims"] == 9


HOLDER = """
import fcntl, sys
held = open(sys.argv[1], "ab")
fcntl.flock(held, fcntl.LOCK_EX)  # as a build holds the database
print("held", flush=True)
sys.stdin.read()  # until the test closes our standard input
"""

WRITERS = ["xref", "refs import", "refs kiel", "refs rates"]


def writer(db: Path, which: str, root: Path) -> list[str]:
    data = root / "tests" / "data"
    return {
        "xref": ["xref", "--db", str(db)],
        "refs import": ["refs", "import", str(REFERENCES), "--db", str(db)],
        "refs kiel": ["refs", "kiel", str(data / "reference"), "--db", str(db)],
        "refs rates": ["refs", "rates", str(data / "reference" / "rates.csv"), "--db", str(db)],
    }[which]


@pytest.mark.parametrize("which", WRITERS)
def test_writers_take_the_build_lock(db, root, which):
    args = writer(db, which, root)
    before = stored(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline() == "held\n"
        refused = invoke(args)
        waiting = subprocess.Popen(
            [sys.executable, "-m", "claims", *args, "--wait", "120"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        # Refused, it would end within a second; still there, it waits for the lock (or is
        # still starting, which proves nothing but fails nothing).
        time.sleep(2)
        assert waiting.poll() is None, waiting.communicate()
    finally:
        holder.stdin.close()  # the holder ends, and its lock with it
        holder.wait(timeout=60)
    out, err = waiting.communicate(timeout=120)
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"Error: {db}: another build is writing to this database: wait for it to end, "
        "or give --wait SECONDS\n",
    )
    assert stored(db) == before
    assert waiting.returncode == 0, err
    assert "claims keyed" in out


#: Custom SQL of shapes the plugin's cells do not take, the rows Datasette gives.
CUSTOM_SQL = [
    ("select 'x' as text, null as document_id", [{"text": "x", "document_id": None}]),
    ("select 'x' as text, 7 as document_id", [{"text": "x", "document_id": 7}]),
    (
        "select 'six' as value, 'round' as unit, '=' as qualifier",
        [{"value": "six", "unit": "round", "qualifier": "="}],
    ),
    ("select 'a b' as sentence, 5 as text", [{"sentence": "a b", "text": 5}]),
    (
        "select 'a b' as sentence, 'b' as text, 'x' as start, 3 as [end], 0 as sentence_start",
        [{"sentence": "a b", "text": "b", "start": "x", "end": 3, "sentence_start": 0}],
    ),
    ("select 'Title' as title, 2.5 as id", [{"title": "Title", "id": 2.5}]),
]


@pytest.fixture
def site(db, metadata):
    return Datasette([str(db)], metadata=metadata)


@pytest.mark.parametrize("sql, rows", CUSTOM_SQL, ids=[c[0] for c in CUSTOM_SQL])
async def test_custom_sql_of_any_shape_gets_its_page(site, sql, rows):
    page = await site.client.get("/claims", params={"sql": sql})
    data = await site.client.get("/claims.json", params={"sql": sql, "_shape": "array"})
    assert (page.status_code, data.status_code) == (200, 200)
    assert data.json() == rows
    if "7 as document_id" in sql:  # what can be rendered is: the link to the document
        assert 'href="/claims/documents/7">x</a>' in page.text


#: Searches that are no valid FTS5 query: (page, parameter, value, the search it equals)
SEARCHES = [
    ("/claims/search_claims.json", "q", '"', None),
    ("/claims/search_claims.json", "q", "", None),
    ("/claims/search_claims.json", "q", '""', None),
    ("/claims/search_claims.json", "q", "a\x00b", None),
    ("/claims/search_claims.json", "q", "rounds\x00", "rounds"),
    ("/claims/search_claims.json", "q", 'rounds "', "rounds"),
    ("/claims/concept_over_time.json", "concept", "\x00", None),
    ("/claims/concept_over_time.json", "concept", 'rounds"\x00', "rounds"),
    ("/claims/claims.json", "_search", '"', None),
    ("/claims/claims.json", "_search", "rounds\x00", "rounds"),
    ("/claims/documents.json", "_search", '"', None),
]


@pytest.mark.parametrize(
    "path, name, value, same_as", SEARCHES, ids=[f"{s[0]}?{s[1]}={s[2]!r}" for s in SEARCHES]
)
async def test_a_search_is_never_a_sqlite_error(site, path, name, value, same_as):
    response = await site.client.get(path, params={name: value, "_shape": "array"})
    assert response.status_code == 200, response.text
    if same_as is None:
        assert response.json() == []
    else:
        expected = await site.client.get(path, params={name: same_as, "_shape": "array"})
        assert response.json() == expected.json() != []


#: Table pages with a NUL in a parameter (its name or value): a 500 from SQLite before.
NUL_PARAMETERS = [
    ("_facet", "\x00"),
    ("_facet", "unit\x00"),
    ("_where", "\x00"),
    ("\x00", "1"),
    ("_facet_array", "\x00"),
    ("_sort_desc", "\x00"),
    ("unit", "round\x00"),
]


@pytest.mark.parametrize("name, value", NUL_PARAMETERS, ids=[repr(p) for p in NUL_PARAMETERS])
async def test_a_nul_in_a_parameter_is_dropped(site, name, value):
    clean = {name.replace("\x00", ""): value.replace("\x00", "")}
    clean = {key: item for key, item in clean.items() if key and item}  # "_facet=" is none
    for page in ("/claims/claims", "/claims/claims.json"):
        response = await site.client.get(page, params={name: value})
        expected = await site.client.get(page, params=clean)
        assert (response.status_code, expected.status_code) == (200, 200), response.text
        if page.endswith(".json"):
            assert response.json()["rows"] == expected.json()["rows"]


@pytest.mark.parametrize(
    "can_write, wal, expected",
    [
        (True, False, "?mode=ro"),  # a reader sees what a build commits
        (False, False, "?mode=ro&immutable=1"),  # read-only, nothing in progress: no -shm
        (False, True, "?mode=ro"),  # a write in progress: immutable would skip the -wal
    ],
)
def test_a_database_is_read_immutable_only_when_nothing_can_change_it(
    tmp_path, monkeypatch, can_write, wal, expected
):
    import claims.readonly as readonly

    db = tmp_path / "claims.db"
    db.write_bytes(b"")
    if wal:
        (tmp_path / "claims.db-wal").write_bytes(b"")
    monkeypatch.setattr(readonly, "writable", lambda path: None if can_write else "read-only")
    assert readonly.read_only_uri(db) == db.resolve().as_uri() + expected
