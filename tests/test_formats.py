"""Reading what newsrooms have: a table per format, encodings, dates, and the standard input.

Each case writes a file, reads it with ``claims.formats.read_file`` and compares the
documents (title, published, url, path, source, how the text starts) and refusals exactly.
"""

from __future__ import annotations

import codecs
import io

import pytest

from claims.dates import parse_date
from claims.decode import decode
from claims.errors import DocumentError
from claims.formats import read_file
from claims.model import Document, Refusal
from claims.sources import DocumentFile

ARTICLE = "Ukraine's military was firing up to 6,000 rounds daily, a lawmaker said."

HTML_PAGE = """<!doctype html><html><head>
<title>Allies run short of shells | The Kyiv Ledger</title>
<meta property="og:site_name" content="The Kyiv Ledger">
<meta property="og:title" content="Allies run short of shells">
<link rel="canonical" href="https://ledger.example/news/shells">
<meta property="article:published_time" content="2023-09-28T10:00:00+03:00">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Allies run short of shells</h1>
<p>Ukraine's military was firing up to 6,000 rounds daily, a lawmaker said on Thursday.</p>
<p>The EU has promised one million rounds of ammunition by March, but has delivered about
300,000 so far, officials in Brussels said.</p></article>
<footer>Copyright 2021 The Kyiv Ledger. Subscribe to our newsletter.</footer>
<script>window.ads = [1, 2, 3];</script></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Defence Wire</title><link>https://wire.example</link>
<item><title>Shell output to triple</title><link>https://wire.example/a</link>
<guid>wire-a</guid><pubDate>Thu, 28 Sep 2023 10:00:00 +0000</pubDate>
<description>&lt;p&gt;NATO aims to triple shell output to 2 million rounds a year.&lt;/p&gt;
</description></item>
<item><title>No body</title><link>https://wire.example/b</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Brussels Briefing</title>
<entry><title>EU plan</title><id>urn:eu:1</id><link href="https://eu.example/1"/>
<updated>2024-03-05T09:30:00Z</updated>
<content type="html">&lt;p&gt;The Commission unveiled a $2.1 billion plan.&lt;/p&gt;</content>
</entry></feed>"""

