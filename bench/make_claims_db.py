"""Make a claims database of N claims for the site's benchmarks, from a real build of a corpus.

Builds the corpus (or its first ``--articles``) with ``claims.store.build``, as ``claims
build`` does, then copies its documents and claims, with their links and reference checks,
until the database holds ``--claims`` claims: each copy gets fresh ids, its dates moved by a
number of weeks (spread over four years, so that months facet as in a long-running site) and
its documents another source (one of ``--sources``). The copies go in by raw
``executemany`` in one transaction (WAL, synchronous off), with the indexes and full-text
triggers dropped and made again at the end; then the summary tables and the inspect file are
made as a build makes them (``claims.summary``).

    python bench/make_claims_db.py /tmp/claims-1m.db
    python bench/make_claims_db.py /tmp/claims-10m.db --claims 10000000
    python bench/make_claims_db.py small.db --claims 50000 --articles 20 --corpus news.jsonl

Progress and rows/s go to stderr. The database is made anew (an existing file is replaced).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import itertools
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlite_utils import Database  # noqa: E402

from claims.errors import ClaimsError  # noqa: E402
from claims.store import build, source_id  # noqa: E402
from claims.summary import inspect_path, summarize, write_inspect  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ukraine-news-dev.jsonl"
#: Copies are moved by a multiple of this many days, modulo four years.
SHIFT_DAYS = 7
SPAN_DAYS = 4 * 365
#: Rows per executemany call.
CHUNK = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Example: python bench/make_claims_db.py /tmp/claims-1m.db --claims 1000000",
    )
    parser.add_argument("db", type=Path, help="the database to make (replaced if it exists)")
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims to reach")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="articles to build from (default: ../shared/corpus/ukraine-news-dev.jsonl)",
    )
    parser.add_argument("--articles", type=int, help="build from the first N articles only")
    parser.add_argument("--sources", type=int, default=200, help="sources the copies spread over")
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"{args.corpus}: no such corpus file: name one with --corpus")
    if args.claims < 1 or args.sources < 1:
        sys.exit("--claims and --sources must be at least 1")
    try:
        make(args.db, args.claims, args.corpus, args.articles, args.sources)
    except (ClaimsError, sqlite3.Error, OSError) as error:
        sys.exit(f"{args.db}: {error}")


def make(db_path: Path, target: int, corpus: Path, articles: int | None, sources: int) -> None:
    """Build ``corpus`` into ``db_path``, then copy its claims up to ``target``."""
    for path in (db_path, inspect_path(db_path), *_sidecars(db_path)):
        path.unlink(missing_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        source = corpus
        if articles:
            source = Path(folder) / "articles.jsonl"
            with corpus.open(encoding="utf-8") as lines:
                source.write_text("".join(itertools.islice(lines, articles)))
        _say(f"building {source.name} ({articles or 'all'} articles) -> {db_path}")
        summary = build([source], db_path, base=ROOT)
    _say(
        f"built {summary.documents:,} documents, {summary.claims:,} claims "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if summary.claims == 0:
        sys.exit(f"{corpus}: no claims found, nothing to copy")
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MB
        _copy(conn, target, sources)
        _say("summary tables")
        summarize(Database(conn))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    step = time.perf_counter()
    write_inspect(db_path)
    _say(f"inspect file {inspect_path(db_path).name} in {time.perf_counter() - step:.1f} s")
    size = db_path.stat().st_size / 1e9
    _say(f"done: {db_path} ({size:.2f} GB) in {time.perf_counter() - started:.0f} s")


def _copy(conn: sqlite3.Connection, target: int, sources: int) -> None:
    """Copy the built documents and claims (with links and checks) until ``target`` claims."""
    columns = {t: _columns(conn, t) for t in ("documents", "claims", "claim_links")}
    docs = conn.execute(f"select {_names(columns['documents'])} from documents").fetchall()
    claims = conn.execute(
        f"select {_names(columns['claims'])} from claims order by document_id, start"
    ).fetchall()
    links = conn.execute(f"select {_names(columns['claim_links'][1:])} from claim_links").fetchall()
    checks = conn.execute("select claim_id, reference_id, ratio, verdict from reference_checks")
    checks = checks.fetchall()
    have = len(claims)
    if have >= target:
        _say(f"the build holds {have:,} claims already: nothing to copy")
        return
    saved = _drop_indexes_and_triggers(conn)
    names = [f"outlet {number:03d}" for number in range(sources)]
    conn.execute("begin")
    conn.executemany(
        "insert or ignore into sources (id, name) values (?, ?)",
        [(source_id(name), name) for name in names],
    )
    col = {t: {name: i for i, name in enumerate(c)} for t, c in columns.items()}
    started = time.perf_counter()
    copy, written = 0, 0
    while have < target:
        copy += 1
        outlet = names[copy % sources]
        shift = datetime.timedelta(days=(copy * SHIFT_DAYS) % SPAN_DAYS)
        doc_rows, claim_rows = _copies(copy, docs, claims, col, outlet, shift, target - have)
        kept = {row[col["claims"]["id"]] for row in claim_rows}
        _insert(conn, "documents", columns["documents"], doc_rows)
        _insert(conn, "claims", columns["claims"], claim_rows)
        at = col["claim_links"]
        fresh_columns = [at[name] - 1 for name in ("claim_a", "claim_b", "first_seen")]
        link_rows = [
            tuple(_fresh(copy, v) if i in fresh_columns else v for i, v in enumerate(link))
            for link in links
            if _fresh(copy, link[at["claim_a"] - 1]) in kept
            and _fresh(copy, link[at["claim_b"] - 1]) in kept
        ]
        _insert(conn, "claim_links", columns["claim_links"][1:], link_rows)
        check_rows = [
            (_fresh(copy, claim), ref, ratio, verdict)
            for claim, ref, ratio, verdict in checks
            if _fresh(copy, claim) in kept
        ]
        _insert(conn, "reference_checks", ["claim_id", "reference_id", "ratio", "verdict"],
                check_rows)  # fmt: skip
        have += len(claim_rows)
        written += len(claim_rows)
        if copy % 20 == 0 or have >= target:
            rate = written / (time.perf_counter() - started)
            _say(f"  {have:,} / {target:,} claims ({rate:,.0f} rows/s)")
    conn.execute("commit")
    _say(f"copied {written:,} claims in {copy:,} copies; indexes and full-text search again")
    _restore(conn, saved)


def _copies(copy, docs, claims, col, outlet, shift, room):
    """The rows of one copy: documents and claims with fresh ids, moved dates, one source."""
    moved: dict[str | None, str | None] = {}

    def move(date: str | None) -> str | None:
        if date not in moved:
            moved[date] = _shift(date, shift)
        return moved[date]

    d, c = col["documents"], col["claims"]
    doc_rows = []
    for row in docs:
        row = list(row)
        row[d["id"]] = _fresh(copy, row[d["id"]])
        row[d["source_id"]] = source_id(outlet)
        row[d["published"]] = move(row[d["published"]])
        if row[d["path"]]:
            row[d["path"]] = f"{row[d['path']]}~{copy}"
        doc_rows.append(row)
    claim_rows = []
    for row in claims[:room]:
        row = list(row)
        row[c["id"]] = _fresh(copy, row[c["id"]])
        row[c["document_id"]] = _fresh(copy, row[c["document_id"]])
        row[c["source"]] = outlet
        for name in ("published", "period_start", "period_end"):
            row[c[name]] = move(row[c[name]])
        published = row[c["published"]]
        row[c["published_month"]] = published[:7] if published else None
        claim_rows.append(row)
    if room < len(claims):  # the last copy: only the documents of the claims it holds
        held = {row[c["document_id"]] for row in claim_rows}
        doc_rows = [row for row in doc_rows if row[d["id"]] in held]
    return doc_rows, claim_rows


def _shift(date: str | None, by: datetime.timedelta) -> str | None:
    """A YYYY-MM-DD date (or a longer ISO date) moved ``by``; other text unchanged."""
    if not date:
        return date
    try:
        day = datetime.date.fromisoformat(date[:10])
    except ValueError:
        return date
    return (day + by).isoformat() + date[10:]


def _fresh(copy: int, old: str | None) -> str | None:
    """The id of ``old`` in copy ``copy``: 16 hex digits, as the store's ids."""
    if old is None:
        return None
    return hashlib.sha256(f"{copy}:{old}".encode()).hexdigest()[:16]


