"""Hostile input files (#14): each ends in a one-line refusal or error, never a traceback
or a hang, and never costs the build its other documents.

Each case is built in ``tmp_path`` and run through the real CLI; the database it leaves is
read back with SQL.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from claims.cli import cli
from claims.formats import read_text
from claims.model import Document, Refusal

GOOD = "Shells\nThey fired 6,000 rounds.\n"
OUTSIDE = "a link to outside the input folders: name its target, or give --follow-links"
ALIASES = "front matter with YAML aliases (*name): write the values out"
KNOWN = ".atom, .csv, .htm, .html, .json, .jsonl, .markdown, .md, .ndjson, .rss, .text, .tsv, "
KNOWN += ".txt, .xml"


def alias_bomb(field: str, levels: int = 9) -> str:
    """Markdown whose front matter's ``field`` is 9 ** ``levels`` strings made of aliases:
    388 bytes that took 60 s and 5.4 GB to read before #14."""
    names = "abcdefghij"[:levels]
    lines = [f"{names[0]}: &{names[0]} [" + ",".join(['"lol"'] * 9) + "]"]
    for before, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    lines.append(f"{field}: *{names[-1]}")
    return "---\n" + "\n".join(lines) + "\n---\n# Shells\nThey fired 6,000 rounds.\n"


def csv_rows(count: int) -> str:
    return "".join(f"Tanks {n},Kyiv got {n} tanks.\n" for n in range(1, count + 1))


