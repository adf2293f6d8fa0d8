"""What the command line prints for people fits the terminal: at 120 columns no line of any text view
(every library query's table, paths, reach, briefs, the reasons and hints) is wider, and no word is cut
to get there. One test over every view, so that a new query or command cannot slip past it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.queries import list_queries

WIDTH = 120

VIEWS = [["query", q.name] for q in list_queries()] + [
    ["queries"], ["stats"], ["search", "saudi"], ["search", "western"], ["sources"],
    ["path", "Russia", "foreign terrorist fighters"], ["path", "Russia", "Bosnia and Herzegovina"],
    ["path", "Russia", "Serbia"], ["path", "Russia", "Bosnia and Herzegovina", "--known-by", "2019"],
    ["reach", "China", "--max-hops", "2"], ["reach", "Russia"],
    ["brief", "Russia"], ["brief", "Bosnia and Herzegovina"], ["brief", "organised crime"], ["brief", "002"],
    ["query", "influence-on-country", "-p", "country=Serbia"],  # nothing found: the hint
    ["query", "contested-claims"],  # no rows
]


def too_wide(text: str) -> list[str]:
    """Lines wider than WIDTH that could have been wrapped (a single word longer than a line cannot)."""
    return [line for line in text.splitlines() if len(line) > WIDTH and len(line.split()) > 1
            and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("args", VIEWS, ids=lambda a: " ".join(a))
def test_every_text_view_fits_the_terminal(args):
    result = CliRunner(env={"COLUMNS": str(WIDTH)}).invoke(main, args)
    assert result.exit_code == 0, result.output
    wide = too_wide(result.stdout) + too_wide(result.stderr)
    assert not wide, f"`wbgraph {' '.join(args)}` prints {len(wide)} line(s) over {WIDTH} columns, e.g. {wide[0]!r}"


def test_a_table_never_cuts_a_word():
    """A table too wide for the terminal shows one block per row instead of cutting words into pieces."""
    result = CliRunner(env={"COLUMNS": str(WIDTH)}).invoke(main, ["query", "confidence-disagreements"])
    words = {w for line in result.stdout.splitlines() for w in line.split()}
    assert "confidence_a" in words and "confidenc" not in words and "streng" not in words
