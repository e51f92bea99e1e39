"""The ``claims`` command: build the database, look at claims, serve them with Datasette.

The commands only parse options, call the library and print: data to stdout, progress and
errors to stderr. A user error (a ``ClaimsError``, a bad option value) becomes a one-line
``Error:`` and exit status 1; exit status 2 is left to click for unknown options and missing
arguments.
"""

from __future__ import annotations

import copy
import datetime
import errno
import functools
import getpass
import hashlib
import json
import os
import socket
import sys
import tempfile
from pathlib import Path

import click
import yaml

import claims
from claims.defaults import BATCH_SIZE, MIN_SECONDS, PARTITION_BYTES, SECONDS_PER_MB, TOLERANCE
from claims.errors import ClaimsError
from claims.formats import FIELDS, MAX_BYTES, read_documents
from claims.progress import BuildDisplay
from claims.sources import parse_document

# The database's modules (sqlite-utils; Dask for a cluster) are imported
# in the commands that use them, so that `claims extract` and --help start fast.

DEFAULT_INPUT = "seeds"
DEFAULT_DB = "claims.db"
DEFAULT_METADATA = "metadata.yml"

#: Datasette settings of the site, which Datasette 0.65 reads only from the command line
#: (or a settings.json): no facet suggestions, which count every column of a table on each
#: page (1.7 s a page on a million claims), and a facet given up past 200 ms, so that a
#: page waits for it no longer (issue #8).
SETTINGS = {"suggest_facets": "off", "facet_time_limit_ms": "200"}


