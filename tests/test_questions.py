"""The competency questions (tests/questions/questions.yaml): each question's command, as
docs/questions.md gives it, must show the expected entities and the documents the answer rests on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from wbgraph.cli import main

HERE = Path(__file__).resolve().parent
QUESTIONS = yaml.safe_load((HERE / "questions" / "questions.yaml").read_text(encoding="utf-8"))
DOCS = HERE.parent / "docs" / "questions.md"
# machine-readable output, so that no value is wrapped or shortened
FULL_OUTPUT = {"query": ["--format", "csv"], "reach": ["--format", "csv"], "path": ["--format", "json"]}


def test_the_suite_is_large_and_mixed():
    assert len(QUESTIONS) >= 60
    assert sum(1 for q in QUESTIONS if q.get("multi_hop")) >= 15
    assert {q["user"] for q in QUESTIONS} == {"analyst", "researcher", "educator"}
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    for q in QUESTIONS:
        assert q["answer"] and q["evidence"] and q["expect"], q["id"]


def shell(args: list[str]) -> str:
    return "wbgraph " + " ".join(f'"{a}"' if (" " in a or not a) else a for a in args)


def test_docs_list_every_question_with_its_command():
    text = DOCS.read_text(encoding="utf-8")
    for q in QUESTIONS:
        assert q["question"] in text, q["id"]
        assert f"`{shell(q['command'])}`" in text, q["id"]


def shows(output: str, expected: str) -> bool:
    """A name anywhere (any case); a number only as a whole value, not inside "1569-1570" or "2060"."""
    if re.fullmatch(r"\d+(?:\.\d+)?", expected):
        return re.search(r"(?:^|[\s,;:(\"'])" + re.escape(expected) + r"(?:$|[\s,;:)%\"'])", output, re.M) is not None
    return expected.casefold() in output.casefold()


def mentions_source(output: str, short: str) -> bool:
    return any(form in output for form in (f"doc-{short}", f"({short},", f"; {short},"))


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q["id"])
def test_question_is_answered_by_its_command(q):
    args = [str(a) for a in q["command"]]
    result = CliRunner().invoke(main, args + FULL_OUTPUT.get(args[0], []), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    missing = [e for e in q["expect"] if not shows(result.output, str(e))]
    assert not missing, f"{q['id']} {q['question']}: {missing} not in `{shell(args)}`"
    unsourced = [s for s in q.get("sources", []) if not mentions_source(result.output, s)]
    assert not unsourced, f"{q['id']}: document(s) {unsourced} not cited by `{shell(args)}`"
