"""Compare the structured extractions in this folder with the curated graph, and list every difference.

Each ``doc-NNN.yaml`` is one curator's reading of one document: the entities it names (with a kind), the
relations it states (with lines and confidence), its figures (with their bound) and the dates it gives.
``doc-NNN.yaml`` in this folder is the first pass (one curator, who had seen parts of the graph);
``independent/doc-NNN.yaml`` are readings by independent curators who read the whole document without
seeing the graph, each naming its curator in a ``# Curator X:`` comment at the top. This script resolves
every name against the graph's labels and alternate labels and reports, per document, per curator and per
kind, how much of each extraction the graph holds:

- an entity is held when some node of the graph carries its name (or one of its ``aliases``) as a label, an
  alternate label or a title; a remark in brackets at the end of a name ("(PRIF blog, 2023)") and a title's
  subtitle after a colon may be left off;
- a relation is held as a claim when a claim taken from the same document links the same two nodes
  (either direction), and held differently when the document has a claim from the subject that names
  the object as a qualifier (mechanism, threat, target, sector, vulnerability) or as its object;
- a figure is held when an indicator of the same document has that value near the given lines, and its
  bound matches when the indicator's ``wb:bound`` says the same (no bound means exactly);
- a date is held when a node named by ``what`` carries it (``wb:date``, ``wb:endDate``, ``dcterms:date``), or a
  claim about that node does (``wb:validFrom``, ``wb:validUntil``).

An item the graph does not hold must carry ``left_out: <reason>``; the test
``tests/test_extractions.py`` fails on an unexplained difference.

Usage (from the repository root)::

    python docs/extractions/compare.py                 # the working tree's graph
    python docs/extractions/compare.py --rev fbee2dd   # the graph as it was at a commit
    python docs/extractions/compare.py --differences   # list every item the graph does not hold
    python docs/extractions/compare.py --also /work/indep   # measure further readings not yet copied here
    python docs/extractions/compare.py --drop-stale    # after new claims: remove reasons on items now held
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
KINDS = ("actor", "person", "threat", "mechanism", "vulnerability", "event", "policy")
QUALIFIERS = ("wb:mechanism", "wb:threat", "wb:target", "wb:sector", "wb:vulnerability")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name.

    >>> fold("Kapetanović ") == fold("kapetanovic")
    True
    """
    text = unicodedata.normalize("NFKD", str(text).replace("’", "'").replace("–", "-"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def short_name(name: str) -> str:
    """A name without a trailing remark in brackets, as labels and curators add a year or publisher.

    >>> short_name("Regime competition in a fragmented world (PRIF blog, 2023)")
    'Regime competition in a fragmented world'
    >>> short_name("Thematic Panel 1 (security challenges and trends)")
    'Thematic Panel 1'
    >>> short_name("Kosovo*")
    'Kosovo*'
    """
    text = str(name).strip()
    if text.endswith(")") and " (" in text:
        head = text.rsplit(" (", 1)[0].strip()
        return head or text
    return text


# Curators name bounds in their own words; these are the graph's names for the same bounds.
BOUND_NAMES = {"about": "approximately", "around": "approximately", "almost": "less than", "over": "more than",
               "exact": "exactly"}

FIRST_PASS = "first pass"
CURATOR = re.compile(r"^#.*?\b[Cc]urator ([A-Z]\w*)\b", re.MULTILINE)


def curator_of(text: str, default: str = FIRST_PASS) -> str:
    """The curator an extraction names in a comment (``# Curator X: ...``, ``... by curator X``), or ``default``.

    >>> curator_of("# Curator C: read in full\\ndocument: doc-000\\n")
    'C'
    >>> curator_of("# Independent reading by curator B, 2026\\n")
    'B'
    >>> curator_of("document: doc-000\\n")
    'first pass'
    """
    found = CURATOR.search(text)
    return found.group(1) if found else default


def load_extractions(*folders: Path) -> list[dict]:
    """Every extraction: the first pass in this folder and the independent readings in ``independent/``.

    Each entry has ``doc``, ``curator``, ``path`` and ``data`` (the parsed YAML).
    """
    readings = []
    for folder in folders or (HERE, HERE / "independent"):
        for path in sorted(Path(folder).glob("doc-*.yaml")):
            text = path.read_text(encoding="utf-8")
            readings.append({"doc": path.stem, "curator": curator_of(text), "path": path,
                             "data": yaml.safe_load(text)})
    return readings


def open_graph(rev: str | None = None):
    """The curated graph of the working tree, or of a commit (its graph/ files read with git)."""
    sys.path.insert(0, str(REPO / "src"))
    from wbgraph.store import load_graph

    if rev is None:
        return load_graph()
    names = subprocess.run(["git", "-C", str(REPO), "ls-tree", "--name-only", rev, "graph/"],
                           capture_output=True, text=True, check=True).stdout.split()
    folder = Path(tempfile.mkdtemp(prefix="wbgraph-rev-"))
    files = []
    for name in names:
        text = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{name}"],
                              capture_output=True, text=True, check=True).stdout
        path = folder / Path(name).name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return load_graph(files, curated=False)


class GraphIndex:
    """What the comparison needs from the graph, read once."""

    def __init__(self, store) -> None:
        self.names: dict[str, set[str]] = defaultdict(set)
        for node, name, kind in store.query_text("""
                SELECT ?x ?n ?k WHERE {
                  { ?x rdfs:label|skos:altLabel|skos:prefLabel ?n BIND("label" AS ?k) }
                  UNION { ?x dcterms:title ?n BIND("title" AS ?k) }
                }"""):
            for variant in {name, short_name(name), *([name.split(": ", 1)[0]] if kind == "title" else [])}:
                self.names[fold(variant)].add(node)
        self.claims: dict[str, list[tuple[str, str, dict[str, set[str]]]]] = defaultdict(list)
        rows = store.query_text("""
            SELECT ?c ?s ?o ?doc ?q ?v WHERE {
              ?c a wb:Claim ; rdf:subject ?s ; rdf:object ?o ; prov:wasDerivedFrom ?doc .
              OPTIONAL { ?c ?q ?v VALUES ?q { wb:mechanism wb:threat wb:target wb:sector wb:vulnerability } }
            }""")
        by_claim: dict[str, tuple[str, str, str, set[str]]] = {}
        for claim, s, o, doc, _q, v in rows:
            entry = by_claim.setdefault(claim, (s, o, doc.rsplit("/", 1)[-1], set()))
            if v:
                entry[3].add(v)
        for s, o, doc, quals in by_claim.values():
            self.claims[doc].append((s, o, quals))
        self.figures: dict[str, list[tuple[float, int, int, str]]] = defaultdict(list)
        for _i, value, doc, start, end, bound in store.query_text("""
            SELECT ?i ?v ?doc ?a ?b ?bound WHERE {
              ?i a wb:Indicator ; wb:value ?v ; prov:wasDerivedFrom ?doc ; wb:lineStart ?a ; wb:lineEnd ?b .
              OPTIONAL { ?i wb:bound/skos:prefLabel ?bound }
            }"""):
            self.figures[doc.rsplit("/", 1)[-1]].append((float(value), int(start), int(end), bound or "exactly"))
        self.dates: dict[str, set[str]] = defaultdict(set)
        for node, date in store.query_text("""
                SELECT ?x ?d WHERE {
                  { ?x wb:date|wb:validFrom|dcterms:date|wb:endDate ?d }
                  UNION { ?c a wb:Claim ; rdf:subject ?x ; wb:validFrom|wb:validUntil ?d }
                }"""):
            self.dates[node].add(date)

    def resolve(self, item: dict) -> set[str]:
        found: set[str] = set()
        for name in [item.get("name") or item.get("what")] + list(item.get("aliases", [])):
            if name:
                found |= self.names.get(fold(name), set()) | self.names.get(fold(short_name(name)), set())
        return found


def _span(lines) -> tuple[int, int]:
    text = str(lines)
    start, _, end = text.partition("-")
    return int(start), int(end or start)


def compare(extractions: list[dict], index: GraphIndex) -> list[dict]:
    """One row per extracted item: document, curator, section, kind, text, status, the reason if left out."""
    out = []
    for reading in extractions:
        first = len(out)
        out.extend(_compare_one(reading["doc"], reading["data"], index))
        for row in out[first:]:
            row["curator"] = reading["curator"]
    return out


def _compare_one(doc: str, data: dict, index: GraphIndex) -> list[dict]:
    # A relation or date names an entity of the same reading, whose aliases count as its names too.
    aliases = {fold(e["name"]): list(e.get("aliases") or []) for e in data.get("entities") or []}

    def names(name, extra=()):
        return {"name": name, "aliases": [*extra, *aliases.get(fold(name), [])]}

    out = []
    for item in data.get("entities") or []:
        held = bool(index.resolve(item))
        out.append({"doc": doc, "section": "entities", "kind": item["kind"], "item": item["name"],
                    "lines": str(item.get("lines", "")), "status": "held" if held else "missing",
                    "left_out": item.get("left_out")})
    for item in data.get("relations") or []:
        subjects = index.resolve(names(item["subject"], item.get("subject_aliases", [])))
        objects = index.resolve(names(item["object"], item.get("object_aliases", [])))
        status = "missing"
        for s, o, quals in index.claims.get(doc, []):
            if (s in subjects and o in objects) or (s in objects and o in subjects):
                status = "claim"
                break
            if s in subjects and quals & objects:
                status = "held differently"
        out.append({"doc": doc, "section": "relations", "kind": "relation",
                    "item": f"{item['subject']} -[{item['predicate']}]-> {item['object']}",
                    "lines": str(item.get("lines", "")), "status": status, "left_out": item.get("left_out")})
    for item in data.get("figures") or []:
        start, end = _span(item["lines"])
        bound = BOUND_NAMES.get(item.get("bound", "exactly"), item.get("bound", "exactly"))
        status = "missing"
        for value, a, b, held_bound in index.figures.get(doc, []):
            if abs(value - float(item["value"])) < 1e-9 and a - 3 <= end and start <= b + 3:
                status = "held" if held_bound == bound else f"held, bound {held_bound} (text: {bound})"
                break
        out.append({"doc": doc, "section": "figures", "kind": "figure",
                    "item": f"{item.get('bound_text', '')}{item['value']} {item.get('unit', '')}".strip(),
                    "lines": str(item["lines"]), "status": status, "left_out": item.get("left_out")})
    for item in data.get("dates") or []:
        nodes = index.resolve(names(item["what"], item.get("aliases", [])))
        held = any(str(d).startswith(str(item["date"])) for n in nodes for d in index.dates.get(n, ()))
        out.append({"doc": doc, "section": "dates", "kind": "date", "item": f"{item['what']}: {item['date']}",
                    "lines": str(item.get("lines", "")), "status": "held" if held else "missing",
                    "left_out": item.get("left_out")})
    return out


def coverage_table(rows: list[dict]) -> str:
    """Markdown: per document and curator, and per curator, how many extracted items of each kind the graph holds."""
    kinds = [k for k in (*KINDS, "relation", "figure", "date") if any(r["kind"] == k for r in rows)]
    pairs = sorted({(r["doc"], r.get("curator", FIRST_PASS)) for r in rows})
    curators = sorted({c for _d, c in pairs})

    def cell(selected):
        if not selected:
            return "-"
        held = sum(r["status"] in ("held", "claim") for r in selected)
        return f"{held}/{len(selected)} ({100 * held / len(selected):.0f}%)"

    lines = ["| document | curator | " + " | ".join(kinds) + " | all |", "|---" * (len(kinds) + 3) + "|"]
    groups = [(doc, cur, lambda r, d=doc, c=cur: r["doc"] == d and r.get("curator", FIRST_PASS) == c)
              for doc, cur in pairs]
    groups += [("all", cur, lambda r, c=cur: r.get("curator", FIRST_PASS) == c) for cur in curators]
    groups.append(("all", "all", lambda r: True))
    for doc, cur, keep in groups:
        mine = [r for r in rows if keep(r)]
        cells = [cell([r for r in mine if r["kind"] == k]) for k in kinds]
        lines.append(f"| {doc} | {cur} | " + " | ".join(cells) + f" | {cell(mine)} |")
    return "\n".join(lines)


def reason_kind(reason: str) -> str:
    """The kind of a ``left_out`` reason: the words before its first colon.

    >>> reason_kind("held differently: claim-002-0009-a (Russia exerts influence on the region)")
    'held differently'
    >>> reason_kind("a turn of phrase, kept in an event's description")
    'other'
    """
    head, sep, _ = str(reason).partition(":")
    return head.strip() if sep and len(head) <= 30 else "other"


def reasons_table(rows: list[dict]) -> str:
    """Markdown: per curator, how many items were left out for each kind of reason."""
    left = [r for r in rows if r["left_out"]]
    kinds = sorted({reason_kind(r["left_out"]) for r in left})
    curators = sorted({r.get("curator", FIRST_PASS) for r in left})
    lines = ["| reason | " + " | ".join(curators) + " | all |", "|---" * (len(curators) + 2) + "|"]
    for kind in kinds:
        mine = [r for r in left if reason_kind(r["left_out"]) == kind]
        cells = [str(sum(r.get("curator", FIRST_PASS) == c for r in mine)) for c in curators]
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | {len(mine)} |")
    return "\n".join(lines)


def differences(rows: list[dict]) -> list[dict]:
    """Items the graph does not hold as the extraction says (missing, held differently, other bound)."""
    return [r for r in rows if r["status"] not in ("held", "claim")]


STALE_REASON = re.compile(r', left_out: "[^"]*"\}\s*$')


def drop_stale_reasons(readings: list[dict], rows: list[dict]) -> int:
    """Remove the ``left_out`` reason of every item the graph now holds, editing the files in place.

    Items are written one per line (``- {name: ...}``), in the order ``compare`` reads them; only the
    reason is removed, the rest of the line stays as the curator wrote it. Returns how many were removed.
    """
    removed, start = 0, 0
    for reading in readings:
        path = Path(reading["path"])
        lines = path.read_text(encoding="utf-8").split("\n")
        items = [i for i, line in enumerate(lines) if line.lstrip().startswith("- {")]
        mine = rows[start:start + len(items)]
        start += len(items)
        if any(r["doc"] != reading["doc"] for r in mine) or len(mine) != len(items):
            raise ValueError(f"{path}: items are not one per line; remove the stale reasons by hand")
        changed = False
        for i, row in zip(items, mine):
            if row["left_out"] and row["status"] in ("held", "claim") and STALE_REASON.search(lines[i]):
                lines[i] = STALE_REASON.sub("}", lines[i])
                removed += 1
                changed = True
        if changed:
            path.write_text("\n".join(lines), encoding="utf-8")
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", help="compare with the graph at this git commit instead of the working tree")
    parser.add_argument("--differences", action="store_true", help="list every item the graph does not hold")
    parser.add_argument("--reasons", action="store_true", help="count the left-out items by kind of reason")
    parser.add_argument("--drop-stale", action="store_true",
                        help="remove the left_out reason of every item the graph now holds (edits the files)")
    parser.add_argument("--also", action="append", default=[], type=Path, metavar="DIR",
                        help="also compare the doc-NNN.yaml readings in DIR (repeatable)")
    args = parser.parse_args(argv)
    readings = load_extractions() + [r for folder in args.also for r in load_extractions(folder)]
    rows = compare(readings, GraphIndex(open_graph(args.rev)))
    if args.drop_stale:
        print(f"removed {drop_stale_reasons(readings, rows)} stale reason(s)")
        rows = compare(readings, GraphIndex(open_graph(args.rev)))
    print(coverage_table(rows))
    if args.reasons:
        print("\n" + reasons_table(rows))
    if args.differences:
        print("\n| document | curator | kind | item | lines | status | left out because |\n|---|---|---|---|---|---|---|")
        for r in differences(rows):
            print(f"| {r['doc']} | {r['curator']} | {r['kind']} | {r['item']} | {r['lines']} | {r['status']} "
                  f"| {r['left_out'] or ''} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
