"""Input readers: every kind on realistic inputs, and every bad-input code."""
from __future__ import annotations

import io
import json
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from eventwire.ingest import iter_inputs, read_bytes
from eventwire.records import Article, InputProblem
from eventwire.settings import Settings

DATA = Path(__file__).parent / "data" / "ingest"

# Wire-style copy written for these tests (a widely reported event: Davos protest, Jan 2018).
ZURICH = ("ZURICH, Jan 23 - Police in Zürich said on Tuesday that several hundred demonstrators "
          "had marched through the city centre to protest against U.S. President Donald Trump's "
          "visit to the World Economic Forum in Davos, and that 12 people were detained.")
BAGHDAD = ("BAGHDAD, Dec 9 - Iraqi Prime Minister Haider al-Abadi declared victory over Islamic "
           "State on Saturday, saying Iraqi forces had driven the militants from the last "
           "territory they held along the Syrian border.")
FRENCH = ("PARIS, 19 janvier - Plus d'un million de personnes ont manifesté jeudi dans toute la "
          "France contre la réforme des retraites du gouvernement, selon le ministère de "
          "l'Intérieur, tandis que les syndicats appelaient à une nouvelle journée de grève.")
ARABIC = ("بغداد - أعلن رئيس الوزراء العراقي حيدر العبادي يوم السبت النصر على تنظيم الدولة "
          "الإسلامية، وقال إن القوات العراقية طردت المتشددين من آخر الأراضي التي كانوا "
          "يسيطرون عليها على طول الحدود السورية.")


def read(paths, **kwargs):
    return list(iter_inputs([str(p) for p in paths], **kwargs))


def only(items):
    assert len(items) == 1, items
    return items[0]


# --- plain text -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["erdogan-protests.txt"])
def test_ingest_text_header_sets_metadata(name):
    article = only(read([DATA / name]))
    assert isinstance(article, Article)
    assert article.id == "erdogan-protests"
    assert article.title == "Turkish police detain 25 over social media posts as protests spread"
    assert article.publisher == "Wire Desk"
    assert article.url == "https://wire.example.org/turkey-protests-izmir"
    assert (article.published, article.published_from) == (date(2013, 6, 5), "metadata")
    assert article.text.startswith("IZMIR, Turkey, June 5 - Turkish police detained 25 people")
    assert article.text.endswith("chanting anti-government slogans.")
    assert article.origin == str(DATA / name)


@pytest.mark.parametrize("header,expected_id,expected_date", [
    ("ID: iraq-victory-2017\ntitle: Iraq declares victory over Islamic State\n"
     "published: 2017-12-09T14:05:00+03:00\n\n", "iraq-victory-2017", date(2017, 12, 9)),
])
def test_ingest_text_header_keys_case_insensitive(tmp_path, header, expected_id, expected_date):
    path = tmp_path / "story.txt"
    path.write_text(header + BAGHDAD, encoding="utf-8")
    article = only(read([path]))
    assert article.id == expected_id
    assert article.title == "Iraq declares victory over Islamic State"
    assert article.published == expected_date
    assert article.text == BAGHDAD


@pytest.mark.parametrize("body", [
    BAGHDAD + "\n\nTitle: this line is body text, not a header, because it is not first.",
    "Iraq declares victory\n" + BAGHDAD,
])
def test_ingest_text_without_header_is_all_body(tmp_path, body):
    path = tmp_path / "iraq-victory.txt"
    path.write_text(body, encoding="utf-8")
    article = only(read([path], published=date(2017, 12, 10)))
    assert article.title is None
    assert article.id == "iraq-victory"
    assert article.text == body
    assert (article.published, article.published_from) == (date(2017, 12, 10), "option")


@pytest.mark.parametrize("header,option,expected", [
    ("Published: 2017-12-09\n\n", date(2017, 12, 10), (date(2017, 12, 9), "metadata")),
    ("", date(2017, 12, 10), (date(2017, 12, 10), "option")),
    ("", None, (None, "missing")),
])
def test_ingest_published_fallback_is_recorded(tmp_path, header, option, expected):
    path = tmp_path / "a.txt"
    path.write_text(header + BAGHDAD, encoding="utf-8")
    article = only(read([path], published=option))
    assert (article.published, article.published_from) == expected