def _user_errors(command):
    """Turn the library's errors into ``click.ClickException`` (one line, exit status 1)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ClaimsError as error:
            raise click.ClickException(str(error)) from error

    return wrapper


def _iso_date(ctx, param, value):
    """Return ``value`` as a YYYY-MM-DD date (None stays None); refuse what is not a date.

    A bad date is a user error, not a usage error: one line, exit status 1.
    """
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.ClickException(
            f"{param.opts[0]} {value!r} is not a date: use YYYY-MM-DD"
        ) from None


db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    # No click.Path checks: they exit 2 with a usage text; the store says what is wrong.
    type=click.Path(),
    help="SQLite database file",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(claims.__version__, "--version", prog_name="claims")
def cli():
    """Find the quantitative claims in news articles, store them in SQLite, serve them.

    \b
    Example:
        claims build seeds/ --db claims.db
        claims serve
    """


def _field_mapping(ctx, param, values):
    """Return ``--field name=column`` options as {name: column}; refuse unknown names."""
    return _mapping(values, FIELDS)


def _reference_fields(ctx, param, values):
    from claims.references import COLUMNS

    return _mapping(values, COLUMNS)


def _mapping(values, names) -> dict[str, str]:
    mapping = {}
    for value in values:
        name, sep, column = value.partition("=")
        if not sep or name not in names or not column:
            known = ", ".join(names)
            raise click.ClickException(f"--field {value!r}: give NAME=COLUMN, NAME one of {known}")
        mapping[name] = column
    return mapping


wait_option = click.option(
    "--wait",
    default=0.0,
    type=click.FloatRange(min=0),
    help="Seconds to wait for a build or another command writing the database to end.",
)


seconds_per_mb_option = click.option(
    "--seconds-per-mb",
    default=SECONDS_PER_MB,
    show_default=True,
    type=click.FloatRange(min=0),
    help=f"Time budget of extraction: the documents of a file may take {MIN_SECONDS:g} s and "
    "this per MB of their text, together; a document past it is refused (0: no limit).",
)


@cli.command(short_help="Build the database from documents (default: seeds/).")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@db_option
@click.option("--glob", help="In folders, read only the files whose path matches this.")
@click.option(
    "--follow-links",
    is_flag=True,
    help="Follow symbolic links in folders wherever they lead (by default, only those "
    "whose target lies inside the PATHS given).",
)
@click.option(
    "--field",
    "fields",
    multiple=True,
    callback=_field_mapping,
    metavar="NAME=COLUMN",
    help="Read a record's NAME (text, title, url, published, source, id) from COLUMN.",
)
@click.option(
    "--max-bytes",
    default=MAX_BYTES,
    show_default=True,
    type=click.IntRange(min=1),
    help="Refuse files larger than this.",
)
@seconds_per_mb_option
@click.option("--reextract", is_flag=True, help="Extract every document again.")
@wait_option
@click.option(
    "--batch-size",
    default=BATCH_SIZE,
    show_default=True,
    type=click.IntRange(min=1),
    help="Documents written per transaction.",
)
@click.option(
    "-j",
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Processes that extract claims (one writer stores them).",
)
@click.option(
    "--scheduler",
    "--dask",
    "scheduler",
    metavar="ADDRESS|local",
    help="Extract on a Dask cluster: its scheduler's address (tcp://HOST:8786), or local "
    "for one of --jobs workers here (default: one per CPU). Needs claims[dask].",
)
@click.option(
    "--parquet",
    type=click.Path(file_okay=False),
    help="With --scheduler: write the claims to this folder as Parquet partitions and keep "
    "them (default: a temporary folder next to the database).",
)
@click.option(
    "--partition-bytes",
    default=PARTITION_BYTES,
    show_default=True,
    type=click.IntRange(min=1),
    help="With --scheduler: text per task.",
)
@click.option("-q", "--quiet", is_flag=True, help="Show no progress, only refusals and errors.")
@click.pass_context
@_user_errors
def build(
    ctx,
    paths,
    db_path,
    glob,
    follow_links,
    fields,
    max_bytes,
    seconds_per_mb,
    reextract,
    wait,
    batch_size,
    jobs,
    scheduler,
    parquet,
    partition_bytes,
    quiet,
):
    """Read documents, extract their claims and write them to the database.

    PATHS are files, folders (read recursively) and - for the standard input; the
    default is seeds/. Formats, by suffix: .txt (plain, or the seed format), .md,
    .html, .json, .jsonl, .csv, .tsv, and .rss/.atom/.xml feeds. Records' fields are
    found by their usual names (text/body/content, title, url, published/date,
    source/outlet); --field maps others.

    Documents already stored are left as they are, so running it twice changes
    nothing; a changed document replaces its claims. Then claims are cross-referenced
    (see `claims xref`). A file or record that cannot be
    read is named on stderr, recorded in the ingest_errors table, and the build goes
    on. The exit status is 1 when nothing could be built. Paths are stored relative to
    the database's folder, or to the input folder, never absolute. A symbolic link in
    a folder is followed when it leads inside the PATHS (--follow-links: anywhere).

    --jobs N extracts in N processes; --scheduler extracts on a Dask cluster, whose
    workers read the PATHS and write --parquet partitions by their paths (so they must
    share them with this machine); this process stores the claims, the same rows either way.

    \b
    Example:
        claims build
        claims build news/ --glob '*.html' --db claims.db
        claims build export.csv --field text=article_body --field published=pub_date
        curl -s https://example.org/feed.rss | claims build -
        claims build corpus/ --jobs 4
        claims build corpus/ --dask local --jobs 4
        claims build /mnt/news/corpus/ --scheduler tcp://node1:8786 --parquet /mnt/news/parts/
    """
    if not paths:
        if not Path(DEFAULT_INPUT).is_dir():
            raise click.ClickException(
                f"no PATH given and no {DEFAULT_INPUT}/ folder here: "
                "run it from the project root or name the documents to read"
            )
        paths = (DEFAULT_INPUT,)

    display = None if quiet else BuildDisplay(sys.stderr)

    def refused(refusal):
        where = f"{refusal.path} ({refusal.record})" if refusal.record else refusal.path
        line = f"refused: {where}: {refusal.reason}"
        if display:
            display.echo(line)  # above the progress bar, not glued to it
        else:
            click.echo(line, err=True)

    options = dict(
        progress=display,
        batch_size=batch_size,
        glob=glob,
        follow_links=follow_links,
        max_bytes=max_bytes,
        fields=fields,
        reextract=reextract,
        refused=refused,
        wait=wait,
        seconds_per_mb=seconds_per_mb or None,
    )
    if parquet and not scheduler:
        raise click.ClickException("--parquet: give --scheduler ADDRESS or --dask local too")
    from claims.distributed import build_on_cluster
    from claims.store import build as build_db

    try:
        if scheduler:
            given = ctx.get_parameter_source("jobs") is not click.core.ParameterSource.DEFAULT
            summary = build_on_cluster(
                paths,
                db_path,
                scheduler,
                parquet=parquet,
                workers=jobs if given else None,
                partition_bytes=partition_bytes,
                **options,
            )
        else:
            summary = build_db(paths, db_path, jobs=jobs, **options)
    finally:
        if display:
            display.close()
    # A text read from two files is one document: say so when the counts differ.
    files = f" from {summary.files} files" if summary.files != summary.documents else ""
    refusals = f", {summary.refused} refused (see ingest_errors)" if summary.refused else ""
    changed = (
        f"inputs unchanged since build {summary.same_as}: nothing read"
        if summary.same_as
        else f"{summary.changed} new or changed"
    )
    click.echo(
        f"{summary.documents} documents{files} ({changed}), "
        f"{summary.claims} claims{refusals} -> {summary.db_path}"
    )
    if not summary.documents:
        raise click.ClickException("nothing was built: no document could be read")
    if not quiet and summary.xref:
        click.echo(f"xref: {_xref_line(summary.xref)}", err=True)


@cli.command(short_help="Print the claims of a text or files as JSON Lines.")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--published",
    callback=_iso_date,
    metavar="YYYY-MM-DD",
    help="Publication date of the text (default: the file's own date, if any)",
)
@seconds_per_mb_option
@click.option(
    "--explain",
    is_flag=True,
    help="Print each figure with the rule that read it or the veto that dropped it",
)
@_user_errors
def extract(inputs, published, seconds_per_mb, explain):
    """Print the claims in a text, in standard input (-) or in files, as JSON Lines.

    Each INPUT is a .txt file or a folder of them when one exists by that name, - for
    standard input (both read as `claims build` reads files), or else the text itself:
    quote it.
    One JSON object per claim, in text order; no database. A text that takes longer
    than its time budget (--seconds-per-mb) stops the command with a message.

    With --explain, one line per figure instead: "claim" and the rule that read it
    (number:unit kind:rule), or "dropped" and the veto that dropped it (a year, a date,
    a code or name, an age ...).

    \b
    Example:
        claims extract "Ukraine was firing up to 6,000 rounds daily."
        claims extract seeds/004_8afe4d7eba3edcde.txt
        cat article.txt | claims extract - --published 2023-09-28
        claims extract --explain "In 2022, Senard, 65, said 6,000 F-16 jets flew."
    """
    for given in inputs:
        where = given  # what a message names
        if given == "-":
            raw = sys.stdin.read()
            doc = parse_document(raw, where="<stdin>") if raw.strip() else None
            texts = [(doc.text, doc.published, None)] if doc else []
        elif _names_a_file(given):
            texts = ((doc.text, doc.published, doc.path) for doc in read_documents([given]))
        elif given.lower().endswith(".txt"):
            raise click.ClickException(f"{given}: no such file")
        else:
            texts, where = [(given, None, None)], "the text"
        for text, date, path in texts:
            if explain:
                if path:
                    click.echo(f"# {path}")
                _print_steps(text, published or date)
                continue
            for claim in _extract_within_budget(where, text, published or date, seconds_per_mb):
                click.echo(json.dumps(claim.to_dict(), ensure_ascii=False))


def _print_steps(text: str, published) -> None:
    """One line per figure of ``text``: claim or dropped, the rule or veto, the words."""
    from claims.extract import explain

    for step in explain(text, published):
        click.echo(f"{step.outcome:<8} {step.rule:<32} {step.text}")


def _extract_within_budget(where: str, text: str, published, seconds_per_mb: float):
    """The claims of ``text``, or a one-line error naming ``where`` it was read past its
    time budget."""
    from claims.budget import time_budget
    from claims.errors import ExtractionTimeout
    from claims.extract import extract_document

    budget = time_budget(text, seconds_per_mb or None)
    try:
        return extract_document(text, published, budget).claims
    except ExtractionTimeout as error:
        raise click.ClickException(
            f"{where}: {error} ({MIN_SECONDS:g} s and {seconds_per_mb:g} s per MB of text): "
            "a text stranger than news; give --seconds-per-mb 0 to read it however long it takes"
        ) from None


def _names_a_file(given: str) -> bool:
    """True when ``given`` is the path of a file or folder. A text over 255 bytes without
    a ``/`` is no file name (the system says "file name too long"): a text, not an error
    (#14); a path that cannot be looked at is a one-line error."""
    if not given.strip():
        return False  # "": no text, not the current folder
    try:
        return Path(given).exists()
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG or not given.lower().endswith(".txt"):
            return False
        raise click.ClickException(f"{given}: {(error.strerror or str(error)).lower()}") from None


tolerance_option = click.option(
    "--tolerance",
    default=TOLERANCE,
    show_default=True,
    type=click.FloatRange(min=0, max=1),
    help="Figures within this share of each other agree.",
)


@cli.command(short_help="Link claims of the same quantity and check them against references.")
@db_option
@tolerance_option
@wait_option
@_user_errors
def xref(db_path, tolerance, wait):
    """Rebuild the claims' frames (quantity keys: measure, subject, place, kind of figure),
    the links between claims of one frame (repeats, agrees, conflicts, each saying why)
    and the checks of claims against reference figures. `claims build` runs it too.
    It holds the database as a build does: while a build writes it, it stops with a
    message, or waits --wait SECONDS.

    \b
    Example:
        claims xref --db claims.db --tolerance 0.05
    """
    click.echo(_xref_line(run_xref(db_path, tolerance, wait)))


def run_xref(db_path, tolerance: float = TOLERANCE, wait: float = 0):
    from claims.store import writing

    with writing(db_path, wait) as db:
        return _relink(db, tolerance)


def _relink(db, tolerance: float = TOLERANCE):
    """Cross-reference the claims of ``db``, then fill the summary tables again (the
    repeats they count come from the links)."""
    from claims.summary import summarize
    from claims.xref import xref as cross_reference

    summary = cross_reference(db, tolerance)
    summarize(db)
    return summary


def _xref_line(summary) -> str:
    links = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.links.items())) or "no links"
    checks = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.checks.items()))
    return f"{summary.keyed} claims keyed; links: {links}; reference checks: {checks or 'none'}"


