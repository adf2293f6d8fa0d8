"""`wbgraph extract` on the five source documents: quality against the curated claims, and speed.

Run: python bench/bench_extract.py [--seeds ../shared/seeds] [--pages 100]

Quality: for each document, the share of its curated claims that some candidate covers (same subject
and object, lines within 3; the predicate is not compared) and the share of candidates that match a
curated claim. Speed: extracting document 001, against a baseline measured in the same run (every
name of the graph searched in the text one by one with str.find, the plain way to find mentions), and
a PDF of --pages two-column pages made from document 001's text, against pdfminer's own
extract_text on the same file (the cost of the text layer alone). Times are processor seconds of this
process (time.process_time), so that other work on the machine does not count.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from wbgraph.extract import extract
from wbgraph.extract.mentions import fold_text, mention_index
from wbgraph.extract.quality import compare_with_claims
from wbgraph.store import load_graph

WBR = "https://w3id.org/wbgraph/id/"


def timed(function, *args, **kwargs):
    """The value, and the processor time it took (wall time is noisy on a shared machine)."""
    start = time.process_time()
    value = function(*args, **kwargs)
    return value, time.process_time() - start


def naive_mentions(store, path: Path) -> int:
    names = [fold_text(n)[0] for n in mention_index(store).known]
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        folded = fold_text(line)[0]
        count += sum(1 for n in names if n in folded)
    return count


def two_column_pdf(text: str, pages: int, path: Path) -> Path:
    from fpdf import FPDF

    words = text.encode("latin-1", "replace").decode("latin-1").split()
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=9)
    position = 0
    for _ in range(pages):
        pdf.add_page()
        for x in (12, 108):
            for row in range(60):
                line = []
                while len(" ".join(line)) < 48:
                    line.append(words[position % len(words)])
                    position += 1
                pdf.text(x, 15 + 4.4 * row, " ".join(line))
    pdf.output(str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=Path(os.environ.get("WBGRAPH_SOURCES", "../shared/seeds")))
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="Keep a copy of the generated PDF here.")
    args = parser.parse_args()
    store = load_graph()
    mention_index(store)
    documents = sorted(args.seeds.glob("00*.txt"))
    print("| document | curated claims | found | recall | candidates | matching | match share | read as |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    totals = [0, 0, 0, 0]
    for path in documents:
        found = extract(store, path)
        quality = compare_with_claims(store, found, WBR + "doc-" + path.name[:3])
        totals = [a + b for a, b in zip(totals, (quality.claims, quality.found, quality.candidates, quality.matching))]
        print(f"| {path.name[:3]} | {quality.claims} | {quality.found} | {quality.recall:.0%} | {quality.candidates} "
              f"| {quality.matching} | {quality.match_share:.0%} | {'two columns' if found.columns == 2 else 'one column'} |")
    print(f"| all | {totals[0]} | {totals[1]} | {totals[1] / totals[0]:.0%} | {totals[2]} | {totals[3]} "
          f"| {totals[3] / totals[2]:.0%} | |")
    big = next(p for p in documents if p.name.startswith("001"))
    _, baseline = timed(naive_mentions, store, big)
    _, ours = timed(extract, store, big)
    print(f"\n001 ({big.stat().st_size // 1000} KB): extract {ours:.2f} s; baseline (str.find per name) "
          f"{baseline:.2f} s; ratio {ours / baseline:.2f}")
    from pdfminer.high_level import extract_text

    with tempfile.TemporaryDirectory() as folder:
        pdf = two_column_pdf(big.read_text(encoding="utf-8"), args.pages, Path(folder) / "long.pdf")
        if args.keep:
            import shutil

            shutil.copy(pdf, args.keep)
        _, layer = timed(extract_text, str(pdf))
        found, ours = timed(extract, store, pdf)
    print(f"{args.pages}-page two-column PDF: extract {ours:.2f} s ({found.sentences} sentences, "
          f"{len(found.candidates)} candidates); baseline (pdfminer extract_text) {layer:.2f} s; "
          f"ratio {ours / layer:.2f}")


if __name__ == "__main__":
    main()