@pytest.mark.parametrize("value", ["09/12/2017", "2017-13-40"])
def test_ingest_text_bad_header_date_is_record_problem(tmp_path, value):
    path = tmp_path / "a.txt"
    path.write_text(f"Title: Iraq\nPublished: {value}\n\n{BAGHDAD}", encoding="utf-8")
    item = only(read([path]))
    assert isinstance(item, InputProblem)
    assert (item.code, item.origin) == ("E-RECORD", f"{path}:2")
    assert value in item.message


# --- HTML -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["un-mali-2022.html"])
def test_ingest_html_keeps_body_drops_boilerplate(name):
    article = only(read([DATA / name]))
    assert isinstance(article, Article)
    assert article.text.startswith("UNITED NATIONS, June 29 - The U.N. Security Council")
    assert "Russia and China abstained" in article.text
    assert article.text.endswith("could hamper the mission's work.")
    for boilerplate in ("Home", "cookies", "Most read", "Celebrity chef", "Copyright",
                        "Privacy policy", "newsletter", "By Staff Reporter"):
        assert boilerplate not in article.text
    assert article.text.count("\n\n") == 2  # three paragraphs, headline not repeated
    assert article.title == "UN Security Council extends Mali peacekeeping mission"
    assert article.publisher == "Global Wire"
    assert article.url == "https://news.example.org/world/africa/un-mali-mission-2022"
    assert (article.published, article.published_from) == (date(2022, 6, 29), "metadata")
    assert article.id == "un-mali-2022"


@pytest.mark.parametrize("origin", ["-", "upload"])
def test_ingest_html_is_sniffed_without_extension(origin):
    data = (DATA / "un-mali-2022.html").read_bytes()
    article = only(list(read_bytes(data, origin=origin)))
    assert article.title == "UN Security Council extends Mali peacekeeping mission"
    assert "<p>" not in article.text
    assert article.id == ("stdin" if origin == "-" else "upload")


@pytest.mark.parametrize("html", [
    b"<html><head><title>World</title></head><body><nav><a href='/'>Home</a> "
    b"<a href='/world'>World</a></nav><footer>Copyright 2023</footer></body></html>",
])
def test_ingest_html_without_main_text_is_extract_problem(tmp_path, html):
    path = tmp_path / "index.html"
    path.write_bytes(html)
    item = only(read([path]))
    assert (item.code, item.origin) == ("E-EXTRACT", str(path))


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_ingest_html_bomb_is_refused_quickly(tmp_path, depth):
    path = tmp_path / "bomb.html"
    path.write_bytes(b"<html><body>" + b"<div><span>" * depth + b"<p>" + BAGHDAD.encode()
                     + b"</p>" + b"</span></div>" * depth + b"</body></html>")
    start = time.perf_counter()
    item = only(read([path]))
    assert time.perf_counter() - start < 5
    assert item.code == "E-EXTRACT"
    assert "nests elements more than 400 levels" in item.message


# --- feeds ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name,expected", [
    ("world.rss", [
        ("https://news.example.org/sudan-truce", "Sudan army and RSF agree to 72-hour truce",
         date(2023, 4, 25), "Example World News",
         "KHARTOUM, April 25 - Sudan's army and the paramilitary Rapid Support Forces agreed"),
        ("https://news.example.org/finland-nato", "Finland joins NATO", date(2023, 4, 4),
         "Example World News", "BRUSSELS, April 4 - Finland became the 31st member of NATO"),
    ]),
    ("wire.atom", [
        ("urn:wire:2023-02-23-unga", "UN General Assembly demands Russian withdrawal from Ukraine",
         date(2023, 2, 23), "Wire Desk Atom", "UNITED NATIONS, Feb 23 - The U.N. General Assembly"),
        ("urn:wire:2023-02-24-quake", "Turkey earthquake death toll rises", date(2023, 2, 24),
         "Wire Desk Atom", "ANKARA, Feb 24 - Rescue teams in southern Turkey"),
    ]),
])
def test_ingest_feed_gives_one_article_per_entry(name, expected):
    articles = read([DATA / name], published=date(2000, 1, 1))
    got = [(a.id, a.title, a.published, a.publisher) for a in articles]
    assert got == [row[:4] for row in expected]
    for article, row in zip(articles, expected):
        assert article.text.startswith(row[4])
        assert article.published_from == "metadata"
        assert "<p>" not in article.text


