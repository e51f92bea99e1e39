"""Counts the site reads precomputed: summary tables of the claims, and Datasette's inspect file.

On a million claims, a facet or a ``group by`` over the whole ``claims`` table takes
0.1-0.8 s, and past the time limits at ten million (issue #8). So each build ends by
computing them once (``summarize``), into tables the canned queries, the dashboard and the
facets of the unfiltered claims table read instead:

- ``claim_facets``: claims per value of each facet column (``FACET_COLUMNS``), nulls
  included, so that the counts of one facet add up to the whole table;
- ``unit_summaries``: per unit and dimension, claims, documents, smallest and largest figure;
- ``figure_repeats``: figures of one unit given by more than one document;
- ``repeat_chains``: figures repeated in other documents, with the first claim to give them
  (from ``claim_links``).

They are derived data, like the full-text index: ``summarize`` drops and fills them again
from the claims (``SUMMARIES`` holds their SQL), so a build that adds, replaces or removes
documents leaves them right.

``write_inspect`` writes what ``datasette inspect`` would (the file's hash and size, each
table's row count) to ``<database>.inspect.json``, with the file's modification time, so
that ``claims serve`` serves the database immutable with ``--inspect-file`` and Datasette
never counts a table per request; ``inspect_is_current`` tells whether the file still
describes the database.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlite_utils import Database

from claims.readonly import connect_read_only

#: Columns that Datasette facets on (metadata.yml); each leads an index, and each has its
#: counts in ``claim_facets``.
FACET_COLUMNS = (
    "unit",
    "dimension",
    "qualifier",
    "document_id",
    "speaker",
    "modality",
    "source",
    "published_month",
    "speaker_kind",
    "subject",
    "place",
)

#: The summary tables: name -> the select that fills it, over the whole claims table.
SUMMARIES = {
    "claim_facets": "\nunion all\n".join(
        f"select '{column}' as facet, {column} as value, count(*) as claims "
        f"from claims group by {column}"
        for column in FACET_COLUMNS
    ),
    # The canned query unit_summary (metadata.yml), precomputed.
    "unit_summaries": """
        select
          unit, dimension, count(*) as claims, count(distinct document_id) as documents,
          min(coalesce(value, low, high)) as smallest,
          max(coalesce(value, high, low)) as largest
        from claims
        group by unit, dimension
    """,
    # The canned query repeated_figures (metadata.yml), precomputed.
    "figure_repeats": """
        select
          unit, coalesce(value, low, high) as figure,
          count(distinct document_id) as documents,
          count(distinct source) as sources,
          group_concat(distinct concept) as concepts,
          min(published) as first_seen, max(published) as last_seen
        from claims
        where dimension not in ('number', 'time')
        group by unit, figure
        having documents > 1
    """,
    # The canned query repeats (metadata.yml), precomputed: it reads claim_links, so
    # `claims xref` fills the summaries again too.
    "repeat_chains": """
        select
          first.text as figure, first.published as first_published,
          first_doc.title as first_document, first.speaker as first_speaker,
          count(*) as repeats, group_concat(distinct later_doc.title) as repeated_in,
          max(later.published) as last_published, first.quantity_key
        from claim_links as links
        join claims as first on first.id = links.first_seen
        join documents as first_doc on first_doc.id = first.document_id
        join claims as later on later.id = links.claim_b
        join documents as later_doc on later_doc.id = later.document_id
        where links.relation = 'repeats'
        group by links.first_seen
    """,
}

#: Indexes of the summary tables, for the orders the site reads them in.
SUMMARY_INDEXES = {
    "claim_facets": ["facet, claims desc, value", "facet, value"],
    "unit_summaries": ["claims desc, unit"],
    "figure_repeats": ["documents desc, sources desc, figure desc"],
    "repeat_chains": ["repeats desc, first_published"],
}

#: The suffix of the inspect file: claims.db -> claims.db.inspect.json.
INSPECT_SUFFIX = ".inspect.json"


def summarize(db: Database) -> dict[str, int]:
    """Fill the summary tables again from the claims, in one transaction; return their
    row counts ("claim_facets" -> 52)."""
    counts = {}
    with db.atomic():
        for name, select in SUMMARIES.items():
            db.execute(f"drop table if exists [{name}]")
            db.execute(f"create table [{name}] as {select}")
            for number, columns in enumerate(SUMMARY_INDEXES[name]):
                db.execute(f"create index [idx_{name}_{number}] on [{name}] ({columns})")
            counts[name] = db[name].count
    return counts


def inspect_path(db_path: str | Path) -> Path:
    """The inspect file of a database: claims.db -> claims.db.inspect.json."""
    path = Path(db_path)
    return path.with_name(path.name + INSPECT_SUFFIX)


def inspect_data(db_path: str | Path) -> dict:
    """What ``datasette inspect`` says of ``db_path`` ({name: hash, size, file, tables with
    their counts}), and the file's ``mtime_ns`` to tell later whether it is still so."""
    path = Path(db_path)
    stat = path.stat()
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    conn = connect_read_only(path)  # on read-only media too
    try:
        names = [
            name
            for (name,) in conn.execute(
                "select name from sqlite_master where type = 'table' order by name"
            )
        ]
        tables = {
            name: {"count": conn.execute(f"select count(*) from [{name}]").fetchone()[0]}
            for name in names
        }
    finally:
        conn.close()
    entry = {
        "hash": digest,
        "size": stat.st_size,
        "file": path.name,
        "tables": tables,
        "mtime_ns": stat.st_mtime_ns,
    }
    return {path.stem: entry}


def write_inspect(db_path: str | Path, to: str | Path | None = None) -> Path:
    """Write the inspect data of ``db_path`` to ``to`` (default: its inspect file); return it."""
    target = Path(to) if to is not None else inspect_path(db_path)
    data = inspect_data(db_path)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    partial.replace(target)  # a reader never sees half a file
    return target


def inspect_is_current(db_path: str | Path, inspect_file: str | Path | None = None) -> bool:
    """Whether the inspect file describes ``db_path`` as it is now: same name, size and
    modification time. A missing or unreadable file is not current."""
    path = Path(db_path)
    target = Path(inspect_file) if inspect_file is not None else inspect_path(path)
    if not target.is_file():
        return False  # missing, or no regular file (a FIFO would block the read)
    try:
        entry = json.loads(target.read_text(encoding="utf-8"))[path.stem]
        stat = path.stat()
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (
        isinstance(entry, dict)
        and entry.get("size") == stat.st_size
        and entry.get("mtime_ns") == stat.st_mtime_ns
    )
