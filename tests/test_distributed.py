"""A build on a real Dask cluster (two worker processes here) stores the rows a build in one
process does, keeps its Parquet partitions when asked, and says what is wrong when the
cluster cannot be reached (#8).

Without Dask the tests are skipped, except in CI (CI set), where they fail: CI installs
the test extra, which holds it, so a skip there would hide a broken cluster build.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from files import write_files
from sqlite_utils import Database

from claims.distributed import build_on_cluster, partitions
from claims.errors import ClusterError
from claims.sources import list_inputs
from claims.store import build

if not all(importlib.util.find_spec(name) for name in ("distributed", "pyarrow")):
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the Dask tests: pip install -e '.[test]'")
    pytest.skip("no Dask here: pip install -e '.[dask]'", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLE = DATA / "corpus-sample.jsonl"
#: Small partitions, so that the sample's 125 KB make several tasks and a file is split.
SMALL = 20_000

#: Columns that hold the time of the build, not what it stored.
TIMES = {
    "runs": ("started", "finished"),
    "ingest_errors": ("time",),
    "_sqlite_migrations": ("applied_at",),
}


@pytest.fixture(scope="module")
def cluster():
    """A Dask cluster of two worker processes on this machine: its scheduler's address."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as local:
        yield local.scheduler_address


def tables(db_path: Path) -> dict[str, list[dict]]:
    """Every table of a database, every row in storage order, without build times."""
    db = Database(db_path)
    try:
        found = {}
        for name in db.table_names():
            try:
                rows = list(db.query(f"select rowid, * from [{name}] order by rowid"))
            except sqlite3.OperationalError:  # a table without rowid: in key order
                rows = list(db.query(f"select * from [{name}]"))
            for row in rows:
                for column in TIMES.get(name, ()):
                    row.pop(column)
            found[name] = rows
        return found
    finally:
        db.close()


#: Files a build refuses, whole or in part, beside good ones.
BAD = {
    "bad/feed.jsonl": '{"id": "a", "text": "The EU sent 300,000 shells."}\n{"id": "b", "text": \n',
    "bad/empty.txt": "",
    "bad/photo.txt": bytes(range(256)) * 8,
    "bad/export.csv": "title,body_html\nShells,none\n",
    "bad/notes.pdf": "not a format we read",
}


def test_a_cluster_build_stores_the_rows_of_one_process(cluster, tmp_path):
    write_files(tmp_path, BAD)
    inputs = [ROOT / "seeds", SAMPLE, DATA / "hostile", tmp_path / "bad", tmp_path / "gone.txt"]
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build(inputs, one, base=ROOT, jobs=1)
    summary = build_on_cluster(inputs, two, cluster, partition_bytes=SMALL, base=ROOT)
    assert summary.documents > 36 and summary.refused > 0
    expected, found = tables(one), tables(two)
    assert list(found) == list(expected)
    for name in expected:
        assert found[name] == expected[name], name
    assert not list(tmp_path.glob(".claims-parquet-*")), "the temporary partitions stay"


def test_records_of_one_id_in_two_partitions_are_labelled_as_in_one_file(cluster, tmp_path):
    # Two records of one URL, far apart: the second is labelled ...#URL@line, as a reader
    # of the whole file labels it, though another task reads it.
    text = "Kyiv asked Zürich for {n} million rounds of ammunition. " * 40  # UTF-8, not \\u
    lines = [{"url": "https://wire.example/a" if n in (1, 60) else None, "text": text.format(n=n)}
             for n in range(1, 61)]  # fmt: skip
    records = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    write_files(tmp_path, {"wire.jsonl": records})
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build([tmp_path / "wire.jsonl"], one, jobs=1)
    build_on_cluster([tmp_path / "wire.jsonl"], two, cluster, partition_bytes=SMALL)
    assert tables(two)["documents"] == tables(one)["documents"]
    paths = [row["path"] for row in tables(two)["documents"]]
    assert paths[0] == "wire.jsonl#https://wire.example/a"
    assert paths[-1] == "wire.jsonl#https://wire.example/a@60"