# file name, its text, the documents and refusals it yields: for a document, (title,
# published, url, path, source, how its text starts); for a refusal, a Refusal.
FORMATS = [
    (
        "a.txt",
        f" date 2023-09-28 {ARTICLE}\nMore.",
        [
            (
                "Ukraine's military was firing up to 6,000 rounds daily, a lawmaker said.",
                "2023-09-28",
                None,
                "news/a.txt",
                "news",
                "Ukraine's military",
            )
        ],
    ),
    (
        "b.txt",
        f"Allies run short\n\n{ARTICLE}",
        [("Allies run short", None, None, "news/b.txt", "news", "Allies run short")],
    ),
    (
        "c.md",
        f"# Allies run short of shells\n\n{ARTICLE}\n",
        [("Allies run short of shells", None, None, "news/c.md", "news", "# Allies run")],
    ),
    (
        "d.html",
        HTML_PAGE,
        [
            (
                "Allies run short of shells",
                "2023-09-28",
                "https://ledger.example/news/shells",
                "news/d.html",
                "The Kyiv Ledger",
                "Allies run short of shells\nUkraine's military",
            )
        ],
    ),
    (
        "e.html",
        "<html><head><title>Live</title></head><body><script>var x = 1;</script></body></html>",
        [Refusal("news/e.html", None, "HTML with no article text")],
    ),
    (
        "f.json",
        '[{"id": "k1", "title": "Shells", "body": "NATO wants 2 million rounds.",'
        ' "date": "September 28, 2023", "outlet": "Reuters", "url": "https://r.example/1"},'
        ' {"id": "k2", "title": "No text"}, 7]',
        [
            (
                "Shells",
                "2023-09-28",
                "https://r.example/1",
                "news/f.json#k1",
                "Reuters",
                "NATO wants",
            ),
            Refusal("news/f.json", "record 2", "no text (field text/body/content)"),
            Refusal("news/f.json", "record 3", "a int, not a record with fields"),
        ],
    ),
    (
        "g.json",
        '{"articles": [{"content": "Kyiv got 31 Abrams tanks.", "published": "2023-09-25"}]}',
        [("Kyiv got 31 Abrams tanks.", "2023-09-25", None, "news/g.json#1", "news", "Kyiv")],
    ),
    (
        "h.jsonl",
        '{"id": "x1", "text": "The EU sent 300,000 shells.", "published": "2024-01-31T08:00:00Z"}\n'
        '{"id": "x2", "text": "broken\n'
        "\n"
        '{"id": "x1", "text": "A second record with the same id.", "source": "AP"}\n',
        [
            (
                "The EU sent 300,000 shells.",
                "2024-01-31",
                None,
                "news/h.jsonl#x1",
                "news",
                "The EU",
            ),
            Refusal(
                "news/h.jsonl", "line 2", "not JSON (column 22): Unterminated string starting at"
            ),
            ("A second record with the same id.", None, None, "news/h.jsonl#x1@4", "AP", "A "),
        ],
    ),
    (
        "i.csv",
        "title,text,date,source\n"
        'Shells,"Output rose to 1,000,000 rounds, officials said.",2023-11-30,Le Monde\n'
        "No text,,2023-11-30,Le Monde\n"
        "Extra,Text,2023-11-30,Le Monde,surplus\n",
        [
            ("Shells", "2023-11-30", None, "news/i.csv#2", "Le Monde", "Output rose"),
            Refusal("news/i.csv", "row 3", "no text (field text/body/content)"),
            Refusal("news/i.csv", "row 4", "more cells than columns"),
        ],
    ),
    (
        "j.csv",
        "headline,when\nShells,2023-11-30\n",
        [
            Refusal(
                "news/j.csv",
                None,
                "no text column (columns: headline, when): name one with --field text=COLUMN",
            )
        ],
    ),
    (
        "k.tsv",
        "title\tbody\nTanks\tGermany sent 18 Leopard tanks.\n",
        [("Tanks", None, None, "news/k.tsv#2", "news", "Germany sent")],
    ),
    (
        "l.rss",
        RSS,
        [
            (
                "Shell output to triple",
                "2023-09-28",
                "https://wire.example/a",
                "news/l.rss#wire-a",
                "Defence Wire",
                "NATO aims to triple",
            ),
            Refusal("news/l.rss", "entry 2", "no text (field text/body/content)"),
        ],
    ),
    (
        "m.atom",
        ATOM,
        [
            (
                "EU plan",
                "2024-03-05",
                "https://eu.example/1",
                "news/m.atom#urn:eu:1",
                "Brussels Briefing",
                "The Commission unveiled",
            )
        ],
    ),
    (
        "n.xml",
        "<config><item>not a feed</item></config>",
        [Refusal("news/n.xml", None, "not a feed")],
    ),
    # Review of #5: a U+2028 inside a JSON string split the line in two.
    (
        "o.jsonl",
        '{"id": "u", "text": "Kyiv got 31 tanks.\u2028More came later."}\n',
        [
            (
                "Kyiv got 31 tanks.\u2028More came later.",
                None,
                None,
                "news/o.jsonl#u",
                "news",
                "Kyiv got 31 tanks.",
            )
        ],
    ),
    # Excel where the decimal mark is a comma: ";" between cells, a BOM, CRLF.
    (
        "p.csv",
        "\ufefftitle;text;date\r\nShells;Output rose to 1,5 million rounds.;2023-11-30\r\n",
        [("Shells", "2023-11-30", None, "news/p.csv#2", "news", "Output rose to 1,5")],
    ),
    # A CMS export: records nested two levels down, HTML bodies, WordPress "rendered".
    (
        "q.json",
        '{"data": {"articles": [{"id": 7, "title": {"rendered": "Tanks"}, "content": '
        '{"rendered": "<p>Kyiv got <b>31</b> tanks.</p><script>steal()</script>"}}]}}',
        [("Tanks", None, None, "news/q.json#7", "news", "Kyiv got 31 tanks.")],
    ),
    ("r.json", '{"articles": []}', [Refusal("news/r.json", None, "no records in this file")]),
    ("s.csv", "title,text\n", [Refusal("news/s.csv", None, "no records in this file")]),
    (
        "t.md",
        "---\ntitle: Shell output triples\ndate: 2024-03-05\nsource: Defence Wire\n---\n"
        "# Heading\n\nNATO makes 2 million rounds a year.\n",
        [("Shell output triples", "2024-03-05", None, "news/t.md", "Defence Wire", "# Heading")],
    ),
    (
        "u.html",
        "<p>Taxes rose 5% in 2023, the finance ministry said on Monday.</p>",
        [
            (
                "Taxes rose 5% in 2023, the finance ministry said on Monday.",
                None,
                None,
                "news/u.html",
                "news",
                "Taxes rose 5%",
            )
        ],
    ),
    (
        "v.json",
        "[" * 100_000 + "]" * 100_000,
        [Refusal("news/v.json", None, "JSON nested too deeply to read")],
    ),
    (
        "w.csv",
        "title,text\nLong," + "The shelling went on. " * 10_000 + "\nShort,Kyiv got 31 tanks.\n",
        [
            ("Long", None, None, "news/w.csv#2", "news", "The shelling"),
            ("Short", None, None, "news/w.csv#3", "news", "Kyiv got 31 tanks."),
        ],
    ),
]


