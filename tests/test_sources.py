"""Reading documents: the seed format, plain text, folders, and the errors for bad input."""

from __future__ import annotations

import pytest

from claims.errors import ClaimsError, DocumentError
from claims.formats import read_document, read_documents
from claims.sources import document_label, list_document_files, parse_document

SEEDS = [
    # file, publication date, how its text starts, its title
    (
        "000_ff5156d6f156cb6d.txt",
        "2022-09-10",
        "Sometimes it may seem that the United States can use the bottomless pit",
        "Sometimes it may seem that the United States can use the bottomless pit of military"
        " supplies to…",
    ),
    (
        "004_8afe4d7eba3edcde.txt",
        "2023-09-28",
        "US Ambassador to NATO, Julianne Smith, on Wednesday said",
        "US Ambassador to NATO, Julianne Smith, on Wednesday said that the North Atlantic Treaty…",
    ),
]


@pytest.mark.parametrize("name, published, starts, title", SEEDS, ids=[s[0] for s in SEEDS])
def test_seed_format(seeds_dir, monkeypatch, name, published, starts, title):
    monkeypatch.chdir(seeds_dir.parent)
    path = seeds_dir / name
    doc = read_document(path)
    first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert doc.published == published
    assert doc.text.startswith(starts)
    # The first paragraph, on the date's line, is kept as the text's first line.
    assert first_line == f" date {published} " + doc.text.split("\n", 1)[0]
    assert doc.title == title
    assert (doc.path, doc.source) == (f"seeds/{name}", "seeds")
    assert doc.meta == {"format": "seed"}


PARSED = [
    # file contents, published, title, text
    (" date 2023-09-28 NATO said so. More.", "2023-09-28", "NATO said so.", "NATO said so. More."),
    ("date 2022-09-10 Stocks are low.\n\nMore.", "2022-09-10", "Stocks are low.", None),
    (" date 2022-09-10\nOn the next line.", "2022-09-10", "On the next line.", None),
    ("Allies run short\nThe stocks are low.", None, "Allies run short", None),
    (
        "Allies run short\r\nThe stocks\rare low.",
        None,
        None,
        "Allies run short\nThe stocks\nare low.",
    ),
    ("\ufeffA title\nText.", None, "A title", "A title\nText."),
    ("The date 2022-09-10 is not a header.", None, "The date 2022-09-10 is not a header.", None),
    ("\n\n  Title after blank lines  \nText.", None, "Title after blank lines", None),
]


@pytest.mark.parametrize("raw, published, title, text", PARSED, ids=[p[0][:30] for p in PARSED])
def test_parse_document(raw, published, title, text):
    doc = parse_document(raw)
    assert doc.published == published
    if title is not None:
        assert doc.title == title
    if text is not None:
        assert doc.text == text


