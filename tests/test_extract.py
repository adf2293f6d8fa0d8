"""`wbgraph extract`: candidate claims from new documents, their review and ingest, and bad input."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from wbgraph import cli
from wbgraph.cli import main
from wbgraph.errors import InputFileError
from wbgraph.extract import extract, write_review
from wbgraph.extract.mentions import mention_index
from wbgraph.extract.text import interleaved

DATA = Path(__file__).resolve().parent / "data" / "extract"
WBR = "https://w3id.org/wbgraph/id/"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def review_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def relation(rows, subject, obj):
    found = [r for r in rows if r["subject"] == subject and r["object"] == obj]
    assert found, f"no candidate {subject} -> {obj}"
    return found[0]


def written_files(folder: Path, keep: set[str]) -> set[str]:
    return {p.name for p in folder.iterdir()} - keep


# -- fixtures that cannot be committed as text ---------------------------------------------------

def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Northwind field notes"
    document.core_properties.created = datetime(2024, 3, 12, tzinfo=timezone.utc)
    document.add_paragraph("Northwind field notes", style="Title")
    document.add_paragraph("Russia reportedly supports Republika Srpska.")
    document.add_paragraph("China does not fund Serbia.")
    document.save(str(path))
    return path


LEFT = ["Russia reportedly supports", "Republika Srpska. China does", "not fund Serbia."]
RIGHT = ["The notes suggest that", "Turkiye exerts influence on", "Bosnia and Herzegovina."]


def make_pdf(path: Path, *, columns: bool = True, text: bool = True, password: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title("Northwind field notes")
    pdf.set_creation_date(datetime(2024, 3, 12, tzinfo=timezone.utc))
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    if text:
        for row, (left, right) in enumerate(zip(LEFT, RIGHT)):
            pdf.text(15, 30 + 6 * row, left)
            pdf.text(115 if columns else 15, 30 + 6 * row + (0 if columns else 30), right)
    else:
        pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


# -- the rules, on a plain text ------------------------------------------------------------------

def test_plain_text_relations_hedges_denial_and_lines(curated_store, tmp_path):
    document = shutil.copy(DATA / "notes.txt", tmp_path / "notes.txt")
    found = extract(curated_store, document)
    paths = write_review(curated_store, found, tmp_path / "review.csv")
    rows = review_rows(paths[0])
    stated = relation(rows, "Russia", "Republika Srpska")
    assert (stated["predicate"], stated["confidence"], stated["negated"]) == ("supports", "alleged", "false")
    assert (stated["line_start"], stated["line_end"]) == ("5", "5")
    assert "reportedly" in stated["why"] and stated["sentence"] == "Russia reportedly supports Republika Srpska."
    denied = relation(rows, "China", "Serbia")
    assert (denied["predicate"], denied["confidence"], denied["negated"]) == ("supports", "stated", "true")
    implied = relation(rows, "Türkiye", "Bosnia and Herzegovina")
    assert (implied["predicate"], implied["confidence"]) == ("exertsInfluenceOn", "implied")
    assert implied["mechanisms"] == "opaque investment deals"
    assert all(r["accept"] == "" for r in rows), "nothing is accepted until the analyst says so"
    # Cyrillic Serbian finds Serbia
    assert relation(rows, "Serbia", "NATO")["predicate"] == "cooperatesWith"
    # names that look like actors but are not in the graph, with their lines
    actors = review_rows(paths[1])
    assert {"Northwind Council": "9", "Example Town": "9"}.items() <= {r["label"]: r["found_on"] for r in actors}.items()
    source = review_rows(paths[2])[0]
    assert (source["label"], source["date"], source["file_name"], source["line_count"], source["accept"]) == (
        "Northwind field notes", "2024-03-12", "notes.txt", "9", "yes")


def test_mentions_any_case_accent_script_longest_first(curated_store):
    index = mention_index(curated_store)
    names = [(m.entity.iri, m.text) for m in index.find(
        "REPUBLIKA SRPSKA, Türkiye and turkiye, Србија and Srbija, but not al in et al.")]
    assert names == [(WBR + "republika-srpska", "REPUBLIKA SRPSKA"), (WBR + "turkiye", "Türkiye"),
                     (WBR + "turkiye", "turkiye"), (WBR + "serbia", "Србија"), (WBR + "serbia", "Srbija")]


@pytest.mark.parametrize("name, lines", [("notes.md", {"Russia": ("8", "8"), "China": ("9", "9")}),
                                         ("notes.html", {"Russia": ("10", "11"), "China": ("12", "12")})])
def test_markdown_and_html_keep_physical_lines(curated_store, tmp_path, name, lines):
    document = shutil.copy(DATA / name, tmp_path / name)
    found = extract(curated_store, document)
    assert (found.title, found.date) == ("Northwind field notes", "2024-03-12")
    rows = review_rows(write_review(curated_store, found, tmp_path / "review.csv")[0])
    assert (relation(rows, "Russia", "Republika Srpska")["line_start"],
            relation(rows, "Russia", "Republika Srpska")["line_end"]) == lines["Russia"]
    assert relation(rows, "China", "Serbia")["negated"] == "true"
    assert not [r for r in rows if "Russia supports Serbia" in r["sentence"]], "text inside <script> is not read"


def test_docx_paragraph_locators(curated_store, tmp_path):
    found = extract(curated_store, make_docx(tmp_path / "notes.docx"))
    assert (found.title, found.date) == ("Northwind field notes", "2024-03-12")
    rows = review_rows(write_review(curated_store, found, tmp_path / "review.csv")[0])
    row = relation(rows, "Russia", "Republika Srpska")
    assert (row["locator"], row["line_start"], row["confidence"]) == ("paragraphs 2", "", "alleged")
    assert relation(rows, "China", "Serbia")["negated"] == "true"


def test_pdf_two_columns_read_column_by_column(curated_store, tmp_path):
    found = extract(curated_store, make_pdf(tmp_path / "notes.pdf"))
    assert (found.title, found.date, found.pages) == ("Northwind field notes", "2024-03-12", 1)
    rows = review_rows(write_review(curated_store, found, tmp_path / "review.csv")[0])
    russia = relation(rows, "Russia", "Republika Srpska")
    assert russia["sentence"] == "Russia reportedly supports Republika Srpska."
    assert russia["locator"] == "page 1, lines 1-2"
    assert relation(rows, "China", "Serbia")["negated"] == "true"
    turkiye = relation(rows, "Türkiye", "Bosnia and Herzegovina")
    assert (turkiye["locator"], turkiye["confidence"]) == ("page 1, lines 4-6", "implied")


def test_interleaved_text_columns_are_read_apart(curated_store, tmp_path):
    lines = (DATA / "columns.txt").read_text(encoding="utf-8").splitlines()
    assert interleaved(lines) and not interleaved((DATA / "notes.txt").read_text(encoding="utf-8").splitlines())
    found = extract(curated_store, DATA / "columns.txt")
    assert found.columns == 2
    russia = [c for c in found.candidates if (c.subject, c.object) == (WBR + "russia", WBR + "republika-srpska")]
    assert russia[0].sentence.text.startswith("Russia reportedly supports Republika Srpska, while China does not fund")
    assert (russia[0].sentence.line_start, russia[0].sentence.line_end) == (1, 13)
    turkiye = [c for c in found.candidates if c.subject == WBR + "turkiye" and c.predicate == "exertsInfluenceOn"]
    assert turkiye[0].object == WBR + "bosnia-and-herzegovina"
    one = extract(curated_store, DATA / "columns.txt", columns="1")
    assert not [c for c in one.candidates if c.subject == WBR + "turkiye" and c.predicate == "exertsInfluenceOn"]


# -- review and ingest ---------------------------------------------------------------------------

def test_review_round_trip_imports_only_accepted_rows(tmp_path):
    document = shutil.copy(DATA / "notes.txt", tmp_path / "notes.txt")
    result = run("extract", document, "-o", tmp_path / "review.csv")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    review = tmp_path / "review.csv"
    rows = review_rows(review)
    for row in rows:
        if (row["subject"], row["object"]) == ("Russia", "Republika Srpska"):
            row["accept"] = "yes"
        elif (row["subject"], row["object"]) == ("China", "Serbia"):
            row["accept"] = "no"
    with review.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run("ingest", review)
    assert result.exit_code == 0, result.output
    assert f"{len(rows) - 1} row(s) not accepted, not imported" in result.output
    overlay = (tmp_path / "review.ttl").read_text(encoding="utf-8")
    assert overlay.count("a wb:Claim") == 1
    assert "wbr:russia" in overlay and "wbr:china" not in overlay
    assert "wb:fileName \"notes.txt\"" in overlay
    assert "reportedly" not in overlay, "the sentence column is never imported"
    assert run("--with", tmp_path / "review.ttl", "validate").exit_code == 0


def test_review_accepted_row_goes_through_the_usual_checks(tmp_path):
    document = shutil.copy(DATA / "notes.txt", tmp_path / "notes.txt")
    run("extract", document, "-o", tmp_path / "review.csv")
    review = tmp_path / "review.csv"
    rows = review_rows(review)
    blank = next(r for r in rows if r["predicate"] == "")
    blank["accept"] = "yes"
    with review.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run("ingest", review)
    assert result.exit_code == 1
    assert "predicate" in result.output and "nothing was written" in result.output
    assert not (tmp_path / "review.ttl").exists()
    blank["accept"] = "perhaps"
    with review.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run("ingest", review)
    assert result.exit_code == 1 and "'perhaps' is neither yes nor no" in result.output
    assert not (tmp_path / "review.ttl").exists()


def test_known_document_cites_its_existing_source(seeds, tmp_path):
    document = shutil.copy(seeds / "002_a52496ff04537dbf.txt", tmp_path / "002_a52496ff04537dbf.txt")
    assert run("extract", document).exit_code == 0
    rows = review_rows(tmp_path / "002_a52496ff04537dbf-review.csv")
    assert {r["source"] for r in rows} == {"wbr:doc-002"}
    source = (tmp_path / "002_a52496ff04537dbf-review-source.csv").read_text(encoding="utf-8")
    assert "already in the graph as wbr:doc-002" in source and "\nno,wbr:doc-002," in source


# -- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, make, message", [
    ("scan.pdf", lambda p: make_pdf(p, text=False), "has no text layer"),
    ("locked.pdf", lambda p: make_pdf(p, password="secret"), "encrypted"),
    ("broken.pdf", lambda p: p.write_bytes(b"%PDF-1.4\nnot really a pdf"), "not a readable PDF"),
    ("empty.txt", lambda p: p.write_bytes(b""), "the file is empty"),
    ("blank.md", lambda p: p.write_text("\n\n   \n"), "holds no text"),
    ("notes.rtf", lambda p: p.write_text("{\\rtf1 Russia}"), "cannot extract from '.rtf' files"),
    ("latin.txt", lambda p: p.write_bytes(b"Russia supports Serbia.\n" * 50 + b"T\xfcrkiye\n"), "not utf-8"),
    ("broken.docx", lambda p: p.write_bytes(b"PK\x03\x04 nothing"), "not a readable Word document"),
])
def test_bad_input_clear_message_and_nothing_written(tmp_path, name, make, message):
    make(tmp_path / name)
    result = run("extract", tmp_path / name, "-o", tmp_path / "review.csv")
    assert result.exit_code == 1
    assert message in result.output and name in result.output
    assert written_files(tmp_path, {name}) == set()


@pytest.mark.parametrize("encoding, option", [("utf-16", None), ("cp1250", "cp1250"), ("utf-16-le", "utf-16-le")])
def test_other_encodings(curated_store, tmp_path, encoding, option):
    document = tmp_path / "notes.txt"
    document.write_bytes((DATA / "notes.txt").read_text(encoding="utf-8").replace("Србија", "Srbija")
                         .encode(encoding))
    found = extract(curated_store, document, **({"encoding": option} if option else {}))
    rows = {(c.subject, c.predicate, c.object, c.sentence.line_start) for c in found.candidates}
    assert (WBR + "russia", "supports", WBR + "republika-srpska", 5) in rows
    assert (WBR + "serbia", "cooperatesWith", WBR + "nato", 8) in rows


def test_scanned_pdf_says_it_needs_ocr(curated_store, tmp_path):
    with pytest.raises(InputFileError, match="ocrmypdf"):
        extract(curated_store, make_pdf(tmp_path / "scan.pdf", text=False))


def test_large_file_streams_with_a_progress_bar(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "PROGRESS_ABOVE", 10_000)
    paragraph = (DATA / "notes.txt").read_text(encoding="utf-8").split("\n\n", 2)[2]
    big = tmp_path / "big.txt"
    big.write_text("Big notes\n\n" + "\n".join([paragraph] * 60), encoding="utf-8")
    assert big.stat().st_size > 10_000
    result = CliRunner().invoke(main, ["extract", str(big), "-o", str(tmp_path / "review.csv")])
    assert result.exit_code == 0, result.output
    assert "reading big.txt" in result.output
    rows = review_rows(tmp_path / "review.csv")
    assert len([r for r in rows if (r["subject"], r["object"]) == ("Russia", "Republika Srpska")]) == 60


# -- quality on the source documents -------------------------------------------------------------

@pytest.mark.seeds
def test_candidates_cover_most_curated_claims(curated_store, seeds):
    from wbgraph.extract.quality import compare_with_claims

    claims = found = 0
    for path in sorted(seeds.glob("00*.txt")):
        extraction = extract(curated_store, path)
        quality = compare_with_claims(curated_store, extraction, WBR + "doc-" + path.name[:3])
        assert quality.claims and quality.found, path.name
        assert extraction.columns == (2 if path.name.startswith("003") else 1), path.name
        claims, found = claims + quality.claims, found + quality.found
    assert found / claims >= 0.6


def test_passive_cues_and_sentences_that_point_back(curated_store, tmp_path):
    document = tmp_path / "more.txt"
    document.write_text("More notes\n\nSerbia is supported by Russia in many ways.\n"
                        "EULEX Kosovo works in the north. It counters organised crime.\n"
                        "\nChina sent envoys. Montenegro received them.\n", encoding="utf-8")
    found = {(c.subject.removeprefix(WBR), c.predicate, c.object.removeprefix(WBR)): c
             for c in extract(curated_store, document).candidates}
    assert ("russia", "supports", "serbia") in found
    carried = found[("eulex-kosovo", "countersThreat", "threat-organised-crime")]
    assert carried.sentence.text == "It counters organised crime." and "'It'" in carried.why
    across = found[("china", "", "montenegro")]
    assert (across.sentence.line_start, across.why) == (6, "'China' in the sentence before, no cue word")


def test_qualifiers_nested_names_and_events(curated_store, tmp_path):
    document = tmp_path / "panel.txt"
    document.write_text(
        "Panel notes\n\n"
        "Russia supports Republika Srpska amid organised crime in the energy sector.\n"
        "The Ministry of Interior of Albania sent a delegate.\n\n"
        "8th Regional Security Coordination Conference - opening\n\n"
        "Speakers came from Montenegro.\n", encoding="utf-8")
    found = {(c.subject.removeprefix(WBR), c.predicate, c.object.removeprefix(WBR)): c
             for c in extract(curated_store, document).candidates}
    row = found[("russia", "supports", "republika-srpska")]
    assert (row.threats, row.sectors) == ([WBR + "threat-organised-crime"], [WBR + "sector-energy"])
    assert ("ministry-of-interior-albania", "partOf", "albania") in found
    event = found[("montenegro", "involvedIn", "event-8th-regional-security-coordination-conference")]
    assert "heading" in event.why


def test_extract_keeps_a_review_with_accepted_rows(tmp_path):
    document = shutil.copy(DATA / "notes.txt", tmp_path / "notes.txt")
    assert run("extract", document, "-o", tmp_path / "review.csv").exit_code == 0
    review = tmp_path / "review.csv"
    text = review.read_text(encoding="utf-8").splitlines()
    text[1] = "yes" + text[1]
    review.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = run("extract", document, "-o", review)
    assert result.exit_code == 1 and "already holds 1 accepted row(s)" in result.output
    assert review.read_text(encoding="utf-8").splitlines()[1].startswith("yes")
    assert run("extract", document, "-o", review, "--force").exit_code == 0
    assert not review.read_text(encoding="utf-8").splitlines()[1].startswith("yes")
