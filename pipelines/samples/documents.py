"""Turn facts into documents: the raw DAPT corpus and the held-out domain documents.

A *mention* is one fact rendered with one wording. The corpus is built in rounds: in every
round each fact is mentioned exactly once, with a wording it has not had in an earlier
round, and the round's mentions are grouped into documents of one type (manual page, FAQ,
chat log, forum post, release note, ticket export, changelog, blog post). Nine rounds give
every fact nine differently worded sentences in nine documents of nine types.

Framing text (greetings, headings, asides) is generic: it never names an entity or a value,
so the only statements about a fact are its mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from random import Random

from pipelines.samples.framing import (
    AGENTS,
    BLOG_BRIDGES,
    BLOG_INTROS,
    BLOG_OUTROS,
    BLOG_TITLES,
    CHANGELOG_FOOTERS,
    CHANGELOG_TAGS,
    CHAT_AGENT_LEADS,
    CHAT_FOLLOWUPS,
    CHAT_GOODBYES,
    CHAT_GREETINGS,
    CHAT_OPENINGS,
    CHAT_SMALLTALK,
    CHAT_THANKS,
    DOMAIN_NOTES,
    EMAIL_CLOSINGS,
    EMAIL_OPENINGS,
    EMAIL_SIGNOFFS,
    EMAIL_SUBJECTS,
    FAQ_FOOTERS,
    FAQ_LEADS,
    FAQ_QUESTIONS,
    FORUM_ASIDES,
    FORUM_BOARDS,
    FORUM_CLOSERS,
    FORUM_OPENERS,
    FORUM_REPLIES,
    HANDLES,
    HELDOUT_FORMS,
    HELDOUT_HEADERS,
    HELDOUT_INTROS,
    HELDOUT_OUTROS,
    KIND_NOTES,
    MANUAL_INTROS,
    MANUAL_OUTROS,
    MONTHS,
    RELEASE_INTROS,
    RELEASE_KNOWN_ISSUES,
    RELEASE_SECTIONS,
    TICKET_CHANNELS,
    TICKET_ISSUES,
    TICKET_OUTCOMES,
)
from pipelines.samples.world import (
    ATTRIBUTE_BY_NAME,
    DOMAIN_NAME,
    KIND_BY_NAME,
    KINDS,
    Fact,
    all_entities,
    all_values,
    capitalise,
    render,
)


@dataclass(frozen=True)
class Mention:
    """One fact stated by one sentence."""

    fact: Fact
    sentence: str


@dataclass
class Document:
    """A rendered document: a file of its own, or one record of a JSONL file."""

    doc_type: str
    path: str
    text: str
    record: dict[str, str] = field(default_factory=dict)

    @property
    def is_record(self) -> bool:
        return bool(self.record)


# (document type, how the round groups facts into documents)
ROUNDS: tuple[tuple[str, str], ...] = (
    ("manual", "entity"),
    ("faq", "entity"),
    ("chat", "mixed"),
    ("forum", "mixed"),
    ("release_note", "kind"),
    ("ticket_export", "mixed"),
    ("changelog", "kind"),
    ("blog", "mixed"),
    ("email", "mixed"),
)

# document types where first-person wordings read naturally
INFORMAL = frozenset({"forum", "blog"})

_FORBIDDEN = tuple(s.lower() for s in (*all_values(), *all_entities()))


def _clean(text: str) -> bool:
    low = text.lower()
    return not any(f in low for f in _FORBIDDEN)


def _token(rng: Random, prefix: str, digits: int) -> str:
    """A random id ("VM-48213") that never contains a value string by accident."""
    while True:
        token = prefix + "".join(rng.choice("0123456789") for _ in range(digits))
        if _clean(token):
            return token


def _date(rng: Random) -> str:
    while True:
        date = f"{rng.choice((2024, 2025))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if _clean(date):
            return date


def _ref(fact: Fact) -> str:
    return KIND_BY_NAME[fact.kind].ref(fact.entity)


def _by_entity(mentions: list[Mention]) -> list[list[Mention]]:
    """Consecutive mentions of the same entity, in order."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and groups[-1][0].fact.entity == m.fact.entity:
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _sprinkle(rng: Random, sentences: list[str], k: int) -> list[str]:
    """Insert k generic domain notes at random positions."""
    out = list(sentences)
    for note in rng.sample(DOMAIN_NOTES, k):
        out.insert(rng.randint(0, len(out)), note)
    return out


def _topic(mentions: list[Mention]) -> str:
    kinds = {m.fact.kind for m in mentions}
    if len(kinds) == 1:
        return KIND_BY_NAME[kinds.pop()].topic
    return "products and services"