def test_plain_text_file_keeps_all_its_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "news" / "article.txt"
    path.parent.mkdir()
    path.write_text("Allies run short of shells\n\nThey sent 1,000 rounds.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "Allies run short of shells"
    assert doc.text == "Allies run short of shells\n\nThey sent 1,000 rounds.\n"
    # No date in the file: published stays None, never today's date.
    assert doc.published is None
    assert (doc.path, doc.source, doc.meta) == ("news/article.txt", "news", {"format": "text"})


def test_folder_is_read_recursively_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "feed"
    for name in ["b.txt", "a.txt", "sub/c.txt", ".hidden/d.txt", "notes.md", "sub/.e.txt"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"Title {name}\nText.", encoding="utf-8")
    docs = list(read_documents([folder]))
    assert [(d.path, d.source) for d in docs] == [
        ("feed/a.txt", "feed"),
        ("feed/b.txt", "feed"),
        ("feed/notes.md", "feed"),
        ("feed/sub/c.txt", "feed/sub"),
    ]


# Review of #2, item 1: labels were folder name + file name, so that p/x/news/1.txt and
# p/y/news/1.txt shared one label, and one source. Issue #14: a file outside the base was
# labelled by its absolute path, which the site showed; it is now named after its folder.
LABELS = [
    # file and base under tmp_path (base None: the current folder, tmp_path/p; p/link is a
    # symbolic link to p/x), the label, the source
    ("p/x/news/1.txt", None, "x/news/1.txt", "x/news"),
    ("p/y/news/1.txt", None, "y/news/1.txt", "y/news"),
    ("p/1.txt", None, "1.txt", "."),
    ("p/x/news/1.txt", "p/x/news", "1.txt", "."),
    ("p/x/news/1.txt", "p/y", "news/1.txt", "news"),
    ("q/news/1.txt", None, "news/1.txt", "news"),
    ("p/y/../x/news/1.txt", "p", "x/news/1.txt", "x/news"),
    ("p/link/news/1.txt", None, "x/news/1.txt", "x/news"),
]


@pytest.mark.parametrize(
    "file, base, label, source", LABELS, ids=[f"{c[0]}@{c[1]}" for c in LABELS]
)
def test_labels_name_one_file_each(tmp_path, monkeypatch, file, base, label, source):
    for name in ["p/x/news/1.txt", "p/y/news/1.txt", "p/1.txt", "q/news/1.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Title\nText of {name}.", encoding="utf-8")
    (tmp_path / "p" / "link").symlink_to(tmp_path / "p" / "x")
    monkeypatch.chdir(tmp_path / "p")
    path = tmp_path / file
    base_path = tmp_path / base if base else None
    expected = label, source
    assert document_label(path, base_path) == expected[0]
    [listed] = list_document_files([path], base=base_path)
    assert listed.label == expected[0]
    if base is None:
        doc = read_document(path)
        assert (doc.path, doc.source) == expected


def test_two_folders_of_the_same_name_keep_apart(tmp_path, monkeypatch):
    for name in ["x/news/1.txt", "y/news/1.txt"]:
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_text(f"Title\nText of {name}.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    docs = list(read_documents(["x/news", "y/news"]))
    assert [(d.path, d.source) for d in docs] == [
        ("x/news/1.txt", "x/news"),
        ("y/news/1.txt", "y/news"),
    ]


def test_seeds_folder_and_seed_file_give_the_same_paths(seeds_dir, monkeypatch):
    monkeypatch.chdir(seeds_dir.parent)
    from_folder = [doc.path for doc in read_documents([seeds_dir])]
    from_files = [doc.path for doc in read_documents(sorted(seeds_dir.glob("*.txt")))]
    assert from_folder == from_files == [f"seeds/{seed[0]}" for seed in SEEDS]


def test_a_file_named_twice_is_read_once(seeds_dir):
    files = list_document_files([seeds_dir, seeds_dir / SEEDS[0][0]], base=seeds_dir.parent)
    assert [file.label for file in files] == [f"seeds/{seed[0]}" for seed in SEEDS]


BAD = [
    # what to write where (None: nothing), the path to read, words the error must hold
    (None, "missing.txt", "no such file or directory"),
    ({"empty.txt": b""}, "empty.txt", "empty file"),
    ({"blank.txt": b"  \n\n "}, "blank.txt", "empty file"),
    ({"dated.txt": b" date 2022-09-10 \n"}, "dated.txt", "empty file"),
    ({"baddate.txt": b" date 2022-13-45 Text."}, "baddate.txt", "bad date '2022-13-45'"),
    ({"data.json": b"{not json"}, "data.json", "not JSON (line 1, column 2)"),
    ({"data.pdf": b"%PDF-1.4"}, "data.pdf", "cannot read '.pdf' files"),
    ({"README": b"text"}, "README", "cannot read files without a suffix"),
    ({"folder/.notes.md": b"text"}, "folder", "no documents in this folder"),
]


@pytest.mark.parametrize("files, name, reason", BAD, ids=[b[1] for b in BAD])
def test_bad_input_names_the_file_and_the_reason(tmp_path, files, name, reason):
    for relative, data in (files or {}).items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        list(read_documents([tmp_path / name]))
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, ClaimsError)
    assert error.path == str(tmp_path / name)
    assert reason in error.reason
    assert str(error) == f"{tmp_path / name}: {error.reason}"


def test_bad_paths_fail_before_any_document_is_read(tmp_path, seeds_dir):
    # The missing path comes last, yet read_documents refuses at once.
    with pytest.raises(DocumentError, match="nowhere.txt: no such file"):
        read_documents([seeds_dir, tmp_path / "nowhere.txt"])