# Each case: id; files under tmp_path/in (str: text; ("link", target): a symbolic link,
# target relative to the link's folder or absolute); the build's arguments (after
# --quiet, the database is site/claims.db); exit code; the refusal lines on stderr; the
# documents' paths stored; and SQL -> the rows it must give, or None.
BUILDS = [
    (
        "symlink-loop",
        {
            "news/a.txt": GOOD,
            "news/loop.txt": ("link", "loop.txt"),
            "news/ping": ("link", "pong"),
            "news/pong": ("link", "ping"),
        },
        ["in/news"],
        0,
        [
            "refused: news/loop.txt: a symbolic link loop",
            "refused: news/ping: a symbolic link loop",
            "refused: news/pong: a symbolic link loop",
        ],
        ["news/a.txt"],
        None,
    ),
    (
        "symlink-loop-named-directly",
        {"news/a.txt": GOOD, "loop.txt": ("link", "loop.txt")},
        ["in/loop.txt", "in/news"],
        0,
        ["refused: in/loop.txt: a symbolic link loop"],
        ["news/a.txt"],
        None,
    ),
    (
        "folder-link-to-etc",
        {"news/a.txt": GOOD, "news/etc": ("link", "/etc")},
        ["in/news"],
        0,
        [f"refused: news/etc: {OUTSIDE}"],
        ["news/a.txt"],
        None,
    ),
    (
        "links-to-outside-the-inputs",
        {
            "news/a.txt": GOOD,
            "elsewhere/b.txt": "Tanks\nThey sent 31 tanks.\n",
            "news/other": ("link", "../elsewhere"),
            "news/b.txt": ("link", "../elsewhere/b.txt"),
        },
        ["in/news"],
        0,
        [f"refused: news/b.txt: {OUTSIDE}", f"refused: news/other: {OUTSIDE}"],
        ["news/a.txt"],
        None,
    ),
    (
        "links-to-outside-followed",
        {
            "news/a.txt": GOOD,
            "elsewhere/b.txt": "Tanks\nThey sent 31 tanks.\n",
            "news/other": ("link", "../elsewhere"),
        },
        ["in/news", "--follow-links"],
        0,
        [],
        ["news/a.txt", "news/other/b.txt"],
        None,
    ),
    (
        "link-to-another-input",
        {
            "news/a.txt": GOOD,
            "wire/b.txt": "Tanks\nThey sent 31 tanks.\n",
            "news/wire": ("link", "../wire"),
        },
        ["in/news", "in/wire"],
        0,
        [],
        ["news/a.txt", "wire/b.txt"],
        ("select inputs from runs", [('["news", "wire"]',)]),
    ),
    (
        "txt-link-to-a-file-without-suffix",
        {"news/data/raw": GOOD, "news/a.txt": ("link", "data/raw")},
        ["in/news"],
        0,
        [
            "refused: news/data/raw: cannot read files without a suffix: the formats read are "
            + KNOWN
        ],
        ["news/a.txt"],
        ("select title from documents", [("Shells",)]),
    ),
    (
        "two-input-folders-of-one-name",
        {"a/news/1.txt": GOOD, "b/news/1.txt": "Tanks\nThey sent 31 tanks.\n"},
        ["in/a/news", "in/b/news"],
        0,
        [
            "refused: news/1.txt: another input file has this path (two input folders of one "
            "name): build their common folder, or rename one"
        ],
        ["news/1.txt"],
        ("select inputs from runs", [('["news", "news"]',)]),
    ),
    (
        "alias-bomb-title",
        {"news/a.txt": GOOD, "news/bomb.md": alias_bomb("title")},
        ["in/news"],
        0,
        [f"refused: news/bomb.md: {ALIASES}"],
        ["news/a.txt"],
        None,
    ),
    (
        "alias-bomb-date",
        {"news/a.txt": GOOD, "news/bomb.md": alias_bomb("date")},
        ["in/news"],
        0,
        [f"refused: news/bomb.md: {ALIASES}"],
        ["news/a.txt"],
        None,
    ),
    (
        "alias-bomb-ten-levels",
        {"news/bomb.md": alias_bomb("title", levels=10)},
        ["in/news"],
        1,
        [
            f"refused: news/bomb.md: {ALIASES}",
            "Error: nothing was built: no document could be read",
        ],
        [],
        None,
    ),
    (
        "front-matter-fields-that-are-structures",
        {
            "news/a.md": "---\ntitle: [[" + "1," * 5_000 + "1]]\ndate: {day: 5}\n"
            "url: "
            + "x" * 3_000
            + "\nsource: {name: Reuters}\n---\n# Shells\nThey fired 6,000 rounds.\n"
        },
        ["in/news"],
        0,
        [],
        ["news/a.md"],
        (
            "select title, published, documents.url, sources.name from documents join sources "
            "on sources.id = documents.source_id",
            [("Shells", None, None, "Reuters")],
        ),
    ),
    (
        "jsonl-fields-that-are-huge-structures",
        {
            "news/a.jsonl": json.dumps(
                {
                    "id": [list(range(1_000))] * 100,
                    "title": {"name": ["x"] * 100_000},
                    "date": [["2023-09-28"]] * 1_000,
                    "source": {"name": {"deep": ["x"] * 1_000}},
                    "text": "Kyiv got 31 tanks.",
                }
            )
            + "\n"
        },
        ["in/news"],
        0,
        [],
        ["news/a.jsonl#1"],
        ("select title, published from documents", [("Kyiv got 31 tanks.", None)]),
    ),
    (
        "csv-unclosed-quote-in-row-1",
        {"news/t.csv": 'title,text\nShells,"They fired 6,000 rounds.\n' + csv_rows(200)},
        ["in/news"],
        0,
        ["refused: news/t.csv (row 2): malformed CSV: a quote that is never closed"],
        [f"news/t.csv#{n}" for n in range(3, 203)],
        None,
    ),
    (
        "csv-quote-closed-by-a-later-row",
        {
            "news/t.csv": 'title,text\nShells,"They fired 6,000 rounds.\n'
            'Tanks,"Kyiv got 31 tanks."\nDrones,Russia lost 12 drones.\n'
        },
        ["in/news"],
        0,
        ["refused: news/t.csv (row 2): malformed CSV: ',' expected after '\"'"],
        ["news/t.csv#3", "news/t.csv#4"],
        None,
    ),
    (
        "csv-multi-line-cells-kept",
        {
            "news/t.csv": 'title,text\nShells,"They fired 6,000 rounds.\n\nThe stocks ran low."\n'
            'Tanks,"Kyiv got ""31"" tanks."\n'
        },
        ["in/news"],
        0,
        [],
        ["news/t.csv#4", "news/t.csv#5"],
        (
            "select text from documents order by path",
            [("They fired 6,000 rounds.\n\nThe stocks ran low.",), ('Kyiv got "31" tanks.',)],
        ),
    ),
]