@cli.command(short_help="Check the figures of a sentence against the database.")
@click.argument("text")
@db_option
@click.option("--published", callback=_iso_date, help="When the sentence was said (YYYY-MM-DD)")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@tolerance_option
@_user_errors
def check(text, db_path, published, as_json, tolerance):
    """Extract the figures of TEXT and show, for each, the claims of the same quantity in
    the database (repeats, agreements, conflicts, with their speakers and documents, and
    the frame fields each was matched on) and the verdict of the matching reference figure.

    \b
    Example:
        claims check "Ukraine was firing up to 6,000 rounds a day, an MP said."
        claims check "Germany has given 17 billion euros in military aid." --json
    """
    from claims.store import check_database, migrate, open_reader, pending_migrations
    from claims.xref import related

    check_database(db_path)
    figures = claims.extract(text, published=published)
    if pending_migrations(db_path):  # built by an older claims: its columns would be missing
        migrate(db_path)
    db = open_reader(db_path)  # read only: on read-only media too
    try:
        found = [related(db, claim, published, tolerance) for claim in figures]
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No figure in this text.")
    for item in found:
        click.echo(f"{item['text']!r}  [{item['quantity_key'] or 'nothing to compare by'}]")
        for match in item["matches"]:
            ratio = f" x{match['ratio']:.2f}" if match["ratio"] not in (None, 1.0) else ""
            who = f" ({match['speaker']})" if match["speaker"] else ""
            where = match["url"] or match["path"]
            click.echo(
                f"  {match['relation']:<9}{ratio} {match['text']!r}{who}, "
                f"{match['date'] or 'undated'}, {where}"
            )
            click.echo(f"            matched on: {match['why']}")
        if not item["matches"]:
            click.echo("  no claim of this quantity in the database")
        ref = item["reference"]
        if ref:
            ratio = f" x{ref['ratio']:.2f}" if ref["ratio"] is not None else ""
            click.echo(
                f"  reference: {ref['verdict']}{ratio}: {ref['reference']:,.0f} {ref['unit']} "
                f"{ref['concept']}, {ref['subject']}, as of {ref['as_of']} ({ref['source']})"
            )