@pytest.mark.parametrize("name", ["world.rss"])
def test_ingest_feed_html_summary_keeps_paragraphs(name):
    first = read([DATA / name])[0]
    assert first.text.endswith("Blinken said.\n\nForeign governments raced to evacuate their citizens.")
    assert first.url == "https://news.example.org/sudan-truce"


@pytest.mark.parametrize("entries,expected", [
    ("<item><title>Finland joins NATO</title><guid>nato-31</guid>"
     "<description>BRUSSELS, April 4 - Finland became the 31st member of NATO on Tuesday."
     "</description></item><item><title>Photo gallery</title><guid>gallery-7</guid></item>",
     ["nato-31", "E-RECORD"]),
])
def test_ingest_feed_entry_without_text_is_record_problem(tmp_path, entries, expected):
    path = tmp_path / "desk.rss"
    path.write_text(f"<rss version='2.0'><channel><title>Desk</title>{entries}</channel></rss>",
                    encoding="utf-8")
    items = read([path])
    assert [getattr(i, "code", None) or i.id for i in items] == expected
    assert items[1].origin == f"{path}#2"
    assert "feed entry 2 (gallery-7) has no content or summary" in items[1].message


@pytest.mark.parametrize("name,data,reason", [
    ("broken.rss", b"<rss version='2.0'><channel><title>Wire</ti", "could not be parsed"),
    ("note.xml", b"<?xml version='1.0'?><note><to>desk</to></note>", "no entries"),
])
def test_ingest_feed_without_entries_is_feed_problem(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    item = only(read([path]))
    assert (item.code, item.origin) == ("E-FEED", str(path))
    assert reason in item.message


# --- JSONL ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["news-dev/articles.jsonl"])
def test_ingest_jsonl_reads_news_dev(shared_data, name):
    items = read([shared_data / name])
    assert len(items) == 50
    assert all(isinstance(a, Article) for a in items)
    first = items[0]
    assert first.id.startswith("dv01-1987")
    assert first.text.startswith("LONDON, Feb 26 - Iran announced")
    assert first.origin == f"{shared_data / name}:1"
    assert {a.published_from for a in items} == {"metadata"}
    assert items[-1].origin == f"{shared_data / name}:50"


@pytest.mark.parametrize("lines,expected", [
    ([json.dumps({"id": "iraq-1", "text": BAGHDAD, "published": "2017-12-09T10:00:00Z",
                  "title": "Iraq declares victory", "publisher": "Wire Desk"}),
      "{\"id\": \"broken\", \"text\": ",
      "[\"not\", \"an\", \"object\"]",
      json.dumps({"id": "no-text", "title": "Headline only"}),
      json.dumps({"id": "bad-date", "text": BAGHDAD, "published": "9 Dec 2017"}),
      "",
      json.dumps({"id": "zurich-1", "text": ZURICH})],
     [("Article", "iraq-1"), ("E-RECORD", ":2"), ("E-RECORD", ":3"), ("E-RECORD", ":4"),
      ("E-RECORD", ":5"), ("Article", "zurich-1")]),
])
def test_ingest_jsonl_bad_lines_reported_good_lines_kept(tmp_path, lines, expected):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read([path])
    got = [("Article", i.id) if isinstance(i, Article) else (i.code, i.origin[len(str(path)):])
           for i in items]
    assert got == expected
    assert items[0].published == date(2017, 12, 9)
    assert items[0].origin == f"{path}:1"
    assert items[-1].origin == f"{path}:7"
    assert "not valid JSON" in items[1].message
    assert "'no-text' has 'text' missing" in items[3].message
    assert "'9 Dec 2017' is not a YYYY-MM-DD date" in items[4].message


@pytest.mark.parametrize("cap", [1_000])
def test_ingest_jsonl_line_over_cap_skipped_alone(tmp_path, cap):
    path = tmp_path / "big.jsonl"
    long_text = " ".join([BAGHDAD] * 20)
    path.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in
                              [("a", BAGHDAD), ("b", long_text), ("c", ZURICH)]), encoding="utf-8")
    items = read([path], settings=Settings(max_input_bytes=cap))
    assert [getattr(i, "id", None) or i.code for i in items] == ["a", "E-TOO-LARGE", "c"]
    assert items[1].origin == f"{path}:2"
    size = len(json.dumps({"id": "b", "text": long_text}))
    assert f"line is {size:,} bytes, over the cap of 1,000 bytes" in items[1].message