def _drop_indexes_and_triggers(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """Drop the indexes and triggers of the tables copied into (a bulk load is several times
    faster without them); return the SQL that makes them again."""
    rows = conn.execute(
        "select type, name, sql from sqlite_master where type in ('index', 'trigger') "
        "and tbl_name in ('documents', 'claims', 'claim_links', 'reference_checks') "
        "and sql is not null"
    ).fetchall()
    for kind, name, _ in rows:
        conn.execute(f"drop {kind} [{name}]")
    return rows


def _restore(conn: sqlite3.Connection, saved: list[tuple[str, str, str]]) -> None:
    """Make the indexes and triggers again, and rebuild the full-text indexes."""
    for kind, name, sql in saved:
        step = time.perf_counter()
        conn.execute(sql)
        if kind == "index":
            _say(f"  index {name} ({time.perf_counter() - step:.1f} s)")
    for table in ("claims_fts", "documents_fts"):
        step = time.perf_counter()
        conn.execute(f"insert into {table}({table}) values ('rebuild')")
        _say(f"  {table} rebuilt ({time.perf_counter() - step:.1f} s)")


def _insert(conn: sqlite3.Connection, table: str, columns: list[str], rows: list) -> None:
    sql = f"insert into [{table}] ({_names(columns)}) values ({', '.join('?' * len(columns))})"
    for start in range(0, len(rows), CHUNK):
        conn.executemany(sql, rows[start : start + CHUNK])


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"pragma table_info([{table}])")]


def _names(columns: list[str]) -> str:
    return ", ".join(f"[{name}]" for name in columns)


def _sidecars(db_path: Path) -> list[Path]:
    return [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm")]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
