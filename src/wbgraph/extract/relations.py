"""Candidate relations from one sentence: which named entities it relates, through which relation
(guessed from cue words), with which confidence (from hedges) and whether it denies the relation.

The rules are deliberately plain so that an analyst can read the ``why`` column and see at once why a
row was proposed. Actors are related to actors, threats, vulnerabilities, mechanisms, events, policies
and agreements named in the same sentence; mechanisms, threats and sectors named beside two actors
also go into the qualifier columns of the actor-to-actor row, never in the object's place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .mentions import Mention, MentionIndex
from .sentences import Sentence

__all__ = ["Candidate", "Context", "HEDGES", "candidates", "confidence_of"]

#: Hedge words and the confidence they give; the first that matches wins.
HEDGES: tuple[tuple[str, re.Pattern], ...] = (
    ("alleged", re.compile(r"\b(allegedly|alleged(?:ly)?|reportedly|purportedly|(?:is|are|was|were) said to|"
                           r"(?:is|are|was|were) reported to|rumou?red|claimed to|accused of)\b", re.I)),
    ("implied", re.compile(r"\b(impl(?:y|ies|ied)|suggest(?:s|ed)?|appears? to|seems? to|indicat(?:es|ed)|"
                           r"(?-i:may)|might|likely|possibl[ey])\b", re.I)),
)
_DENIAL = re.compile(r"\b(?:(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would)\s?n[o']t(?!\s+only)|"
                     r"not(?!\s+only)|never|den(?:y|ies|ied)|rejects? (?:claims|reports)|no evidence)\b", re.I)

# Cue words -> relation, for the text between two actors (subject first in the text). A relation
# marked "reverse" takes the second actor as subject.
_ACTOR_CUES: tuple[tuple[str, str, bool], ...] = (
    (r"established by|set up by|created by|founded by|launched by", "establishedBy", False),
    # passive and nominal forms: the actor named second acts on the first
    (r"influence of|influenced by|pressure from|interference (?:of|from|by)|meddling (?:of|by)",
     "exertsInfluenceOn", True),
    (r"(?:supported|funded|financed|backed|assisted|trained) by|support from", "supports", True),
    (r"(?:undermined|threatened|destabili[sz]ed|weakened|attacked) by", "undermines", True),
    (r"targeted by", "targets", True),
    (r"hosted by", "hosts", True),
    (r"members? of|membership (?:of|in)|joined", "memberOf", False),
    (r"candidate|accession|aspir\w*|seek\w* (?:to join|membership)|integration into|join", "seeksMembershipOf", False),
    (r"prox(?:y|ies)", "actsThroughProxy", False),
    (r"influence|leverage|sway", "exertsInfluenceOn", False),
    (r"undermin\w*|destabili[sz]\w*|threaten\w*|attack\w*|weaken\w*", "undermines", False),
    (r"coordinat\w*", "coordinatesWith", False),
    (r"cooperat\w*|collaborat\w*|partner\w*|work\w* (?:together )?with", "cooperatesWith", False),
    (r"support\w*|assist\w*|fund\w*|financ\w*|train\w*|help\w*|aid(?:s|ed)?", "supports", False),
    (r"disputes?|tensions?|conflict with", "inDisputeWith", False),
    (r"deployed|operat\w*|present in|mission in|active in|stationed|launched in|based in", "operatesIn", False),
    (r"hosts?|hosted|hosting", "hosts", False),
    (r"align\w*", "alignedWith", False),
    (r"target\w*", "targets", False),
    (r"part of|within", "partOf", False),
    (r"establish\w*|set up|created|founded|launched", "establishedBy", True),
)
_THREAT_CUES: tuple[tuple[str, str], ...] = (
    (r"counter\w*|combat\w*|fight\w*|tackl\w*|address\w*|prevent\w*|curb\w*|disrupt\w*|dismantl\w*|"
     r"respon\w*|against|mitigat\w*|cracking down|crack down", "countersThreat"),
    (r"facilitat\w*|enabl\w*|fuel\w*|exacerbat\w*|conduit|route|transit", "facilitatesThreat"),
    (r"pos(?:e|es|ed|ing)|source of|behind|spread\w*|smuggl\w*|traffick\w*|conduct\w*|engag\w*|run\w*", "posesThreat"),
    (r"fac(?:e|es|ed|ing)|affect\w*|expos\w*|suffer\w*|confront\w*|challeng\w*|threat\w* (?:to|for)|"
     r"vulnerable|hit|concern\w*|risk\w*", "facesThreat"),
)
_VULNERABILITY_CUES: tuple[tuple[str, str], ...] = (
    (r"exploit\w*|take\w* advantage|abus\w*|prey\w*|leverag\w*|us(?:e|es|ed|ing)", "exploitsVulnerability"),
    (r"suffer\w*|plagu\w*|lack\w*|weak\w*|fragil\w*|struggl\w*|ha(?:s|ve|d)|fac(?:e|es|ed|ing)|remain\w*",
     "hasVulnerability"),
)
_OTHER_CUES: dict[str, tuple[tuple[str, str], ...]] = {
    "mechanism": ((r"us(?:e|es|ed|ing)|employ\w*|through|via|rel(?:y|ies|ied) on|deploy\w*|spread\w*", "usesMechanism"),),
    "other": (
        (r"adopt\w*|endors\w*|approv\w*", "adopted"),
        (r"signed|ratif\w*|part(?:y|ies) to|sign\w*", "partyTo"),
        (r"involv\w*|participat\w*|took part|take part|attend\w*|organi[sz]\w*|held|hosted|contribut\w*", "involvedIn"),
    ),
}


@dataclass
class Candidate:
    """One proposed claim, for the analyst to accept or reject."""

    subject: str
    predicate: str
    object: str
    confidence: str
    negated: bool
    sentence: Sentence
    why: str
    mechanisms: list[str] = field(default_factory=list)
    threats: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)


def confidence_of(text: str) -> tuple[str, str]:
    """The confidence that a sentence's hedges give, and the hedge.

    >>> confidence_of("Russia is said to fund the party."), confidence_of("This suggests ties."), confidence_of("X funds Y.")
    (('alleged', 'is said to'), ('implied', 'suggests'), ('stated', ''))
    """
    for level, pattern in HEDGES:
        match = pattern.search(text)
        if match:
            return level, match.group(0)
    return "stated", ""


def _cue(text: str, cues) -> tuple[str, str, bool] | None:
    best = None
    for pattern, predicate, *reverse in cues:
        match = re.search(rf"\b(?:{pattern})\b", text, re.I)
        if match and (best is None or match.start() < best[3]):
            best = (predicate, match.group(0), bool(reverse and reverse[0]), match.start())
    return best[:3] if best else None


def _between(text: str, a: Mention, b: Mention) -> str:
    first, second = (a, b) if a.start < b.start else (b, a)
    return text[first.end:second.start]


def _denied(text: str, a: Mention, b: Mention) -> str:
    first = min(a.start, b.start)
    second = max(a.start, b.start)
    match = _DENIAL.search(text, first, second)
    return match.group(0) if match else ""


def candidates(sentence: Sentence, index: MentionIndex, found_mentions: list[Mention] | None = None,
               nested: list[tuple[Mention, Mention]] | None = None) -> list[Candidate]:
    """The candidate relations of one sentence (its mentions and nested names are looked up unless given).

    >>> from wbgraph.extract.mentions import Entity, MentionIndex
    >>> from wbgraph.extract.sentences import Sentence
    >>> index = MentionIndex({"x:r": Entity("x:r", "Russia", "actor"), "x:s": Entity("x:s", "Serbia", "actor"),
    ...                       "x:d": Entity("x:d", "disinformation", "mechanism")},
    ...                      [("x:r", "Russia"), ("x:s", "Serbia"), ("x:d", "disinformation")])
    >>> [(c.subject, c.predicate, c.object, c.confidence, c.negated, c.mechanisms) for c in candidates(
    ...     Sentence("Russia reportedly exerts influence on Serbia through disinformation.", 3, 4), index)]
    [('x:r', 'exertsInfluenceOn', 'x:s', 'alleged', False, ['x:d']), ('x:r', 'usesMechanism', 'x:d', 'alleged', False, []), ('x:s', '', 'x:d', 'alleged', False, [])]
    """
    text = sentence.text
    mentions: dict[str, Mention] = {}
    if found_mentions is None:
        nested = []
        found_mentions = index.find(text, nested)
    nested = nested or []
    for mention in found_mentions:
        mentions.setdefault(mention.entity.iri, mention)
    if len(mentions) < 2 and not nested:
        return []
    confidence, hedge = confidence_of(text)
    kinds: dict[str, list[Mention]] = {}
    for mention in mentions.values():
        kinds.setdefault(mention.entity.kind, []).append(mention)
    actors = kinds.get("actor", [])
    qualifiers = {k: [m.entity.iri for m in kinds.get(k, [])] for k in ("mechanism", "threat", "sector")}
    found: list[Candidate] = []

    def add(subject: Mention, obj: Mention, rule: tuple | None, what: str, **extra) -> None:
        predicate, cue = (rule[0], rule[1]) if rule else ("", "")
        denial = _denied(text, subject, obj)
        why = [f"cue '{cue}'" if cue else f"{what} in one sentence, no cue word"]
        if hedge:
            why.append(f"hedge '{hedge}'")
        if denial:
            why.append(f"denial '{denial}'")
        found.append(Candidate(subject.entity.iri, predicate, obj.entity.iri, confidence, bool(denial), sentence,
                               "; ".join(why), **extra))

    for i, a in enumerate(actors):
        for b in actors[i + 1:]:
            rule = _cue(_between(text, a, b), _ACTOR_CUES)
            subject, obj = (b, a) if rule and rule[2] else (a, b)
            pairs = [(subject, obj)] if rule else [(a, b), (b, a)]
            for subject, obj in pairs:
                add(subject, obj, rule, "two actors" if rule else "two actors (either way round)",
                    mechanisms=qualifiers["mechanism"], threats=qualifiers["threat"], sectors=qualifiers["sector"])
    for kind, cues in (("threat", _THREAT_CUES), ("vulnerability", _VULNERABILITY_CUES),
                       ("mechanism", _OTHER_CUES["mechanism"]), ("event", _OTHER_CUES["other"]),
                       ("other", _OTHER_CUES["other"])):
        for concept in kinds.get(kind, []):
            # the cue word belongs to the sentence's subject: the first actor before the concept
            lead = next((a for a in actors if a.start < concept.start), actors[0] if actors else None)
            for actor in actors:
                rule = _cue(_between(text, actor, concept), cues) if actor is lead else None
                add(actor, concept, rule, f"an actor and a {kind}", sectors=qualifiers["sector"])
    for outer, inner in nested:
        if outer.entity.kind == inner.entity.kind == "actor":
            link = re.search(r"\b(of|in|for)\b", text[inner.start - 4 if inner.start >= 4 else 0:inner.start])
            predicate = {"of": "partOf", "in": "operatesIn"}.get(link.group(1) if link else "", "")
            found.append(Candidate(outer.entity.iri, predicate, inner.entity.iri, confidence, False, sentence,
                                   f"the name '{outer.text}' contains '{inner.text}'"))
    for event in kinds.get("event", []):
        for actor in actors:
            if event.start < actor.start and re.search(r"\b(?:in|took place|held)\b", _between(text, event, actor), re.I):
                add(event, actor, ("occurredIn", "in"), "an event and a place")
    return found


#: How far (in lines) an actor carries over to the next sentence, and a heading to the lines below it.
CARRY_LINES = 2
HEADING_LINES = 30
_HEADING_END = (".", "!", "?", ";", ",", ":")


_ANAPHOR = re.compile(r"^(?:it|its|they|their|this|these|the (?:mission|operation|organisation|organization|"
                      r"agency|alliance|union|country|state|government|initiative|centre|center|council|"
                      r"force|group|network|office))\b", re.I)
_EVENT_WORD = re.compile(r"\bthe (?:conference|event|summit|forum|meeting)\b|\b(?:attendees|participants|panellists|"
                         r"panelists|speakers|moderators?)\b", re.I)
_CONCEPT_CUES = {"threat": _THREAT_CUES, "vulnerability": _VULNERABILITY_CUES, "mechanism": _OTHER_CUES["mechanism"],
                 "event": _OTHER_CUES["other"], "other": _OTHER_CUES["other"]}


class Context:
    """Relations that cross a sentence boundary, proposed with a lower bar and said so in ``why``:

    - a sentence that names concepts but no actor ("It also faces organised crime.") relates them to
      the first actor of the sentence just before, when that one ends at most two lines above, or
      else to the actor the document has named most often so far (its subject, as a rule);
    - a sentence that opens with "It", "They", "The mission" and the like relates what it names to the
      first actor of the sentence just before;
    - an actor of the sentence just before and an actor, threat or vulnerability of this one are
      proposed as a pair with a blank predicate (relations often run over two sentences);
    - actors named under a heading that names an event ("Panel 3 - Cyber security", then its speakers)
      are proposed as involved in that event, for 30 lines below the heading;
    - actors of a sentence that speaks of "the conference", "participants" or "speakers" without
      naming an event are proposed as involved in the event the document has named most so far.

    >>> from wbgraph.extract.mentions import Entity, MentionIndex
    >>> index = MentionIndex({"x:r": Entity("x:r", "Serbia", "actor"), "x:c": Entity("x:c", "organised crime", "threat"),
    ...                       "x:p": Entity("x:p", "Panel 3", "event")},
    ...                      [("x:r", "Serbia"), ("x:c", "organised crime"), ("x:p", "Panel 3")])
    >>> context = Context(index)
    >>> found = [c for text, line in (("Panel 3 - borders", 1), ("Serbia spoke first.", 3),
    ...                               ("It faces organised crime.", 4))
    ...          for c in context.propose(Sentence(text, line, line))]
    >>> [(c.subject, c.predicate, c.object) for c in found]
    [('x:r', 'involvedIn', 'x:p'), ('x:r', 'facesThreat', 'x:c')]
    """

    def __init__(self, index: MentionIndex) -> None:
        self.index = index
        #: per stream: the first actor of the last sentence that named one, that sentence's number and last line
        self.topics: dict[int, tuple[Mention, int, int]] = {}
        self.seen: dict[int, int] = {}
        self.previous: dict[int, tuple[list[Mention], int]] = {}
        #: how many lines may separate a sentence from the one before for its actor to carry over
        #: (more in interleaved columns, where the other column's lines sit in between)
        self.max_gap = CARRY_LINES
        self.heading: tuple[Mention, int] | None = None
        self.counts: dict[str, int] = {}
        self.event_counts: dict[str, int] = {}
        self.first: dict[str, Mention] = {}
        self.order: dict[str, int] = {}

    def propose(self, sentence: Sentence) -> list[Candidate]:
        """The candidates of ``sentence``: its own (:func:`candidates`) and those carried over."""
        nested: list[tuple[Mention, Mention]] = []
        mentions = self.index.find(sentence.text, nested)
        found = candidates(sentence, self.index, mentions, nested)
        stream, text = sentence.stream, sentence.text
        actors = list({m.entity.iri: m for m in mentions if m.entity.kind == "actor"}.values())
        events = [m for m in mentions if m.entity.kind == "event"]
        if events and len(text) <= 150 and not text.endswith(_HEADING_END):
            # a heading names what follows; the sentences around it still read on from one another
            self.heading = (events[0], sentence.line_start)
            return found
        confidence, hedge = confidence_of(text)
        hedged = f"; hedge '{hedge}'" if hedge else ""

        def add(subject: str, predicate: str, obj: str, why: str) -> None:
            found.append(Candidate(subject, predicate, obj, confidence, False, sentence, why + hedged))

        if self.heading and sentence.line_start - self.heading[1] <= HEADING_LINES:
            event, line = self.heading
            for actor in actors:
                add(actor.entity.iri, "involvedIn", event.entity.iri,
                    f"named under the heading on line {line}, which names the event")
        topic = self.topics.get(stream)
        carried = topic is not None and topic[1] == self.seen.get(stream, 0) and \
            sentence.line_start - topic[2] <= self.max_gap
        anaphor = _ANAPHOR.match(text) if carried else None
        if anaphor:
            lead = topic[0]
            for other in {m.entity.iri: m for m in mentions if m.entity.iri != lead.entity.iri}.values():
                cues = _ACTOR_CUES if other.entity.kind == "actor" else _CONCEPT_CUES.get(other.entity.kind)
                if cues is None:
                    continue
                rule = _cue(text[:other.start], cues)
                subject, obj = (other, lead) if rule and rule[2] else (lead, other)
                add(subject.entity.iri, rule[0] if rule else "", obj.entity.iri,
                    f"'{anaphor.group(0).strip()}' taken as the actor of the sentence before"
                    + (f"; cue '{rule[1]}'" if rule else ", no cue word"))
        event_word = _EVENT_WORD.search(text)
        if actors and not events and event_word and self.event_counts:
            event = self._most_named(self.event_counts)
            for actor in actors:
                add(actor.entity.iri, "involvedIn", event.entity.iri,
                    f"'{event_word.group(0)}' taken as the event the document names most so far")
        concepts = list({m.entity.iri: m for m in mentions
                         if m.entity.kind in ("threat", "vulnerability", "mechanism")}.values())
        if not actors and concepts and not anaphor and (carried or self.counts):
            if carried:
                actor, source = topic[0], "actor carried from the sentence before"
            else:
                actor = self._most_named(self.counts)
                source = "no actor in the sentence: the actor the document names most so far"
            for concept in concepts:
                rule = _cue(text[:concept.start], _CONCEPT_CUES[concept.entity.kind])
                add(actor.entity.iri, rule[0] if rule else "", concept.entity.iri,
                    f"{source}; cue '{rule[1]}'" if rule else f"{source}, no cue word")
        previous = self.previous.get(stream)
        if previous is not None and previous[1] == self.seen.get(stream, 0):
            pairs = {(c.subject, c.object) for c in found}
            for a in {m.entity.iri: m for m in previous[0] if m.entity.kind == "actor"}.values():
                for b in {m.entity.iri: m for m in mentions}.values():
                    if b.entity.kind in ("actor", "threat", "vulnerability") and b.entity.iri != a.entity.iri and \
                            (a.entity.iri, b.entity.iri) not in pairs:
                        add(a.entity.iri, "", b.entity.iri, f"'{a.text}' in the sentence before, no cue word")
        self._remember(sentence, mentions, actors, events)
        return found

    def _most_named(self, counts: dict[str, int]) -> Mention:
        return self.first[max(counts, key=lambda iri: (counts[iri], -self.order[iri]))]

    def _remember(self, sentence: Sentence, mentions: list[Mention], actors: list[Mention],
                  events: list[Mention]) -> None:
        stream = sentence.stream
        self.seen[stream] = number = self.seen.get(stream, 0) + 1
        self.previous[stream] = (mentions, number)
        if actors:
            self.topics[stream] = (actors[0], number, sentence.line_end)
        for mention in events + actors:
            counts = self.event_counts if mention.entity.kind == "event" else self.counts
            counts[mention.entity.iri] = counts.get(mention.entity.iri, 0) + 1
            self.first.setdefault(mention.entity.iri, mention)
            self.order.setdefault(mention.entity.iri, len(self.order))