def make_files(root, files: dict) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, tuple):
            path.symlink_to(content[1])
        else:
            path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize(
    "files, args, code, refused, documents, query",
    [c[1:] for c in BUILDS],
    ids=[c[0] for c in BUILDS],
)
def test_a_hostile_input_is_refused_and_the_rest_is_built(
    tmp_path, monkeypatch, files, args, code, refused, documents, query
):
    make_files(tmp_path / "in", files)
    (tmp_path / "site").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--quiet", "--db", "site/claims.db", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (result.exit_code, result.stderr.splitlines()) == (code, refused)
    with sqlite3.connect(tmp_path / "site" / "claims.db") as db:
        stored = [path for (path,) in db.execute("select path from documents order by path")]
        errors = db.execute("select count(*) from ingest_errors").fetchone()[0]
        paths = [
            p
            for (p,) in db.execute(
                "select path from ingest_errors union all select inputs from runs"
            )
        ]
        found = db.execute(query[0]).fetchall() if query else None
    db.close()
    assert sorted(stored) == sorted(documents)
    assert errors == len([line for line in refused if line.startswith("refused:")])
    assert not any(str(tmp_path) in path for path in paths + stored)  # no server path (#14)
    if query:
        assert found == query[1]


def test_a_folder_of_the_name_of_one_built_before_from_elsewhere_is_refused(tmp_path, monkeypatch):
    """Paths outside the database's folder start with their input folder's name: a later
    build of another folder of that name would replace the first one's documents. It is
    refused with one line, and what is stored stays (#14)."""
    make_files(tmp_path / "a" / "news", {"1.txt": "Kyiv got 31 tanks."})
    make_files(tmp_path / "b" / "news", {"1.txt": "Russia lost 12 drones."})
    (tmp_path / "site").mkdir()
    monkeypatch.chdir(tmp_path)
    build = ["build", "--quiet", "--db", "site/claims.db"]
    first = CliRunner().invoke(cli, [*build, str(tmp_path / "a" / "news")])
    again = CliRunner().invoke(cli, [*build, str(tmp_path / "a" / "news")])
    other = CliRunner().invoke(cli, [*build, str(tmp_path / "b" / "news")])
    assert (first.exit_code, again.exit_code, other.exit_code) == (0, 0, 1)
    assert other.stderr == (
        f"Error: site/claims.db: {tmp_path / 'b' / 'news'}: another folder named news was "
        "built into this database before, from elsewhere, and its documents would be "
        "replaced by these (their paths start with news/ too): build from their common "
        "folder, or into another database\n"
    )
    with sqlite3.connect(tmp_path / "site" / "claims.db") as db:
        stored = db.execute("select path, text from documents").fetchall()
        keys = db.execute("select name, length(key) from input_folders").fetchall()
    db.close()
    assert stored == [("news/1.txt", "Kyiv got 31 tanks.")]
    assert keys == [("news", 16)]  # a hash of the place, not the place


# claims extract TEXT: a text over 255 bytes without a / was tried as a file name first.
EXTRACTS = [
    ("300-bytes-no-claim", "x" * 300, 0, 0),
    ("long-text-with-claims", "Kyiv got 31 tanks. " * 20, 0, 20),
    ("long-text-with-a-slash", "the tanks " * 30 + "and/or drones", 0, 0),
    ("4096-byte-path-like", "a/" * 2_100 + "b.txt", 1, None),
]


@pytest.mark.parametrize(
    "text, code, claims", [c[1:] for c in EXTRACTS], ids=[c[0] for c in EXTRACTS]
)
def test_extract_reads_a_long_text_as_text(text, code, claims):
    result = CliRunner().invoke(cli, ["extract", text])
    assert "Traceback" not in result.output and result.exit_code == code
    if claims is None:
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")
    else:
        assert len(result.stdout.splitlines()) == claims


def shown(item: Document | Refusal) -> tuple:
    if isinstance(item, Refusal):
        return item.record, item.reason
    return item.path, item.title, item.published, item.url, item.source


