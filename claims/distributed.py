"""Run a build's extraction on a Dask cluster; one writer here stores what it finds.

The writer lists the inputs and cuts them into partitions of about ``PARTITION_BYTES`` of
text (a second of extraction): small files together, a large JSON Lines file in ranges of
whole lines. Each partition is a task: a worker reads its files, extracts their claims and
writes one Parquet file (``part-00000.parquet``) of document rows, claim rows and refusals.
The writer loads the partitions in input order through ``claims.store.build``, whose rules
(documents moved or replaced, ``ingest_errors``, ``runs``, cross-referencing) are the same as
for a build in one process: the database holds the same rows.

The workers read the inputs and write the Parquet files by their paths, so on several
machines both must lie on a filesystem they all share. Dask and pyarrow are the optional
extra ``dask`` (``pip install 'claims[dask]'``), imported only when a build uses a cluster.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import pickle
import re
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import claims
from claims.budget import time_budget
from claims.defaults import PARTITION_BYTES, SECONDS_PER_MB
from claims.errors import ClaimsError, ClusterError
from claims.extract import DocumentClaims, extract_document
from claims.formats import MAX_BYTES, read_file, read_text
from claims.model import Claim, Document, Refusal
from claims.sources import STDIN, DocumentFile, source_label
from claims.store import (
    BuildSummary,
    Item,
    Place,
    claim_row,
    document_row,
)
from claims.store import build as store_build

#: The scheduler address that starts a cluster on this machine instead.
LOCAL = "local"

#: Seconds to wait for a scheduler to answer, and for a worker to join it.
CONNECT_TIMEOUT = 10.0
WORKER_TIMEOUT = 60.0

#: How to install what a cluster build needs, for the message when it is missing.
INSTALL = "pip install 'claims[dask]'"

_PARTS = "part-*.parquet"
_PART = "part-{:05d}.parquet"

#: Bytes that no text holds (controls but tab, line feed, form feed, return): a file with
#: any is read whole, as ``claims.decode`` would refuse or repair it as a whole.
_controls = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]").search


class Piece(NamedTuple):
    """A file to read in a task, whole (``end`` None) or the lines in bytes ``start:end``,
    the first of which is line ``first_line + 1`` of the file."""

    file: DocumentFile
    start: int = 0
    end: int | None = None
    first_line: int = 0


@dataclasses.dataclass(frozen=True)
class _Task:
    """What every task needs: how to read, and which texts are stored already."""

    folder: str
    max_bytes: int
    fields: dict[str, str] | None
    version: str
    #: (document id, published) of the documents stored by this extractor version: their
    #: claims are not extracted again (the writer extracts any it still needs)
    stored: frozenset[tuple[str, str | None]]
    #: the time budget of a document's extraction, alone (``claims.budget.time_budget``)
    seconds_per_mb: float | None = SECONDS_PER_MB


def build_on_cluster(
    paths,
    db_path,
    scheduler: str = LOCAL,
    *,
    parquet: str | Path | None = None,
    workers: int | None = None,
    partition_bytes: int = PARTITION_BYTES,
    connect_timeout: float = CONNECT_TIMEOUT,
    **options,
) -> BuildSummary:
    """Build ``db_path`` from ``paths`` as ``claims.store.build`` does, extracting on a Dask
    cluster: the same rows as a build in one process.

    :param scheduler: the scheduler's address (``tcp://HOST:8786``), or ``local`` for a
      cluster of ``workers`` processes on this machine
    :param parquet: the folder to write the partitions to, and keep them in (its
      ``part-*.parquet`` files are replaced); default: a temporary folder next to the
      database, removed once they are loaded
    :param workers: processes of a local cluster (default: one per CPU)
    :param partition_bytes: text per task, about
    :param connect_timeout: seconds to wait for the scheduler
    :param options: the keyword arguments of ``claims.store.build`` (not ``jobs``)
    :raises ClusterError: Dask is not installed, the scheduler cannot be reached, the
      Parquet folder cannot be written, a task failed
    :raises StoreError: as ``claims.store.build``
    """
    paths = [str(path) for path in paths]
    if STDIN in paths:
        raise ClusterError(STDIN, "the standard input cannot be read on a cluster: name files")
    _check_installed(scheduler)
    folder, keep = _parquet_folder(parquet, Path(db_path))
    try:
        with _client(scheduler, workers, connect_timeout) as client:
            extraction = _Extraction(
                client,
                folder,
                partition_bytes,
                options.get("max_bytes", MAX_BYTES),
                options.get("fields"),
                options.get("reextract", False),
                options.get("seconds_per_mb", SECONDS_PER_MB),
            )
            return store_build(paths, db_path, extraction=extraction, **options)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def partitions(
    files: list[DocumentFile], partition_bytes: int = PARTITION_BYTES, max_bytes: int = MAX_BYTES
) -> list[list[Piece]]:
    """Return the pieces each task reads, in input order: files together up to about
    ``partition_bytes``, and a JSON Lines file larger than that in ranges of whole lines
    (when it is plain UTF-8 text, which reads the same in parts as whole)."""
    parts: list[list[Piece]] = []
    current: list[Piece] = []
    size = 0
    for file in files:
        length = _size(file)
        chunks = _line_ranges(file, length, partition_bytes, max_bytes)
        if chunks is None:
            if current and size + length > partition_bytes:
                parts.append(current)
                current, size = [], 0
            current.append(Piece(file))
            size += length
            continue
        if current:
            parts.append(current)
            current, size = [], 0
        parts += [[chunk] for chunk in chunks]
    if current:
        parts.append(current)
    return parts


def _line_ranges(
    file: DocumentFile, length: int, partition_bytes: int, max_bytes: int
) -> list[Piece] | None:
    """The pieces of a large JSON Lines file, about equal and cut after a line's end; None
    to read it whole (small, too large to read, or not plain UTF-8)."""
    if not file.label.lower().endswith((".jsonl", ".ndjson")):
        return None
    if length <= partition_bytes or length > max_bytes:
        return None
    try:
        data = file.path.read_bytes()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    import ftfy.badness

    # ASCII (as JSON writers escape the rest) has no mojibake: ftfy skips it, and so do we.
    if _controls(data) or not text.isascii() and ftfy.badness.is_bad(text):
        return None  # claims.decode reads it whole: repaired or refused
    count = -(-len(data) // partition_bytes)
    pieces, start, lines = [], 0, 0
    for number in range(1, count + 1):
        cut = data.find(b"\n", len(data) * number // count - 1)
        end = len(data) if cut < 0 or number == count else cut + 1
        if end > start:
            pieces.append(Piece(file, start, end, lines))
            lines += data.count(b"\n", start, end)
            start = end
    return pieces


def _size(file: DocumentFile) -> int:
    try:
        return file.path.stat().st_size
    except OSError:
        return 0


def _check_installed(scheduler: str) -> None:
    try:
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as error:
        raise ClusterError(
            scheduler, f"Dask is not installed here ({error.name} is missing): {INSTALL}"
        ) from None


def _parquet_folder(parquet: str | Path | None, db_path: Path) -> tuple[Path, bool]:
    """The folder of the partitions, checked writable, and whether to keep it."""
    if parquet is None:
        where = db_path.absolute().parent
        try:
            return Path(tempfile.mkdtemp(prefix=".claims-parquet-", dir=where)), False
        except OSError as error:
            raise ClusterError(
                where,
                f"cannot write the Parquet partitions here ({_reason(error)}): "
                "name a folder with --parquet",
            ) from None
    folder = Path(parquet)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(_PARTS):
            old.unlink()
        probe = folder / ".claims-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise ClusterError(
            folder,
            f"cannot write the Parquet partitions here ({_reason(error)}): "
            "name a folder you can write",
        ) from None
    return folder.absolute(), True


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


@contextlib.contextmanager
def _client(scheduler: str, workers: int | None, timeout: float):
    """A Dask client of the scheduler at ``scheduler``, or of a cluster started here."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler == LOCAL:
        # Forked workers start with the extractor this process has loaded (0.2 s for two,
        # against 3 s to spawn them and load it in each), as the pool of claims.store does.
        claims.extract("Up to 6,000 rounds daily.")
        method = "fork" if sys.platform == "linux" else "spawn"
        with dask.config.set({"distributed.worker.multiprocessing-method": method}):
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: 8787 may be taken
                silence_logs=logging.ERROR,
            )
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(
            scheduler,
            f"cannot reach the Dask scheduler ({error}): start one with `dask scheduler` "
            "and give its address, tcp://HOST:8786",
        ) from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except TimeoutError:
            raise ClusterError(
                scheduler,
                f"no worker joined the scheduler in {WORKER_TIMEOUT:g} s: "
                f"start some with `dask worker {scheduler}`",
            ) from None
        yield client
    finally:
        client.close()