@cli.group(short_help="Import reference figures to check claims against.")
def refs():
    """Reference figures: official numbers that claims are checked against, and the
    exchange rates that let a claim in one currency meet a reference in another.

    \b
    Example:
        claims refs kiel ../shared/data/reference
        claims refs import official.csv --field as_of=date
        claims refs rates rates.csv
    """


@refs.command(name="import", short_help="Import reference figures from a CSV file.")
@click.argument("file", type=click.Path(readable=False))
@db_option
@click.option(
    "--field",
    "fields",
    multiple=True,
    callback=_reference_fields,
    metavar="NAME=COLUMN",
    help="Read NAME (concept, subject, unit, value, low, high, as_of, source, url) from COLUMN.",
)
@wait_option
@_user_errors
def refs_import(file, db_path, fields, wait):
    """Import reference figures from a CSV file with the columns concept, subject, unit,
    value (or low and high), as_of, source and url, then cross-reference.

    \b
    Example:
        claims refs import official.csv --field as_of=date --field value=amount
    """
    from claims.references import read_references

    _store_refs(db_path, read_references(file, fields), wait)


@refs.command(name="kiel", short_help="Import the Kiel Ukraine Support Tracker's figures.")
@click.argument("folder", type=click.Path(file_okay=False, readable=False))
@db_option
@wait_option
@_user_errors
def refs_kiel(folder, db_path, wait):
    """Import, from FOLDER holding the tracker's kiel-data_explorer.csv, each donor's
    aid to Ukraine by the end of each month (all, military, financial, humanitarian;
    EUR), and from its kiel-weapons.csv, if there, the weapons each donor committed by the
    release date (kiel-release_info.csv); then cross-reference.

    \b
    Example:
        claims refs kiel ../shared/data/reference
    """
    from claims.references import kiel_references, kiel_weapons

    _store_refs(db_path, [*kiel_references(folder), *kiel_weapons(folder)], wait)