def shown(item):
    """A document as (title, published, url, path, source, how its text starts)."""
    if isinstance(item, Refusal):
        return item
    return (item.title, item.published, item.url, item.path, item.source, item.text)


@pytest.mark.parametrize("name, text, expected", FORMATS, ids=[f[0] for f in FORMATS])
def test_each_format(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    got = [shown(item) for item in read_file(DocumentFile(path, f"news/{name}"))]
    assert len(got) == len(expected), got
    for item, want in zip(got, expected, strict=True):
        if isinstance(want, Refusal):
            assert item[:2] == want[:2] and item.reason.startswith(want.reason), item
        else:
            assert item[:5] == want[:5]
            assert item[5].startswith(want[5]), item[5]


def test_a_page_is_read_in_the_encoding_it_declares(tmp_path):
    # Review of #5: a mostly-ASCII page in windows-1251 was read as windows-1252.
    page = (
        '<html><head><meta charset="windows-1251"><title>Новини</title></head><body>'
        "<article><p>" + "Київ отримав 31 танк, повідомило міністерство. " * 3 + "</p>"
        "<p>" + "The ministry said more would come. " * 20 + "</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1251"))
    [doc] = read_file(DocumentFile(path, "page.html"))
    assert "Київ отримав 31 танк" in doc.text


def test_a_stray_nul_does_not_make_a_text_binary():
    assert decode(b"Kyiv got 31 tanks.\x00 " + b"More came later. " * 20, "a.txt").startswith(
        "Kyiv got 31 tanks. More"
    )


def test_field_mapping_reads_other_columns(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "headline,article_body,pub_date,desk\n"
        "Shells,Kyiv asked for 1 million rounds.,28/09/2023,Defence\n",
        encoding="utf-8",
    )
    fields = {"text": "article_body", "published": "pub_date", "source": "desk"}
    [doc] = read_file(DocumentFile(path, "export.csv"), fields=fields)
    assert (doc.title, doc.text, doc.source) == (
        "Shells",
        "Kyiv asked for 1 million rounds.",
        "Defence",
    )
    # 28/09/2023 is day-first or month-first depending on the desk: no guess, no date.
    assert doc.published is None