class _Extraction:
    """The items of a build, read and extracted on the cluster (``claims.store.Extraction``)."""

    def __init__(
        self, client, folder: Path, partition_bytes, max_bytes, fields, reextract, seconds_per_mb
    ):
        self.client, self.folder = client, folder
        self.partition_bytes, self.max_bytes = partition_bytes, max_bytes
        self.fields, self.reextract = fields, reextract
        self.seconds_per_mb = seconds_per_mb

    @contextlib.contextmanager
    def __call__(self, files: list[DocumentFile], db) -> Iterator[Iterator[Item]]:
        version = claims.EXTRACTOR_VERSION
        stored: frozenset = frozenset()
        if not self.reextract:
            rows = db.execute(
                "select id, published from documents where extractor_version = ?", [version]
            )
            stored = frozenset((id_, published) for id_, published in rows.fetchall())
        task = _Task(
            str(self.folder), self.max_bytes, self.fields, version, stored, self.seconds_per_mb
        )
        # Absolute paths: a worker elsewhere does not start in this process's folder.
        files = [file._replace(path=file.path.absolute()) for file in files]
        parts = partitions(files, self.partition_bytes, self.max_bytes)
        if stored:  # sent to every worker once, not with every task
            [shared] = self.client.scatter([task], broadcast=True, hash=False)
        else:  # small: with every task, so that no worker waits for another to have it
            shared = task
        futures = [
            self.client.submit(_extract_partition, number, pieces, shared, pure=False,
                               priority=-number)
            for number, pieces in enumerate(parts)
        ]  # fmt: skip
        try:
            yield self._items(files, parts, futures)
        finally:
            self.client.cancel(futures)

    def _items(self, files, parts, futures) -> Iterator[Item]:
        """The items of the partitions as they come, in input order, with their places."""
        numbers = {file.label: number for number, file in enumerate(files, start=1)}
        ends = {piece.file.label: piece for pieces in parts for piece in pieces}
        read_before = 0
        keys: set[str] = set()
        found_any = False
        for part, (pieces, future) in enumerate(zip(parts, futures, strict=True)):
            rows: list[list[dict]] = [[] for _ in pieces]
            for row in _load(future, self.folder / _PART.format(part)):
                rows[row["piece"]].append(row)
            for piece, piece_rows in zip(pieces, rows, strict=True):
                file, number = piece.file, numbers[piece.file.label]
                size = _size(file)
                for row in piece_rows:
                    item = _item(row)
                    if piece.end is not None and isinstance(item, Document):
                        item = _relabel(item, keys)  # as one reader of the whole file would
                    found_any = True
                    if piece.end is None:
                        done = read_before + int(size * row["done"])
                    else:
                        done = read_before + piece.end
                    yield item, Place(number - 1, done, file.label), _claims_of(row)
                if ends[file.label] is not piece:
                    continue
                if piece.end is not None and not found_any:
                    refusal = Refusal(file.label, None, "no records in this file")
                    yield refusal, Place(number - 1, read_before, file.label), None
                read_before += size
                keys, found_any = set(), False
                yield None, Place(number, read_before, file.label), None