@refs.command(name="rates", short_help="Import exchange rates for checking money claims.")
@click.argument("file", type=click.Path(readable=False))
@db_option
@wait_option
@_user_errors
def refs_rates(file, db_path, wait):
    """Import exchange rates (CSV: currency, to_currency, rate, source; or the European
    Central Bank's eurofxref.csv / eurofxref-hist.csv as published, each currency's mean
    over its days), so that a claim in dollars is checked against a reference in euros,
    then cross-reference.

    \b
    Example:
        claims refs rates rates.csv              # USD,EUR,0.92,ECB 2023 average
        claims refs rates eurofxref-hist.csv     # the ECB's file, unzipped
    """
    from claims.references import read_rates, store_rates
    from claims.store import writing

    rates = read_rates(file)
    with writing(db_path, wait) as db:
        store_rates(db, rates)
        summary = _relink(db)
    click.echo(f"{len(rates)} exchange rates -> {db_path}")
    click.echo(_xref_line(summary))


def _store_refs(db_path, rows, wait: float = 0) -> None:
    """Store reference figures and cross-reference, holding the database as a build does."""
    from claims.references import store_references
    from claims.store import writing

    with writing(db_path, wait) as db:
        count = store_references(db, rows)
        summary = _relink(db)
    click.echo(f"{count} reference figures -> {db_path}")
    click.echo(_xref_line(summary))


