"""A brief as Markdown, or as one self-contained HTML page: no script, no outside resource, every text
escaped."""

from __future__ import annotations

import html

from .brief import Brief, cite

__all__ = ["brief_fragment", "brief_html", "brief_markdown", "render_brief"]

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; }
.kind { color: #555; font-variant: small-caps; } .src { color: #555; font-size: .9em; white-space: nowrap; }
ul.notes { margin: .2rem 0 .5rem; color: #333; font-size: .95em; }
"""


def _item(line, *, tag: str = "li") -> str:
    notes = ""
    if line.notes:
        notes = '<ul class="notes">' + "".join(_item(n) for n in line.notes) + "</ul>"
    return (f"<{tag}>{html.escape(line.text)} <span class=\"src\">{html.escape(cite(line.sources))}</span>"
            f"{notes}</{tag}>")


def brief_fragment(brief: Brief) -> str:
    """The brief's body as HTML (for a page of the server), every text escaped.

    >>> from wbgraph.brief import Line, Section
    >>> b = Brief("urn:x", "<script>", "actor", [Line("<b>", [("urn:doc-1", 1, 2, "")])], [])
    >>> "<script>" in brief_fragment(b)
    False
    """
    out = [f'<article class="brief"><h1>{html.escape(brief.label)}</h1>',
           f'<p class="kind">{html.escape(brief.kind)}</p>']
    out += [_item(line, tag="p") for line in brief.summary]
    for section in brief.sections:
        if not section.lines:
            continue
        out.append(f"<section><h2>{html.escape(section.title)}</h2>")
        group, open_list = None, False
        for heading, line in section.lines:
            if heading != group or not open_list:
                if open_list:
                    out.append("</ul>")
                if heading:
                    out.append(f"<h3>{html.escape(heading)}</h3>")
                out.append("<ul>")
                group, open_list = heading, True
            out.append(_item(line))
        if open_list:
            out.append("</ul>")
        out.append("</section>")
    out.append("</article>")
    return "\n".join(out)


def brief_html(brief: Brief) -> str:
    """The brief as a standalone page that works offline: inline style, no script, a Content Security
    Policy that forbids loading anything.

    >>> from wbgraph.brief import build_brief
    >>> from wbgraph.store import load_graph
    >>> page = brief_html(build_brief(load_graph(), "https://w3id.org/wbgraph/id/kfor"))
    >>> page.startswith("<!DOCTYPE html>") and "<script" not in page and "http-equiv" in page
    True
    """
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(brief.label)} - wbgraph brief</title>\n<style>{_STYLE}</style></head>\n<body>\n"
        f"{brief_fragment(brief)}\n</body></html>\n"
    )


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown: a heading, the summary, then each non-empty section; every bullet ends
    with its sources in brackets.

    >>> from wbgraph.brief import build_brief
    >>> from wbgraph.store import load_graph
    >>> text = brief_markdown(build_brief(load_graph(), "https://w3id.org/wbgraph/id/kfor"))
    >>> text.splitlines()[0]
    '# KFOR'
    """
    out = [f"# {brief.label}"]
    for line in brief.summary:
        out += ["", f"{line.text} {cite(line.sources)}"]
    for section in brief.sections:
        if not section.lines:
            continue
        out += ["", f"## {section.title}", ""]
        group = None
        for heading, line in section.lines:
            if heading and heading != group:
                out += ([] if out[-1] == "" else [""]) + [f"### {heading}", ""]
                group = heading
            out.append(f"- {line.text} {cite(line.sources)}")
            out += [f"  - {note.text} {cite(note.sources)}" for note in line.notes]
    return "\n".join(out) + "\n"


def render_brief(brief: Brief, fmt: str = "markdown") -> str:
    """The brief as ``markdown`` or as a standalone ``html`` page."""
    if fmt == "html":
        return brief_html(brief)
    if fmt != "markdown":
        raise ValueError(f"unknown brief format {fmt!r}")
    return brief_markdown(brief)
