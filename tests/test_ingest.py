"""Building from what newsrooms have: a hostile folder, incremental builds, a build killed
with SIGKILL, two builds at once, and the progress a build shows.

The corpus sample (tests/data/corpus-sample.jsonl) is the first 40 articles of the shared
Ukraine news corpus, as JSON Lines records.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from files import write_files
from sqlite_utils import Database

import claims
import claims.store
from claims.errors import StoreError
from claims.progress import BuildDisplay
from claims.sources import _outside
from claims.store import BuildProgress, build

SAMPLE = Path(__file__).parent / "data" / "corpus-sample.jsonl"

GOOD = {
    "good/seed.txt": " date 2023-09-28 NATO aims to triple output to 2 million rounds a year.",
    "good/latin1.txt": "Zürich pledged 5 million francs in aid.".encode("latin-1"),
    "good/utf16.txt": "Kyiv asked for 1 million rounds of ammunition.".encode("utf-16"),
    "good/notes.md": "# Tanks\n\nGermany sent 18 Leopard tanks.",
    "good/feed.jsonl": '{"id": "a", "text": "The EU sent 300,000 shells."}\n{"id": "b", "text": ',
    "good/table.csv": 'title,text\nDrones,"Ukraine lost 10,000 drones a month."\nEmpty\n',
}

HOSTILE = {
    "bad/binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    "bad/zero.txt": b"",
    "bad/script.html": b"<html><body><script>alert('x')</script></body></html>",
    "bad/photo.jpg": b"\xff\xd8\xff\xe0 JFIF",
    "bad/dates.csv": b"headline,date\nShells,2023-09-28\n",
}

REFUSED = [
    # path, record, reason (its start)
    ("bad/big.txt", None, "larger than 20 MB: raise --max-bytes to read it"),
    ("bad/binary.txt", None, "a binary file, not text"),
    ("bad/dates.csv", None, "no text column (columns: headline, date)"),
    ("bad/photo.jpg", None, "cannot read '.jpg' files"),
    ("bad/script.html", None, "HTML with no article text"),
    ("bad/zero.txt", None, "empty file: no text to read"),
    ("good/feed.jsonl", "line 2", "not JSON"),
    ("good/table.csv", "row 3", "fewer cells than columns"),  # #14: was read
]


def counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return {
            table: conn.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("sources", "documents", "claims", "claims_fts", "documents_fts")
        }
    finally:
        conn.close()


def test_a_hostile_folder_keeps_the_good_files_and_says_why_for_the_rest(tmp_path):
    write_files(tmp_path, {**GOOD, **HOSTILE})
    with open(tmp_path / "bad" / "big.txt", "wb") as big:  # 30 MB, refused unread
        big.truncate(30_000_000)
    seen = []
    summary = build(
        [tmp_path / "good", tmp_path / "bad"], tmp_path / "claims.db", refused=seen.append
    )
    db = Database(tmp_path / "claims.db")
    stored = sorted(row["path"] for row in db["documents"].rows)
    assert stored == [
        "good/feed.jsonl#a",
        "good/latin1.txt",
        "good/notes.md",
        "good/seed.txt",
        "good/table.csv#2",
        "good/utf16.txt",
    ]
    texts = {row["path"]: row["text"] for row in db["documents"].rows}
    assert texts["good/latin1.txt"] == "Zürich pledged 5 million francs in aid."
    assert texts["good/utf16.txt"] == "Kyiv asked for 1 million rounds of ammunition."
    errors = sorted(
        (
            Path(r["path"]).relative_to(tmp_path).as_posix()
            if r["path"].startswith("/")
            else r["path"],
            r["record"],
            r["reason"],
        )
        for r in db["ingest_errors"].rows
    )
    assert len(errors) == len(REFUSED)
    for (path, record, reason), want in zip(errors, REFUSED, strict=True):
        assert (path, record) == want[:2] and reason.startswith(want[2]), (path, record, reason)
    assert len(seen) == summary.refused == len(REFUSED)
    assert summary.documents == 6


def test_a_second_build_changes_nothing_and_a_changed_record_replaces_its_claims(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(SAMPLE.read_bytes())
    db_path = tmp_path / "claims.db"
    first = build([corpus], db_path)
    before = counts(db_path)
    second = build([corpus], db_path)
    assert (second.changed, second.removed, counts(db_path)) == (0, 0, before)
    assert second.documents == first.documents == before["documents"]

    records = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]
    records[0]["text"] = "Kyiv says it fired 7,000 shells on Monday."
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    third = build([corpus], db_path)
    assert (third.changed, third.removed) == (1, 1)
    db = Database(db_path)
    [doc] = db["documents"].rows_where("path = ?", [f"corpus.jsonl#{records[0]['id']}"])
    assert doc["text"] == "Kyiv says it fired 7,000 shells on Monday."
    assert [c["text"] for c in db["claims"].rows_where("document_id = ?", [doc["id"]])] == [
        "7,000 shells"
    ]


def test_reextract_and_a_new_extractor_version_extract_again(tmp_path, monkeypatch):
    db_path = tmp_path / "claims.db"
    first = build([SAMPLE], db_path)
    again = build([SAMPLE], db_path, reextract=True)
    assert again.changed == first.documents
    monkeypatch.setattr(claims, "EXTRACTOR_VERSION", "99.0.0")
    newer = build([SAMPLE], db_path)
    assert newer.changed == first.documents
    versions = {
        row[0] for row in sqlite3.connect(db_path).execute("select extractor_version from claims")
    }
    assert versions == {"99.0.0"}


def test_the_database_is_in_wal_mode(tmp_path):
    build([SAMPLE], tmp_path / "claims.db")
    conn = sqlite3.connect(tmp_path / "claims.db")
    assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
    conn.close()


def test_a_second_build_at_the_same_time_stops_or_waits(tmp_path):
    db_path = tmp_path / "claims.db"
    build([SAMPLE], db_path)
    with open(db_path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build holds it
        with pytest.raises(StoreError, match="another build is writing to this database"):
            build([SAMPLE], db_path)
        threading.Timer(0.5, fcntl.flock, [held, fcntl.LOCK_UN]).start()
        started = time.monotonic()
        summary = build([SAMPLE], db_path, wait=30)
    assert summary.documents > 0 and time.monotonic() - started >= 0.4


def run_build(corpus: Path, db_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "claims",
            "build",
            str(corpus),
            "--db",
            str(db_path),
            "--quiet",
            "--batch-size",
            "5",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def claims_per_document(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return dict(
            conn.execute(
                "select documents.id, count(claims.id) from documents "
                "left join claims on claims.document_id = documents.id group by documents.id"
            )
        )
    finally:
        conn.close()


def unfinished(db_path: Path) -> bool:
    """True when the build of ``db_path`` was cut short (or never wrote its first run)."""
    if not db_path.exists():
        return True
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("select count(*) from runs where finished is null").fetchone()[0] > 0
    except sqlite3.OperationalError:  # killed before the schema was written
        return True
    finally:
        conn.close()


def test_a_build_killed_at_any_moment_leaves_a_consistent_database(tmp_path):
    # Five versions of each sample article (200 documents), so that a build takes a while.
    records = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for update in range(5):
            for record in records:
                text = f"{record['text']}\n\nUpdate {update}: {update + 2} more convoys arrived."
                out.write(json.dumps({**record, "id": f"{record['id']}-{update}", "text": text}))
                out.write("\n")
    clean = tmp_path / "clean.db"
    started = time.monotonic()
    assert run_build(corpus, clean).wait(timeout=300) == 0
    took = time.monotonic() - started
    expected, clean_claims = counts(clean), claims_per_document(clean)
    rng = random.Random(5)
    cut_short = 0
    # Up to 8 kills at random moments, until 3 of them cut a build short (on a busy machine
    # a kill may come after the end: that build is checked all the same).
    for attempt in range(8):
        if cut_short == 3:
            break
        db_path = tmp_path / f"killed-{attempt}.db"
        process = run_build(corpus, db_path)
        time.sleep(rng.uniform(0.2, 0.8) * took)
        process.send_signal(signal.SIGKILL)
        process.wait()
        cut_short += unfinished(db_path)
        if db_path.exists():
            conn = sqlite3.connect(db_path)
            assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
            assert conn.execute("pragma foreign_key_check").fetchall() == []
            conn.close()
            if has_schema(db_path):
                conn = sqlite3.connect(db_path)  # the full-text indexes hold what is stored
                for fts in ("documents_fts", "claims_fts"):
                    conn.execute(f"insert into {fts}({fts}, rank) values ('integrity-check', 1)")
                conn.close()
                # Every document stored holds all its claims: none is half written.
                for doc_id, n in claims_per_document(db_path).items():
                    assert n == clean_claims[doc_id], doc_id
        finished = run_build(corpus, db_path)
        assert finished.wait(timeout=300) == 0, finished.stderr.read().decode()
        assert counts(db_path) == expected
        assert claims_per_document(db_path) == clean_claims
    assert cut_short >= 2, "the kills came too late to test anything: lengthen the corpus"


def has_schema(db_path: Path) -> bool:
    """True when the schema is written (the build was killed after it)."""
    conn = sqlite3.connect(db_path)
    try:
        return bool(
            conn.execute("select count(*) from sqlite_master where name = 'documents'").fetchone()[
                0
            ]
        )
    finally:
        conn.close()


def test_progress_lines_when_not_on_a_terminal():
    stream = io.StringIO()
    display = BuildDisplay(stream, every=0, terminal=False)
    display(
        BuildProgress(
            files=1,
            files_total=3,
            bytes=2_000_000,
            bytes_total=6_000_000,
            documents=120,
            claims=2400,
            refused=1,
        )
    )
    display.close()
    line = stream.getvalue()
    assert line.startswith("build: 1/3 files, 120 documents, 2,400 claims, 1 refused, ")
    assert line.endswith(" MB/s\n")


def test_quiet_build_prints_only_the_summary(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "claims",
            "build",
            str(SAMPLE),
            "--db",
            str(tmp_path / "c.db"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""
    assert result.stdout.startswith("36 documents from 1 files (36 new or changed), ")


PAGE = """<html><head><title>Shells | The Kyiv Ledger</title>
<meta property="og:site_name" content="The Kyiv Ledger">
<meta property="og:title" content="Allies run short of shells">
<link rel="canonical" href="https://ledger.example/news/shells">
<meta name="date" content="2023-09-28"></head><body><article>
<p>Ukraine's military was firing up to 6,000 rounds daily, a lawmaker told broadcaster CNN.</p>
<p>Russia, by contrast, fired some 60,000 rounds a day at the height of the fighting.</p>
</article></body></html>"""


def cli_build(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claims", "build", *args, "--quiet"],
        cwd=cwd,
        input=stdin,
        capture_output=True,
    )


def test_glob_picks_files_in_folders_and_pages_keep_their_provenance(tmp_path):
    write_files(
        tmp_path,
        {
            "site/2023/shells.html": PAGE,
            "site/2023/notes.txt": "Notes\nNo 5 here.",
            "site/readme.md": "# About\nNothing.",
        },
    )
    result = cli_build("site", "--glob", "*.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = Database(tmp_path / "claims.db")
    [doc] = db["documents"].rows
    assert (doc["path"], doc["title"], doc["published"], doc["url"]) == (
        "site/2023/shells.html",
        "Allies run short of shells",
        "2023-09-28",
        "https://ledger.example/news/shells",
    )
    [source] = db["sources"].rows
    assert (source["name"], source["url"]) == ("The Kyiv Ledger", "https://ledger.example")
    assert [c["text"] for c in db["claims"].rows_where(order_by="start")] == [
        "up to 6,000 rounds daily",
        "some 60,000 rounds a day",
    ]


def test_the_standard_input_builds(tmp_path):
    feed = "\n".join(
        json.dumps({"id": f"s{n}", "text": text, "published": "2024-02-24"})
        for n, text in enumerate(["Kyiv got 31 Abrams tanks.", "The EU sent 300,000 shells."])
    )
    result = cli_build("-", cwd=tmp_path, stdin=feed.encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith(
        "2 documents from 1 files (2 new or changed), 2 claims"
    )
    paths = sorted(
        r[0] for r in sqlite3.connect(tmp_path / "claims.db").execute("select path from documents")
    )
    assert paths == ["-#s0", "-#s1"]


def test_a_bad_field_option_is_a_one_line_error(tmp_path):
    result = cli_build(str(SAMPLE), "--field", "body", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode() == (
        "Error: --field 'body': give NAME=COLUMN, NAME one of text, title, url, published, "
        "source, id\n"
    )


@pytest.mark.parametrize("follow_links", [False, True])
def test_odd_files_in_a_folder_are_followed_or_refused(tmp_path, follow_links):
    # Review of #5: linked folders, broken links, pipes and non-UTF-8 names were skipped
    # without a word, hung the build or stopped it with a traceback. Issue #14: a linked
    # folder outside the inputs is followed only with follow_links, and its file is named
    # by the way it was found, not by its absolute path.
    write_files(
        tmp_path,
        {
            "news/a.txt": "Shells\nThey fired 6,000 rounds.",
            "elsewhere/b.txt": "Tanks\nThey sent 31 tanks.",
        },
    )
    (tmp_path / "news" / "linked").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "news" / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "news" / "pipe.txt")
    with open(os.fsencode(tmp_path / "news") + b"/bad\xffname.txt", "wb") as odd:
        odd.write(b"Drones\nThey lost 12 drones.")
    (tmp_path / "news" / "claims.db").write_bytes(b"")  # the database among its inputs
    db_path = tmp_path / "news" / "claims.db"
    summary = build([tmp_path / "news"], db_path, follow_links=follow_links)
    db = Database(db_path)
    linked = ["linked/b.txt"] if follow_links else []
    assert sorted(r["path"] for r in db["documents"].rows) == sorted(
        ["a.txt", "bad\\xffname.txt", *linked]
    )
    outside = [] if follow_links else [("linked", _outside)]
    assert sorted((r["path"], r["reason"]) for r in db["ingest_errors"].rows) == [
        ("broken.txt", "a broken symbolic link"),
        *outside,
        ("pipe.txt", "not a regular file (a device, socket or pipe): name files and folders"),
    ]
    assert (summary.documents, summary.refused) == (2 + len(linked), 2 + len(outside))


def test_glob_crosses_folders_with_two_stars(tmp_path):
    write_files(
        tmp_path,
        {
            "news/2023/a.json": '{"text": "Kyiv got 31 tanks."}',
            "news/2023/09/28/b.json": '{"text": "The EU sent 300,000 shells."}',
            "news/2024/c.json": '{"text": "NATO made 2 million rounds."}',
        },
    )
    summary = build([tmp_path / "news"], tmp_path / "claims.db", glob="2023/**/*.json")
    paths = sorted(r["path"] for r in Database(tmp_path / "claims.db")["documents"].rows)
    assert paths == ["news/2023/09/28/b.json#1", "news/2023/a.json#1"]
    assert summary.refused == 0


def test_a_row_added_at_the_top_of_a_csv_extracts_only_that_row(tmp_path):
    # Review of #5: rows are labelled by number, and every row below the new one was deleted
    # and extracted again.
    rows = ["Kyiv got 31 tanks.", '"The EU sent 300,000 shells."', "NATO made 2 million rounds."]
    table = tmp_path / "export.csv"
    table.write_text("text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    db_path = tmp_path / "claims.db"
    build([table], db_path)
    table.write_text("text\nRussia lost 12 drones.\n" + "\n".join(rows) + "\n", encoding="utf-8")
    summary = build([table], db_path)
    assert (summary.changed, summary.removed, summary.documents) == (1, 0, 4)
    stored = {r["text"]: r["path"] for r in Database(db_path)["documents"].rows}
    assert stored == {
        "Russia lost 12 drones.": "export.csv#2",
        "Kyiv got 31 tanks.": "export.csv#3",
        "The EU sent 300,000 shells.": "export.csv#4",
        "NATO made 2 million rounds.": "export.csv#5",
    }


def test_first_builds_at_once_on_a_new_database(tmp_path):
    # Review of #5: the lock came after the schema, so that one of two first builds saw a
    # half-made database ("not a claims database") or "database is locked".
    db_path = tmp_path / "claims.db"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "claims", "build", str(SAMPLE), "--db", str(db_path), "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    for status, stderr in results:
        assert status == 0 or stderr == (
            f"Error: {db_path}: another build is writing to this database: wait for it to "
            "end, or give --wait SECONDS\n"
        ), stderr
    assert any(status == 0 for status, _ in results)
    assert counts(db_path)["documents"] == 36


def test_a_pool_of_two_extracts_the_same_rows(tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build([SAMPLE], one, jobs=1)
    summary = build([SAMPLE], two, jobs=2)
    assert summary.documents == 36
    for table in ("documents", "claims", "claim_links"):
        rows = [list(Database(db)[table].rows_where(order_by="rowid")) for db in (one, two)]
        assert rows[0] == rows[1], table
    again = build([SAMPLE], two, jobs=2)  # nothing to extract: the pool has nothing to do
    assert again.changed == 0