def test_the_standard_input_is_sniffed(tmp_path):
    pretty = io.BytesIO(b'{\n  "title": "Tanks",\n  "text": "Kyiv got 31 tanks."\n}\n')
    [doc] = read_file(DocumentFile(tmp_path, "-"), stdin=pretty)
    assert (doc.title, doc.text) == ("Tanks", "Kyiv got 31 tanks.")
    late_feed = io.BytesIO(
        ("<?xml version='1.0'?>\n<!-- " + "x" * 500 + " -->\n" + RSS.split("?>", 1)[1]).encode()
    )
    docs = read_file(DocumentFile(tmp_path, "-"), stdin=late_feed)
    assert [d.title for d in docs if isinstance(d, Document)] == ["Shell output to triple"]
    feed = io.BytesIO(RSS.encode("utf-8"))
    docs = [
        d for d in read_file(DocumentFile(tmp_path, "-"), stdin=feed) if isinstance(d, Document)
    ]
    assert [(d.path, d.source) for d in docs] == [("-#wire-a", "Defence Wire")]
    plain = io.BytesIO(f"Allies run short\n{ARTICLE}".encode())
    [doc] = read_file(DocumentFile(tmp_path, "-"), stdin=plain)
    assert (doc.title, doc.path, doc.source) == ("Allies run short", None, None)


def test_a_file_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2_000)
    assert list(read_file(DocumentFile(path, "big.txt"), max_bytes=1_000)) == [
        Refusal("big.txt", None, "larger than 0.001 MB: raise --max-bytes to read it")
    ]


TEXT = "Kyiv’s allies pledged €2.1 billion — about 6,000 rounds a day, Zelenskyy said."

UKRAINIAN = (
    "Київ отримав 31 танк Abrams, повідомило Міністерство оборони України в понеділок. "
    "Загалом союзники передали понад 300 танків."
)

ENCODINGS = [
    # how the text is stored, the text read back
    ("utf-8", TEXT.encode("utf-8"), TEXT),
    ("utf-8 with BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
    ("utf-16 with BOM", TEXT.encode("utf-16"), TEXT),
    ("utf-16-be with BOM", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), TEXT),
    ("utf-16-le without BOM", TEXT.encode("utf-16-le"), TEXT),
    (
        "windows-1252",
        TEXT.replace("Kyiv’s", "Kyiv's").encode("cp1252"),
        TEXT.replace("Kyiv’s", "Kyiv's"),
    ),
    (
        "latin-1",
        "Zürich pledged 5 million francs.".encode("latin-1"),
        "Zürich pledged 5 million francs.",
    ),
    ("windows-1251", UKRAINIAN.encode("cp1251"), UKRAINIAN),
    ("mojibake", TEXT.encode("utf-8").decode("cp1252", "replace").encode("utf-8"), TEXT),
]


@pytest.mark.parametrize("name, data, text", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_encodings(name, data, text):
    assert decode(data, "a.txt") == text


NOT_TEXT = [
    ("empty", b"", "empty file: no text to read"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 30, "a binary file"),
    ("zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4, "a binary file"),
    ("controls", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 50, "a binary file"),
]


@pytest.mark.parametrize("name, data, reason", NOT_TEXT, ids=[n[0] for n in NOT_TEXT])
def test_what_is_not_text_is_refused(name, data, reason):
    with pytest.raises(DocumentError) as caught:
        decode(data, "a.bin")
    assert caught.value.path == "a.bin" and caught.value.reason.startswith(reason)


DATES = [
    ("2023-09-28", "2023-09-28"),
    ("2023-09-28T23:30:00-05:00", "2023-09-28"),
    ("2022-01-25T09:00:00Z", "2022-01-25"),
    ("Thu, 28 Sep 2023 10:00:00 +0000", "2023-09-28"),
    ("Mon, 01 Jan 2024 00:00:00 GMT", "2024-01-01"),
    ("September 28, 2023", "2023-09-28"),
    ("Sept. 28, 2023", "2023-09-28"),
    ("Thursday, 28 September 2023", "2023-09-28"),
    ("28th September 2023", "2023-09-28"),
    ("2023/9/8", "2023-09-08"),
    ("2023-02-30", None),
    ("28/09/2023", None),
    ("last Tuesday", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize("value, date", DATES, ids=[str(d[0]) for d in DATES])
def test_dates(value, date):
    assert parse_date(value) == date