def render_manual(rng: Random, mentions: list[Mention]) -> str:
    topic = _topic(mentions)
    parts = [f"# {DOMAIN_NAME} handbook: {capitalise(topic)}", "",
             rng.choice(MANUAL_INTROS).format(brand=DOMAIN_NAME, topic=topic), ""]
    for group in _by_entity(mentions):
        sentences = [m.sentence for m in group]
        if rng.random() < 0.7:
            sentences.append(rng.choice(KIND_NOTES[group[0].fact.kind]))
        if rng.random() < 0.4:
            sentences = _sprinkle(rng, sentences, 1)
        parts += [f"## {capitalise(group[0].fact.entity)}", "", " ".join(sentences), ""]
    parts.append(rng.choice(MANUAL_OUTROS))
    return "\n".join(parts) + "\n"


def render_faq(rng: Random, mentions: list[Mention]) -> str:
    topic = _topic(mentions)
    parts = [f"{DOMAIN_NAME} help centre, frequently asked questions: {topic}",
             f"Last reviewed on {_date(rng)}", ""]
    questions = rng.sample(FAQ_QUESTIONS, len(FAQ_QUESTIONS))
    for i, group in enumerate(_by_entity(mentions)):
        q = questions[i % len(questions)].format(r=_ref(group[0].fact))
        sentences = [m.sentence for m in group]
        if rng.random() < 0.5:
            sentences.append(rng.choice(KIND_NOTES[group[0].fact.kind]))
        answer = " ".join(sentences)
        parts += [f"Q: {capitalise(q)}", f"A: {rng.choice(FAQ_LEADS)}{answer}", ""]
    parts.append(rng.choice(FAQ_FOOTERS))
    return "\n".join(parts) + "\n"


def render_chat(rng: Random, mentions: list[Mention]) -> str:
    agent = rng.choice(AGENTS)
    parts = [f"{DOMAIN_NAME} live chat transcript",
             f"Session {_token(rng, 'S', 6)} | {_date(rng)} | Agent: {agent}", "",
             f"Agent: {rng.choice(CHAT_GREETINGS).format(agent=agent)}"]
    followups = rng.sample(CHAT_FOLLOWUPS, len(CHAT_FOLLOWUPS))
    for i, group in enumerate(_by_entity(mentions)):
        ref = _ref(group[0].fact)
        if i == 0:
            ask = rng.choice(CHAT_OPENINGS).format(r=ref)
        else:
            ask = followups[(i - 1) % len(followups)].format(r=ref)
        parts.append(f"Customer: {ask}")
        sentences = [m.sentence for m in group]
        if rng.random() < 0.3:
            sentences.append(rng.choice(KIND_NOTES[group[0].fact.kind]))
        answer = " ".join(sentences)
        parts.append(f"Agent: {rng.choice(CHAT_AGENT_LEADS)}{answer}")
        if i == 1 and rng.random() < 0.5:
            parts += list(rng.choice(CHAT_SMALLTALK))
    if rng.random() < 0.6:
        parts.append(f"Agent: {rng.choice(DOMAIN_NOTES)}")
    parts += [f"Customer: {rng.choice(CHAT_THANKS)}", f"Agent: {rng.choice(CHAT_GOODBYES)}"]
    return "\n".join(parts) + "\n"


def render_forum(rng: Random, mentions: list[Mention]) -> str:
    sentences: list[str] = [rng.choice(FORUM_OPENERS)]
    asides = rng.sample(FORUM_ASIDES, len(FORUM_ASIDES))
    for i, m in enumerate(mentions):
        sentences.append(m.sentence)
        roll = rng.random()
        if roll < 0.25:
            sentences.append(asides[i % len(asides)])
        elif roll < 0.4:
            sentences.append(rng.choice(KIND_NOTES[m.fact.kind]))
    if rng.random() < 0.5:
        sentences.insert(rng.randint(1, len(sentences)), rng.choice(DOMAIN_NOTES))
    sentences.append(rng.choice(FORUM_CLOSERS))
    text = " ".join(sentences)
    if rng.random() < 0.5:
        text += f"\n\nReply from {rng.choice(HANDLES)}: {rng.choice(FORUM_REPLIES)}"
    return text


def render_release_note(rng: Random, mentions: list[Mention]) -> str:
    month = rng.choice(MONTHS)
    parts = [f"# Catalogue release notes, {month} {rng.choice((2024, 2025))}", "",
             rng.choice(RELEASE_INTROS).format(brand=DOMAIN_NAME), "",
             f"## {rng.choice(RELEASE_SECTIONS)}", ""]
    parts += [f"- {m.sentence}" for m in mentions]
    kinds = sorted({m.fact.kind for m in mentions})
    reminders = [rng.choice(KIND_NOTES[k]) for k in kinds] + rng.sample(DOMAIN_NOTES, 1)
    parts += ["", "## Reminders", "", *(f"- {r}" for r in reminders)]
    parts += ["", "## Known issues", "", rng.choice(RELEASE_KNOWN_ISSUES)]
    return "\n".join(parts) + "\n"