@cli.command(name="eval", short_help="Score the extractor on gold sentences (JSON Lines).")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Write each sentence's missed and extra figures here, as JSON Lines",
)
@_user_errors
def evaluate_command(gold, errors_path):
    """Score the extractor on gold sentences: precision, recall and F1 in percent.

    GOLD is JSON Lines, one sentence per line: {"id", "text", "quantities": [{"value":
    6000 or [low, high], "unit", "normalized_unit", "change"}]}. Matching is one to one
    within a sentence; value+unit folds currency names to ISO codes, plurals to singulars
    and pint names of one unit; value+change compares = ~ < > up down.

    \b
    Example:
        claims eval my-gold.jsonl
        claims eval my-gold.jsonl --errors misses.jsonl
    """
    from claims.evaluate import evaluate, load_gold

    report = evaluate(load_gold(gold))
    click.echo(f"{report.sentences} sentences in {gold}")
    click.echo(f"{'metric':14} {'matched':>7} {'pred':>6} {'gold':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for metric, score in report.shown().items():
        click.echo(
            f"{metric:14} {score.matched:7d} {score.predicted:6d} {score.gold:6d} "
            f"{score.precision:6.1f} {score.recall:6.1f} {score.f1:6.1f}"
        )
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as out:
            for error in report.errors:
                out.write(json.dumps(error, ensure_ascii=False) + "\n")
        click.echo(
            f"{len(report.errors)} sentences with misses or extras -> {errors_path}", err=True
        )


@cli.command(short_help="Serve the database with Datasette.")
@click.option(
    "--db",
    "db_paths",
    multiple=True,
    default=[DEFAULT_DB],
    show_default=True,
    type=click.Path(),
    help="SQLite database file; --db again serves several (one a year or an outlet).",
)
@click.option(
    "--crossdb",
    is_flag=True,
    help="Let SQL join the tables of the databases (Datasette's --crossdb).",
)
@click.option(
    "-m",
    "--metadata",
    type=click.Path(dir_okay=False),
    help=f"Datasette metadata (default: {DEFAULT_METADATA} next to the database, or here)",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind")
@click.option(
    "-p",
    "--port",
    default=8001,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to bind",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@click.option(
    "--live",
    is_flag=True,
    help="Serve a database that a build is writing (default: read-only and immutable).",
)
@_user_errors
def serve(db_paths, crossdb, metadata, host, port, open_browser, live):
    """Serve the database with Datasette, building it from seeds/ first if it is missing.

    The metadata gives the tables' descriptions, default facets, canned queries and the
    charts; facet suggestions are turned off, as they scan whole tables. The database is
    served immutable (read-only, its table counts read from DB.inspect.json, which a build
    writes and serve writes again when the database changed) unless --live, for watching
    a build as it writes. Several databases (--db again: one a year, one an outlet) are
    served side by side, each with the canned queries; the dashboard shows the first.
    Datasette takes over this process, so stopping it (Ctrl-C, SIGTERM) stops the server.

    \b
    Example:
        claims serve
        claims serve --db claims.db --port 8002 --open
        claims serve --live    # while `claims build` runs in another terminal
        claims serve --db claims-2023.db --db claims-2024.db --crossdb
    """
    from claims.store import build as build_db
    from claims.store import check_database, migrate, pending_migrations

    dbs = [Path(path) for path in db_paths]
    names = [db.stem for db in dbs]
    for name in names:
        if names.count(name) > 1:
            raise click.ClickException(
                f"{name}: two databases of that name (Datasette names a database by its "
                "file name): rename one"
            )
    if len(dbs) == 1 and not dbs[0].exists():
        db = dbs[0]
        if not Path(DEFAULT_INPUT).is_dir():
            raise click.ClickException(
                f"{db}: no such database, and no {DEFAULT_INPUT}/ folder here to build it from: "
                f"run `claims build PATH... --db {db}` first"
            )
        click.echo(f"{db} is missing: building it from {DEFAULT_INPUT}/", err=True)
        summary = build_db([DEFAULT_INPUT], db)
        click.echo(f"{summary.documents} documents, {summary.claims} claims -> {db}", err=True)
    if crossdb and len(dbs) > _MOST_ATTACHED:
        raise click.ClickException(
            f"--crossdb joins at most {_MOST_ATTACHED} databases (SQLite attaches no more to "
            f"one connection), not {len(dbs)}: serve fewer, or merge some"
        )
    for db in dbs:
        check_database(db)
        pending = pending_migrations(db)
        if pending:  # built by an older claims: its queries would miss columns
            click.echo(f"{db}: updating its schema ({', '.join(pending)})", err=True)
            migrate(db)
    if live and any(_read_only(db) for db in dbs):
        click.echo("--live: a database cannot be written, so nothing writes it: serving "
                   "it immutable", err=True)  # fmt: skip
        live = False
    _check_port(host, port)
    found = _metadata_for(dbs, _find_metadata(dbs[0], metadata))
    inspect = None if live else _inspect_of(dbs)
    command = datasette_command(dbs, found, host, port, live=live, inspect=inspect)
    if crossdb:
        command.append("--crossdb")
    if open_browser:
        command.append("--open")
    # Become Datasette rather than wait for it as a child: a signal sent to this process
    # then reaches the server, and no server is left running on the port when we stop.
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


def _read_only(db: Path) -> bool:
    """Whether ``db`` is on read-only media (or its folder cannot be written): Datasette
    can read it only immutable, with no ``-shm`` file beside it."""
    from claims.readonly import writable

    return writable(db) is not None


def _find_metadata(db: Path, given: str | None) -> Path:
    """Return the metadata file: ``given``, else metadata.yml next to ``db``, else here."""
    if given:
        if not Path(given).is_file():
            raise click.ClickException(f"{given}: no such metadata file")
        return Path(given)
    for candidate in (db.parent / DEFAULT_METADATA, Path(DEFAULT_METADATA)):
        if candidate.is_file():
            return candidate
    raise click.ClickException(
        f"no {DEFAULT_METADATA} next to {db} or in the current folder: "
        "run from the project root or pass --metadata"
    )


#: Datasette's --crossdb attaches this many databases at most (SQLite's default limit).
_MOST_ATTACHED = 10


def _metadata_for(dbs: list[Path], metadata: Path) -> Path:
    """The metadata for ``dbs``: metadata.yml describes a database named "claims"; one in a
    file of another name (news.db is "news" to Datasette) gets a copy of that description
    under its name, and the dashboard's charts read the first database."""
    names = [db.stem for db in dbs]
    text = metadata.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    databases = data.get("databases") or {}
    missing = [name for name in names if name not in databases]
    if not missing or "claims" not in databases:
        return metadata
    described = databases["claims"] if "claims" in names else databases.pop("claims")
    for name in missing:
        databases[name] = copy.deepcopy(described)
    first = names[0]
    for dashboard in (data.get("plugins") or {}).get("datasette-dashboards", {}).values():
        for item in [*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()]:
            if item.get("db") == "claims":
                item["db"] = first
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return _spare_file("metadata.yml", text)


def _spare_folder() -> Path:
    """The one temporary folder of this user's serve files. Datasette takes over the process
    (no one is left to delete a file after it), so files are named by what they hold and
    written again in place: serving a thousand times leaves the same few files, not a
    thousand folders."""
    folder = Path(tempfile.gettempdir()) / f"claims-serve-{getpass.getuser()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _spare_file(name: str, text: str) -> Path:
    """``text`` in the spare folder, under ``name`` prefixed with the digest of the text."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    target = _spare_folder() / f"{digest}-{name}"
    if not target.is_file():
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # two serves at once never read half a file
    return target


def _check_port(host: str, port: int) -> None:
    """Refuse a port that another program holds, before Datasette prints a traceback."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except OSError as error:
        raise click.ClickException(
            f"cannot serve on {host}:{port} ({error.strerror or error}): "
            "another server may hold it; choose another with --port"
        ) from None


def _current_inspect(db: Path) -> Path | None:
    """The inspect file of ``db`` (its table counts, for Datasette), written again when it
    no longer describes the database; in a temporary folder when the database's folder is
    read-only. None when it cannot be written: Datasette then counts on its own."""
    from claims.summary import inspect_is_current, inspect_path, write_inspect

    path = inspect_path(db)
    if inspect_is_current(db, path):
        return path
    click.echo(f"{db}: counting its tables for Datasette -> {path.name}", err=True)
    try:
        return write_inspect(db, path)
    except OSError:  # a read-only folder or medium
        key = hashlib.sha256(str(db.resolve()).encode("utf-8")).hexdigest()[:16]
        try:
            spare = _spare_folder() / f"{key}-{path.name}"
            return spare if inspect_is_current(db, spare) else write_inspect(db, spare)
        except OSError:
            return None


def _inspect_of(dbs: list[Path]) -> Path | None:
    """The inspect file of the databases: a database's own, or for several one that holds
    the entries of theirs. None when one cannot be had: Datasette then counts on its own."""
    files = [_current_inspect(db) for db in dbs]
    if None in files:
        return None
    if len(files) == 1:
        return files[0]
    merged = {}
    for db, path in zip(dbs, files, strict=True):
        merged[db.stem] = json.loads(path.read_text(encoding="utf-8"))[db.stem]
    return _spare_file("inspect.json", json.dumps(merged, indent=2) + "\n")


def datasette_command(
    dbs: list[Path],
    metadata: Path,
    host: str,
    port: int,
    live: bool = False,
    inspect: Path | None = None,
) -> list[str]:
    """Return the command line that serves ``dbs`` with Datasette, ``metadata`` and the
    site's ``SETTINGS``: immutable (``-i``) unless ``live``, with the table counts of the
    ``inspect`` file when one is given."""
    paths = [str(db) for db in dbs]
    database = paths if live else [part for path in paths for part in ("-i", path)]
    if inspect is not None and not live:
        database += ["--inspect-file", str(inspect)]
    settings = [part for name, value in SETTINGS.items() for part in ("--setting", name, value)]
    return [
        sys.executable, "-m", "datasette", "serve", *database,
        "--metadata", str(metadata),
        "--host", host,
        "--port", str(port),
        *settings,
    ]  # fmt: skip