def _load(future, part: Path) -> list[dict]:
    """The rows of the Parquet file ``part``, once its task has written it."""
    import pyarrow.parquet

    try:
        path = future.result()
    except ClaimsError:
        raise
    except OSError as error:
        where = getattr(error, "filename", None) or part
        raise ClusterError(where, f"a worker could not write this partition: {error}") from None
    except Exception as error:  # a worker died (KilledWorker) or a fault of ours
        reason = f"the task that writes it failed: {type(error).__name__}: {error}"
        raise ClusterError(part, reason) from None
    try:
        return pyarrow.parquet.read_table(path).to_pylist()
    except OSError as error:
        raise ClusterError(
            path,
            f"cannot read this partition ({error}): the workers and this machine must "
            "share the --parquet folder",
        ) from None


def _relabel(doc: Document, keys: set[str]) -> Document:
    """``doc`` labelled by its key among all the records of its file, not only those of its
    piece (``claims.formats._Records``): a second record of an id gets ``@number``."""
    label = doc.path.rpartition("#")[0]
    given, number = doc.meta["key"], doc.meta["number"]
    key = given if given not in keys else f"{given}@{number}"
    keys.add(key)
    return dataclasses.replace(doc, path=f"{label}#{key}")


def _item(row: dict) -> Document | Refusal:
    """The document or refusal a Parquet row holds."""
    if row["kind"] == "refusal":
        return Refusal(row["path"], row["record"], row["reason"])
    meta = {"key": row["record_key"], "number": row["record_number"]}
    return Document(
        row["text"], row["title"], row["published"], row["url"], row["path"], row["source"], meta
    )


_CLAIM_FIELDS = [field.name for field in dataclasses.fields(Claim)]