# --- stdin and read_bytes -------------------------------------------------------------------

@pytest.mark.parametrize("data,expected_ids", [
    (f"Title: Iraq declares victory\n\n{BAGHDAD}".encode(), ["stdin"]),
    (b"\n".join(json.dumps({"id": i, "text": t}).encode() for i, t in
                [("iraq-1", BAGHDAD), ("zurich-1", ZURICH)]), ["iraq-1", "zurich-1"]),
])
def test_ingest_read_bytes_stdin_like(data, expected_ids):
    items = list(read_bytes(data, origin="-", published=date(2018, 1, 23)))
    assert [a.id for a in items] == expected_ids
    assert all(a.published_from == "option" for a in items)
    assert items[0].origin in ("-", "-:1")


@pytest.mark.parametrize("data", [f"Title: Iraq declares victory\n\n{BAGHDAD}".encode()])
def test_ingest_dash_reads_stdin(monkeypatch, data):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    article = only(read(["-"]))
    assert (article.id, article.origin, article.title) == ("stdin", "-", "Iraq declares victory")


@pytest.mark.parametrize("stdin", [None])
def test_ingest_dash_without_stdin_is_read_problem(monkeypatch, stdin):
    monkeypatch.setattr(sys, "stdin", stdin)
    item = only(read(["-"]))
    assert (item.code, item.origin, item.message) == ("E-READ", "-", "standard input is not available")


class _EndlessStream(io.RawIOBase):
    """A stdin that never ends; counts what was read from it."""

    def __init__(self):
        self.served = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"x" * len(buffer)
        self.served += len(buffer)
        return len(buffer)


@pytest.mark.parametrize("cap", [10_000])
def test_ingest_oversized_stdin_read_only_to_cap(monkeypatch, cap):
    endless = _EndlessStream()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(endless, 4096)))
    item = only(read(["-"], settings=Settings(max_input_bytes=cap)))
    assert (item.code, item.origin) == ("E-TOO-LARGE", "-")
    assert "10,000 bytes" in item.message
    assert endless.served <= cap + 2 * 4096  # the cap plus at most the buffer's read-ahead


@pytest.mark.parametrize("kind", ["pdf", "Text"])
def test_ingest_read_bytes_rejects_unknown_kind(kind):
    with pytest.raises(ValueError, match="E-KIND unknown input kind"):
        list(read_bytes(b"text", origin="-", kind=kind))


# --- bad inputs -----------------------------------------------------------------------------