def test_the_parquet_partitions_hold_the_claims_and_new_texts_only_are_extracted(cluster, tmp_path):
    import pyarrow.parquet

    parts, db_path = tmp_path / "parts", tmp_path / "claims.db"
    build_on_cluster([SAMPLE], db_path, cluster, parquet=parts, partition_bytes=SMALL)
    files = sorted(parts.glob("part-*.parquet"))
    assert len(files) == len(partitions(list_inputs([SAMPLE])[0], SMALL)) > 2
    rows = [row for path in files for row in pyarrow.parquet.read_table(path).to_pylist()]
    stored = {row["id"]: row for row in tables(db_path)["claims"]}
    found = {claim["id"]: claim for row in rows for claim in row["claims"]}
    assert found.keys() == stored.keys()
    claim = next(iter(found.values()))
    assert {key: stored[claim["id"]][key] for key in claim} == claim
    documents = {row["id"] for row in tables(db_path)["documents"]}
    assert {row["id"] for row in rows if row["extracted"]} == documents

    corpus = tmp_path / SAMPLE.name  # the same texts in a file of its own, so that they are read
    shutil.copy(SAMPLE, corpus)
    again = build_on_cluster([corpus], db_path, cluster, parquet=parts, partition_bytes=SMALL)
    assert again.changed == 0
    rows = [row for path in parts.glob("part-*.parquet")
            for row in pyarrow.parquet.read_table(path).to_pylist()]  # fmt: skip
    stored = {(row["id"], row["published"]) for row in tables(db_path)["documents"]}
    extracted = [row for row in rows if row["extracted"]]
    # Only the republished texts (another date) of other partitions are extracted again.
    assert len(rows) == 40 and len(extracted) < 5
    assert not [row for row in extracted if (row["id"], row["published"]) in stored]


def test_partitions_cut_a_large_json_lines_file_after_whole_lines(tmp_path):
    lines = [json.dumps({"id": n, "text": f"{n} rounds were fired. " * (n % 7 + 1)})
             for n in range(500)]  # fmt: skip
    write_files(tmp_path, {"a.jsonl": "\n".join(lines), "b.txt": "Kyiv sent 5 tanks.\n"})
    files = list_inputs([tmp_path], tmp_path)[0]
    parts = partitions(files, partition_bytes=5_000)
    data = (tmp_path / "a.jsonl").read_bytes()
    pieces = [piece for part in parts for piece in part if piece.file.label == "a.jsonl"]
    assert len(pieces) == -(-len(data) // 5_000)
    assert b"".join(data[piece.start : piece.end] for piece in pieces) == data
    assert all(data[piece.end - 1 : piece.end] == b"\n" for piece in pieces[:-1])
    assert [piece.first_line for piece in pieces] == [data.count(b"\n", 0, p.start) for p in pieces]
    assert parts[-1][0].file.label == "b.txt" and parts[-1][0].end is None


def test_partitions_keep_whole_a_file_decoded_as_a_whole(tmp_path):
    # Windows-1252 and mojibake are found in the whole file (claims.decode): not cut.
    line = json.dumps({"text": "Le café coûte 5 € à Zürich."}, ensure_ascii=False) + "\n"
    mojibake = (line * 400).encode("utf-8").decode("cp1252")  # "cafÃ©", as UTF-8
    write_files(tmp_path, {"cp1252.jsonl": (line * 400).encode("cp1252"), "m.jsonl": mojibake})
    for part in partitions(list_inputs([tmp_path], tmp_path)[0], partition_bytes=5_000):
        assert [piece.end for piece in part] == [None]


def test_dask_local_from_the_command_line(tmp_path):
    parts, db_path = tmp_path / "parts", tmp_path / "claims.db"
    done = subprocess.run(
        [sys.executable, "-m", "claims", "build", str(SAMPLE), "--db", str(db_path),
         "--dask", "local", "--jobs", "2", "--parquet", str(parts), "--partition-bytes", "40000"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "36 documents" in done.stdout
    assert len(list(parts.glob("part-*.parquet"))) == 4
    assert Database(db_path)["claims"].count == tables(db_path)["runs"][0]["claims"] > 0


def test_an_unreachable_scheduler_is_named(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"  # closed once the block ends
    with pytest.raises(ClusterError) as raised:
        build_on_cluster([SAMPLE], tmp_path / "claims.db", address, connect_timeout=1)
    assert str(raised.value).startswith(f"{address}: cannot reach the Dask scheduler")
    assert "dask scheduler" in str(raised.value)
    assert (
        not list(tmp_path.glob(".claims-parquet-*"))
        and not Database(tmp_path / "claims.db").table_names()
    ), "nothing is written before the cluster answers"


def test_a_parquet_folder_that_cannot_be_written_is_named(tmp_path):
    (tmp_path / "parts").write_text("a file, not a folder")
    with pytest.raises(ClusterError, match="parts: cannot write the Parquet partitions here"):
        build_on_cluster([SAMPLE], tmp_path / "claims.db", "local", parquet=tmp_path / "parts")


def test_without_dask_the_message_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(ClusterError) as raised:
        build_on_cluster([SAMPLE], tmp_path / "claims.db", "local")
    assert str(raised.value) == (
        "local: Dask is not installed here (distributed is missing): pip install 'claims[dask]'"
    )


def test_a_worker_of_another_extractor_version_is_refused(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr("claims.EXTRACTOR_VERSION", "0.0.1-elsewhere")  # this machine's
    with pytest.raises(ClusterError, match="install the same version on every machine"):
        build_on_cluster([SAMPLE], tmp_path / "claims.db", cluster)