def _claims_of(row: dict):
    """A function that gives the claims a worker found for a row's document (or raises
    what it raised), or None when it did not extract them."""
    if row["kind"] != "document" or not row["extracted"]:
        return None
    if row["error"] is not None:
        error = pickle.loads(row["error"])

        def failed():
            raise error

        return failed
    found = [
        Claim(**{name: claim[name] for name in _CLAIM_FIELDS} | {"quoted": bool(claim["quoted"])})
        for claim in row["claims"]
    ]
    document = DocumentClaims(found, row["cut_sentences"] or 0)
    return lambda: document


def _extract_partition(number: int, pieces: list[Piece], task: _Task) -> str:
    """Read ``pieces``, extract the claims of the documents not stored yet, and write them
    to the partition's Parquet file; return its path. Runs on a worker."""
    import pyarrow
    import pyarrow.parquet

    if claims.EXTRACTOR_VERSION != task.version:  # its claims would be stored as the writer's
        raise ClusterError(
            f"worker {socket.gethostname()}",
            f"runs claims {claims.EXTRACTOR_VERSION}, the build {task.version}: "
            "install the same version on every machine",
        )
    rows, seen = [], set()
    for index, piece in enumerate(pieces):
        for item in _read_piece(piece, task):
            rows.append({"piece": index, **_row(item, task, seen)})
    path = Path(task.folder) / _PART.format(number)
    table = pyarrow.Table.from_pylist(rows, schema=_schema())
    pyarrow.parquet.write_table(table, path)
    return str(path)


def _read_piece(piece: Piece, task: _Task) -> Iterator[Document | Refusal]:
    """The documents and refusals of a piece, as ``claims.store`` reads a whole file."""
    file = piece.file
    try:
        if piece.end is None:
            yield from read_file(file, task.max_bytes, task.fields)
            return
        with open(file.path, "rb") as held:
            held.seek(piece.start)
            data = held.read(piece.end - piece.start)
        text = data.decode("utf-8-sig" if piece.start == 0 else "utf-8")
        if text.strip():
            # Blank lines before it, so that its records have their numbers in the file.
            lines = "\n" * piece.first_line + text
            yield from read_text(lines, file.label, "jsonl", source_label(file.label), task.fields)
    except OSError as error:
        yield Refusal(file.label, None, _reason(error))
    except Exception as error:  # a fault of ours on this file: say so and go on
        yield Refusal(file.label, None, f"failed: {type(error).__name__}: {error}")


def _row(item: Document | Refusal, task: _Task, seen: set[str]) -> dict:
    """The Parquet row of a document (with its claims) or a refusal. A document is not
    extracted when it is stored as it is, or its text came earlier in the partition (the
    first reading stands, see ``claims.store._Ingest``)."""
    if isinstance(item, Refusal):
        return {"kind": "refusal", **item._asdict(), "done": 1.0, "extracted": False}
    row = document_row(item, task.version)
    meta = item.meta
    row |= {
        "kind": "document",
        "source": item.source,
        "done": meta.get("done", 1.0),
        "record_key": meta.get("key"),
        "record_number": meta.get("number"),
        "extracted": False,
        "claims": [],
        "cut_sentences": 0,
    }
    if (row["id"], item.published) in task.stored or row["id"] in seen:
        return row
    seen.add(row["id"])
    row["extracted"] = True
    try:
        budget = time_budget(item.text, task.seconds_per_mb)
        found = extract_document(item.text, item.published, seconds=budget)
    except Exception as error:  # the writer refuses the document, as in one process
        try:
            row["error"] = pickle.dumps(error)
        except Exception:  # an error that cannot travel: its name and message can
            row["error"] = pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))
        return row
    row["claims"] = [claim_row(claim, row["id"], task.version) for claim in found.claims]
    row["cut_sentences"] = found.cut_sentences
    return row


def _schema():
    """The columns of a partition: a row per document or refusal, in reading order, with
    the document's ``documents`` row and its ``claims`` rows (``claims.store``)."""
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.int64()}
    claim = pa.struct(
        [("id", pa.string()), ("document_id", pa.string())]
        + [(f.name, types[str(f.type).split(" ")[0]]) for f in dataclasses.fields(Claim)]
        + [("extractor_version", pa.string())]
    )
    return pa.schema(
        [
            ("piece", pa.int32()),
            ("kind", pa.string()),
            ("path", pa.string()),
            ("record", pa.string()),
            ("reason", pa.string()),
            ("id", pa.string()),
            ("source_id", pa.string()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("title", pa.string()),
            ("published", pa.string()),
            ("length", pa.int64()),
            ("text", pa.string()),
            ("extractor_version", pa.string()),
            ("done", pa.float64()),
            ("record_key", pa.string()),
            ("record_number", pa.int64()),
            ("extracted", pa.bool_()),
            ("error", pa.binary()),
            ("claims", pa.list_(claim)),
            ("cut_sentences", pa.int64()),
        ]
    )