# Readers alone: (id, format, text, what each item of the file gives).
READS = [
    (
        "front-matter-read",
        "markdown",
        "---\ntitle: Shells\ndate: 2024-03-05\nsource: Defence Wire\n---\n"
        "They fired 6,000 rounds.\n",
        [("news/a.markdown", "Shells", "2024-03-05", None, "Defence Wire")],
    ),
    (
        "front-matter-anchor-without-alias",
        "markdown",
        "---\ntitle: &t Shells\n---\nThey fired 6,000 rounds.\n",
        [("news/a.markdown", "Shells", None, None, "news")],
    ),
    (
        "front-matter-alias",
        "markdown",
        "---\nt: &t Shells\ntitle: *t\n---\nText.\n",
        [(None, ALIASES)],
    ),
    (
        "front-matter-nested-too-deeply",
        "markdown",
        "---\ntitle: " + "[" * 2_000 + "]" * 2_000 + "\n---\nText.\n",
        [(None, "front matter nested too deeply to read")],
    ),
    (
        "front-matter-over-16-kb-is-text",
        "markdown",
        "---\nnotes: " + "x" * 20_000 + "\n---\nText.\n",
        [("news/a.markdown", "---", None, None, "news")],
    ),
    (
        "front-matter-title-shortened",
        "markdown",
        "---\ntitle: " + "word " * 3_000 + "\n---\nText.\n",
        [("news/a.markdown", "word " * 18 + "word…", None, None, "news")],
    ),
    (
        "front-matter-number-of-5000-digits",
        "markdown",
        "---\ntitle: " + "9" * 5_000 + "\n---\nText.\n",
        [("news/a.markdown", "---", None, None, "news")],
    ),
    (
        "jsonl-number-of-5000-digits",
        "jsonl",
        '{"text": "a", "n": ' + "9" * 5_000 + '}\n{"text": "Kyiv got 31 tanks."}\n',
        [
            ("line 1", "JSON with a number too long to read (over 4,300 digits)"),
            ("news/a.jsonl#2", "Kyiv got 31 tanks.", None, None, "news"),
        ],
    ),
    (
        "json-date-and-url-that-are-lists",
        "json",
        '[{"text": "Kyiv got 31 tanks.", "date": ["2023-09-28"], "url": ["https://x.example"]}]',
        [("news/a.json#1", "Kyiv got 31 tanks.", None, None, "news")],
    ),
    (
        "csv-wrong-number-of-cells-over-lines",
        "csv",
        'title,text,date\nShells,"They fired\n6,000 rounds."\n'
        "Tanks,Kyiv got 31 tanks.,2023-09-28\n",
        [
            (
                "row 2",
                "malformed CSV: 2 cells for 3 columns, over lines 2-3: a quote closed too late?",
            ),
            ("row 3", "fewer cells than columns"),  # the rest of row 2's cell
            ("news/a.csv#4", "Tanks", "2023-09-28", None, "news"),
        ],
    ),
    (
        "csv-header-with-an-unclosed-quote",
        "csv",
        'title,"text\nShells,They fired 6,000 rounds.\n',
        [(None, "malformed CSV: the first row, of column names: a quote that is never closed")],
    ),
]


@pytest.mark.parametrize("kind, text, expected", [c[1:] for c in READS], ids=[c[0] for c in READS])
def test_a_hostile_record_gives_a_refusal_or_bounded_fields(kind, text, expected):
    label = f"news/a.{kind}"
    assert [shown(item) for item in read_text(text, label, kind, "news")] == expected


def test_a_csv_of_rows_that_each_open_a_quote_is_read_a_few_times_over(monkeypatch):
    """Each line `x",y,"` opens a quote that closes on the next: every line began a row
    refused and read again up to 2,000 lines (53 s a MB). Restarts now read the file a few
    times over at most, then skip the rows refused (#14)."""
    import claims.formats as formats

    read = []
    next_line = formats._Lines.__next__

    def counted(self):
        read.append(1)
        return next_line(self)

    monkeypatch.setattr(formats._Lines, "__next__", counted)
    lines = 40_000
    items = list(read_text("text,title\n" + 'x",y,"\n' * lines, "a.csv", "csv", None, {}))
    assert all(isinstance(item, Refusal) for item in items)
    reason = "malformed CSV: a quoted cell over 2,000 lines: a quote that is never closed?"
    assert items[0] == Refusal("a.csv", "row 2", reason)
    assert items[-1] == Refusal("a.csv", None, "no records in this file")
    limit = (formats.REREAD_LINES + 1) * lines + formats.CELL_LINES
    assert len(read) <= limit