@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "is empty"),
    ("blank.txt", b"  \n\t\r\n   \n", "contains only whitespace"),
    ("blank.html", b"\n\n   ", "contains only whitespace"),
    ("empty.jsonl", b"\n\n", "no JSON records"),
])
def test_ingest_empty_input_is_empty_problem(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    item = only(read([path]))
    assert (item.code, item.origin) == ("E-EMPTY", str(path))
    assert message in item.message
    assert str(item).startswith(f"{path}: E-EMPTY")


@pytest.mark.parametrize("name,data,message", [
    ("report.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>", "PDF document"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PNG image"),
    ("archive.jsonl", b"PK\x03\x04\x14\x00\x00\x00\x08\x00articles.jsonl", "ZIP archive"),
    ("dump.txt", b"Troops\x00\x00\x07\x00advanced\x00\x00", "NUL bytes"),
    ("ctrl.txt", b"\x1b\x02\x03\x04\x05\x06" * 20 + b"Troops advanced", "control bytes"),
])
def test_ingest_binary_input_is_binary_problem(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    item = only(read([path]))
    assert (item.code, item.origin) == ("E-BINARY", str(path))
    assert message in item.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-32", "utf-8-sig", "utf-16-le"])
def test_ingest_unicode_with_bom_decodes(tmp_path, encoding):
    text = f"Title: Davos protest\n\n{ZURICH}"
    data = ("\ufeff" + text).encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    path = tmp_path / "davos.txt"
    path.write_bytes(data)
    article = only(read([path]))
    assert article.title == "Davos protest"
    assert article.text == ZURICH


@pytest.mark.parametrize("encoding,text", [
    ("latin-1", ZURICH),
    ("cp1252", ZURICH.replace("Trump's", "Trump\u2019s")),
    ("latin-1", "Zürich"),
])
def test_ingest_legacy_western_encoding_decodes(tmp_path, encoding, text):
    path = tmp_path / "davos.txt"
    path.write_bytes(text.encode(encoding))
    article = only(read([path]))
    assert article.text == text
    assert "Zürich" in article.text


@pytest.mark.parametrize("data", [b"\x81\x8d\x8f\x90\x9d" * 40, bytes(range(0x80, 0x100)) * 4])
def test_ingest_undecodable_is_encoding_problem(tmp_path, data):
    path = tmp_path / "garbled.txt"
    path.write_bytes(data)
    item = only(read([path]))
    assert (item.code, item.origin) == ("E-ENCODING", str(path))
    assert "neither UTF-8" in item.message


@pytest.mark.parametrize("text,language", [(FRENCH, "French"), (ARABIC, "Arabic")])
def test_ingest_non_english_is_language_problem(tmp_path, text, language):
    path = tmp_path / "foreign.txt"
    path.write_text(text, encoding="utf-8")
    item = only(read([path]))
    assert (item.code, item.origin) == ("E-LANGUAGE", str(path))
    assert language in item.message


@pytest.mark.parametrize("text", [
    "Merkel meets Macron in Berlin.",
    "KABUL, Aug 15 - Taliban enter Kabul.",
    "Zelenskiy, Erdogan and Guterres meet in Lviv.",
])
def test_ingest_short_text_is_not_language_checked(tmp_path, text):
    path = tmp_path / "brief.txt"
    path.write_text(text, encoding="utf-8")
    assert only(read([path])).text == text


@pytest.mark.parametrize("cap", [1_000])
def test_ingest_oversized_file_is_too_large_problem(tmp_path, cap):
    path = tmp_path / "long.txt"
    path.write_text(" ".join([BAGHDAD] * 40), encoding="utf-8")
    size = path.stat().st_size
    item = only(read([path], settings=Settings(max_input_bytes=cap)))
    assert (item.code, item.origin) == ("E-TOO-LARGE", str(path))
    assert f"{size:,} bytes" in item.message and "cap of 1,000 bytes" in item.message


@pytest.mark.parametrize("chars", [100])
def test_ingest_overlong_article_is_too_large_problem(tmp_path, chars):
    path = tmp_path / "iraq.txt"
    path.write_text(BAGHDAD, encoding="utf-8")
    item = only(read([path], settings=Settings(max_article_chars=chars)))
    assert item.code == "E-TOO-LARGE"
    assert f"{len(BAGHDAD):,} characters, over the cap of 100" in item.message


@pytest.mark.parametrize("missing", ["no-such-dir/story.txt"])
def test_ingest_missing_path_is_notfound_and_batch_goes_on(tmp_path, missing):
    good = tmp_path / "iraq.txt"
    good.write_text(BAGHDAD, encoding="utf-8")
    items = read([tmp_path / missing, good])
    assert (items[0].code, items[0].origin) == ("E-NOTFOUND", str(tmp_path / missing))
    assert items[1].id == "iraq"


# --- directories ----------------------------------------------------------------------------

@pytest.mark.parametrize("files,expected", [
    ({"b-iraq.txt": BAGHDAD, "a/zurich.txt": ZURICH, ".hidden.txt": BAGHDAD,
      ".git/notes.txt": BAGHDAD, "c-empty.txt": ""},
     ["a/zurich.txt", "b-iraq.txt", "c-empty.txt:E-EMPTY"]),
])
def test_ingest_directory_is_recursed_sorted_hidden_skipped(tmp_path, files, expected):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    items = read([tmp_path])
    got = [Path(i.origin).relative_to(tmp_path).as_posix()
           + ("" if isinstance(i, Article) else f":{i.code}") for i in items]
    assert got == expected


@pytest.mark.parametrize("subdir", ["empty-dir"])
def test_ingest_directory_without_files_is_empty_problem(tmp_path, subdir):
    (tmp_path / subdir / ".cache").mkdir(parents=True)
    item = only(read([tmp_path / subdir]))
    assert (item.code, item.message) == ("E-EMPTY", "is a directory with no input files")