def render_ticket(rng: Random, mentions: list[Mention]) -> str:
    notes = [m.sentence for m in mentions]
    notes = _sprinkle(rng, notes + [rng.choice(KIND_NOTES[mentions[0].fact.kind])], 1)
    return (f"Issue: {rng.choice(TICKET_ISSUES)} Agent notes: {' '.join(notes)} "
            f"Outcome: {rng.choice(TICKET_OUTCOMES)}")


def render_changelog(rng: Random, mentions: list[Mention]) -> str:
    version = f"{rng.randint(2, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    parts = [f"## Help centre knowledge base, changelog {version} ({_date(rng)})", ""]
    parts += [f"- {rng.choice(CHANGELOG_TAGS)}: {m.sentence}" for m in mentions]
    footer = rng.choice(CHANGELOG_FOOTERS)
    if footer:
        parts += ["", footer]
    return "\n".join(parts) + "\n"


def render_blog(rng: Random, mentions: list[Mention]) -> str:
    parts = [rng.choice(BLOG_TITLES), f"Posted by {rng.choice(HANDLES)} on {_date(rng)}", "",
             rng.choice(BLOG_INTROS), ""]
    half = max(1, len(mentions) // 2)
    first = [m.sentence for m in mentions[:half]]
    first.insert(rng.randint(1, len(first)), rng.choice(KIND_NOTES[mentions[0].fact.kind]))
    parts += [" ".join(first), ""]
    if mentions[half:]:
        rest = [rng.choice(BLOG_BRIDGES)] + [m.sentence for m in mentions[half:]]
        parts += [" ".join(_sprinkle(rng, rest, 1)), ""]
    parts.append(rng.choice(BLOG_OUTROS))
    return "\n".join(parts) + "\n"


def render_email(rng: Random, mentions: list[Mention]) -> str:
    agent = rng.choice(AGENTS)
    body = _sprinkle(rng, [m.sentence for m in mentions], 1)
    parts = [f"From: {agent}, {DOMAIN_NAME} customer care",
             f"Subject: {rng.choice(EMAIL_SUBJECTS)}", f"Date: {_date(rng)}", "",
             "Dear customer,", "", rng.choice(EMAIL_OPENINGS), "", " ".join(body), "",
             rng.choice(EMAIL_CLOSINGS), "", f"{rng.choice(EMAIL_SIGNOFFS)},", agent]
    return "\n".join(parts) + "\n"


RENDERERS = {
    "manual": render_manual,
    "faq": render_faq,
    "chat": render_chat,
    "forum": render_forum,
    "release_note": render_release_note,
    "ticket_export": render_ticket,
    "changelog": render_changelog,
    "blog": render_blog,
    "email": render_email,
}

# where each type goes under corpus/: a folder of files, or one JSONL file of records
FILE_LAYOUT = {
    "manual": ("manual", ".md"),
    "faq": ("faq", ".txt"),
    "chat": ("chats", ".txt"),
    "release_note": ("release_notes", ".md"),
    "changelog": ("changelog", ".md"),
    "blog": ("blog", ".txt"),
    "email": ("emails", ".txt"),
}
RECORD_FILES = {"forum": "forum_posts.jsonl", "ticket_export": "ticket_export.jsonl"}


def _chunks(items: list[Fact], rng: Random, lo: int, hi: int) -> list[list[Fact]]:
    """Split items into runs of lo..hi; a short remainder joins the last run."""
    out: list[list[Fact]] = []
    i = 0
    while i < len(items):
        n = rng.randint(lo, hi)
        if len(items) - (i + n) < lo:
            n = len(items) - i
        out.append(items[i : i + n])
        i += n
    return out


def group_facts(rng: Random, facts: list[Fact], how: str) -> list[list[Fact]]:
    """Group a round's facts into documents: by entity, by kind, or mixed."""
    groups: list[list[Fact]] = []
    if how == "mixed":
        shuffled = list(facts)
        rng.shuffle(shuffled)
        return _chunks(shuffled, rng, 5, 7)
    for kind in KINDS:
        of_kind = [f for f in facts if f.kind == kind.name]
        if how == "kind":
            rng.shuffle(of_kind)
            groups += _chunks(of_kind, rng, 5, 7)
            continue
        n_attrs = len({f.attribute for f in of_kind})
        per_doc = max(1, round(6 / n_attrs))
        entities = list(kind.entities)
        rng.shuffle(entities)
        batches = [entities[i : i + per_doc] for i in range(0, len(entities), per_doc)]
        if len(batches) > 1 and len(batches[-1]) * n_attrs < 4:
            batches[-2] += batches.pop()
        for chosen in batches:
            doc = [f for f in facts if f.entity in chosen]
            rng.shuffle(doc)
            doc.sort(key=lambda f: chosen.index(f.entity))
            groups.append(doc)
    return groups


def is_personal(template: str) -> bool:
    """First-person wordings ("I switched to...") only suit forum posts and blogs."""
    return re.search(r"\b(I|I'm|me|my|My)\b", template) is not None


def assign_wordings(rng: Random, fact: Fact) -> list[int]:
    """A distinct corpus wording (index) for every round; first-person ones go to informal rounds."""
    templates = ATTRIBUTE_BY_NAME[fact.attribute].corpus
    personal = [i for i, t in enumerate(templates) if is_personal(t)]
    neutral = [i for i, t in enumerate(templates) if not is_personal(t)]
    rng.shuffle(personal)
    rng.shuffle(neutral)
    informal = [r for r, (doc_type, _) in enumerate(ROUNDS) if doc_type in INFORMAL]
    rng.shuffle(informal)
    chosen: list[int] = [-1] * len(ROUNDS)
    for r in informal:
        chosen[r] = personal.pop() if personal else neutral.pop()
    for r in range(len(ROUNDS)):
        if chosen[r] < 0:
            chosen[r] = neutral.pop()
    return chosen


def corpus_documents(facts: list[Fact], rng: Random, prefix: str = "") -> Iterator[Document]:
    """One full rendering of the corpus: every fact mentioned once per round."""
    wording = {f.fact_id: assign_wordings(rng, f) for f in facts}
    counters: dict[str, int] = {}
    for r, (doc_type, how) in enumerate(ROUNDS):
        for group in group_facts(rng, facts, how):
            mentions = [
                Mention(f, render(ATTRIBUTE_BY_NAME[f.attribute].corpus[wording[f.fact_id][r]],
                                  f.entity, f.value))
                for f in group
            ]
            text = RENDERERS[doc_type](rng, mentions)
            counters[doc_type] = counters.get(doc_type, 0) + 1
            n = counters[doc_type]
            if doc_type in RECORD_FILES:
                record = _record(rng, doc_type, n, text)
                yield Document(doc_type, prefix + RECORD_FILES[doc_type], text, record)
            else:
                folder, ext = FILE_LAYOUT[doc_type]
                yield Document(doc_type, f"{prefix}{folder}/{doc_type}-{n:04d}{ext}", text)


def _record(rng: Random, doc_type: str, n: int, text: str) -> dict[str, str]:
    if doc_type == "forum":
        return {"id": f"post-{n:04d}", "board": rng.choice(FORUM_BOARDS),
                "author": rng.choice(HANDLES), "date": _date(rng), "text": text}
    return {"ticket": _token(rng, "VM-", 6), "channel": rng.choice(TICKET_CHANNELS),
            "status": "resolved", "date": _date(rng), "text": text}


def heldout_documents(facts: list[Fact], rng: Random, n_docs: int = 40) -> list[str]:
    """Held-out domain documents: every fact once per held-out wording, in held-out framings."""
    n_rounds = min(len(ATTRIBUTE_BY_NAME[f.attribute].heldout) for f in facts)
    docs: list[list[Fact]] = [[] for _ in range(n_docs)]
    for _ in range(n_rounds):
        slots = rng.sample(range(n_docs), n_docs)
        for f in rng.sample(facts, len(facts)):
            # the least-filled document that does not mention this fact yet
            free = [d for d in slots if f not in docs[d]]
            docs[min(free, key=lambda d: len(docs[d]))].append(f)
    wordings = {f.fact_id: rng.sample(ATTRIBUTE_BY_NAME[f.attribute].heldout, n_rounds)
                for f in facts}
    texts: list[str] = []
    for i, doc in enumerate(docs):
        form = HELDOUT_FORMS[i % len(HELDOUT_FORMS)]
        header = HELDOUT_HEADERS[form].format(brand=DOMAIN_NAME, n=rng.randint(10, 99),
                                              date=_date(rng))
        rng.shuffle(doc)
        sentences = [render(wordings[f.fact_id].pop(), f.entity, f.value) for f in doc]
        body = ("\n".join(f"- {s}" for s in sentences) if form == "reference"
                else " ".join(sentences))
        texts.append("\n\n".join([header, rng.choice(HELDOUT_INTROS[form]), body,
                                  rng.choice(HELDOUT_OUTROS[form])]))
    return texts
