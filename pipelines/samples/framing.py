"""The generic framing text of the sample documents, loaded from ``text/framing.json``.

Greetings, headings, asides, names and sign-offs that wrap the fact mentions in the corpus and
held-out documents (``documents.py``). Framing never names an entity or a value, so the only
statements about a fact are its mentions; ``framing_texts`` lists every string for the test
that checks it. Placeholders (``{brand}``, ``{topic}``, ``{r}``, ``{agent}``...) are filled
by the renderers.
"""

from __future__ import annotations

from pipelines.samples.texts import read_json

_FRAMING = read_json("framing.json")

MONTHS: tuple[str, ...] = _FRAMING["months"]
AGENTS: tuple[str, ...] = _FRAMING["agents"]
HANDLES: tuple[str, ...] = _FRAMING["handles"]
DOMAIN_NOTES: tuple[str, ...] = _FRAMING["domain_notes"]
KIND_NOTES: dict[str, tuple[str, ...]] = _FRAMING["kind_notes"]
CHAT_SMALLTALK: tuple[tuple[str, str], ...] = _FRAMING["chat_smalltalk"]
FORUM_REPLIES: tuple[str, ...] = _FRAMING["forum_replies"]
MANUAL_INTROS: tuple[str, ...] = _FRAMING["manual_intros"]
MANUAL_OUTROS: tuple[str, ...] = _FRAMING["manual_outros"]
FAQ_QUESTIONS: tuple[str, ...] = _FRAMING["faq_questions"]
FAQ_LEADS: tuple[str, ...] = _FRAMING["faq_leads"]
FAQ_FOOTERS: tuple[str, ...] = _FRAMING["faq_footers"]
CHAT_GREETINGS: tuple[str, ...] = _FRAMING["chat_greetings"]
CHAT_OPENINGS: tuple[str, ...] = _FRAMING["chat_openings"]
CHAT_FOLLOWUPS: tuple[str, ...] = _FRAMING["chat_followups"]
CHAT_AGENT_LEADS: tuple[str, ...] = _FRAMING["chat_agent_leads"]
CHAT_THANKS: tuple[str, ...] = _FRAMING["chat_thanks"]
CHAT_GOODBYES: tuple[str, ...] = _FRAMING["chat_goodbyes"]
FORUM_BOARDS: tuple[str, ...] = _FRAMING["forum_boards"]
FORUM_OPENERS: tuple[str, ...] = _FRAMING["forum_openers"]
FORUM_ASIDES: tuple[str, ...] = _FRAMING["forum_asides"]
FORUM_CLOSERS: tuple[str, ...] = _FRAMING["forum_closers"]
RELEASE_INTROS: tuple[str, ...] = _FRAMING["release_intros"]
RELEASE_SECTIONS: tuple[str, ...] = _FRAMING["release_sections"]
RELEASE_KNOWN_ISSUES: tuple[str, ...] = _FRAMING["release_known_issues"]
TICKET_CHANNELS: tuple[str, ...] = _FRAMING["ticket_channels"]
TICKET_ISSUES: tuple[str, ...] = _FRAMING["ticket_issues"]
TICKET_OUTCOMES: tuple[str, ...] = _FRAMING["ticket_outcomes"]
CHANGELOG_TAGS: tuple[str, ...] = _FRAMING["changelog_tags"]
CHANGELOG_FOOTERS: tuple[str, ...] = _FRAMING["changelog_footers"]
BLOG_TITLES: tuple[str, ...] = _FRAMING["blog_titles"]
BLOG_INTROS: tuple[str, ...] = _FRAMING["blog_intros"]
BLOG_BRIDGES: tuple[str, ...] = _FRAMING["blog_bridges"]
BLOG_OUTROS: tuple[str, ...] = _FRAMING["blog_outros"]
EMAIL_SUBJECTS: tuple[str, ...] = _FRAMING["email_subjects"]
EMAIL_OPENINGS: tuple[str, ...] = _FRAMING["email_openings"]
EMAIL_CLOSINGS: tuple[str, ...] = _FRAMING["email_closings"]
EMAIL_SIGNOFFS: tuple[str, ...] = _FRAMING["email_signoffs"]
HELDOUT_FORMS: tuple[str, ...] = _FRAMING["heldout_forms"]
HELDOUT_HEADERS: dict[str, str] = _FRAMING["heldout_headers"]
HELDOUT_INTROS: dict[str, tuple[str, ...]] = _FRAMING["heldout_intros"]
HELDOUT_OUTROS: dict[str, tuple[str, ...]] = _FRAMING["heldout_outros"]


def framing_texts() -> list[str]:
    """Every framing string, for the check that framing never states a fact."""
    texts: list[str] = [*DOMAIN_NOTES, *AGENTS, *HANDLES, *FORUM_REPLIES]
    for notes in KIND_NOTES.values():
        texts.extend(notes)
    for pair in CHAT_SMALLTALK:
        texts.extend(pair)
    for pool in (MANUAL_INTROS, MANUAL_OUTROS, FAQ_QUESTIONS, FAQ_LEADS, FAQ_FOOTERS,
                 CHAT_GREETINGS, CHAT_OPENINGS, CHAT_FOLLOWUPS, CHAT_AGENT_LEADS,
                 CHAT_THANKS, CHAT_GOODBYES, FORUM_BOARDS, FORUM_OPENERS, FORUM_ASIDES,
                 FORUM_CLOSERS, RELEASE_INTROS, RELEASE_SECTIONS, RELEASE_KNOWN_ISSUES,
                 TICKET_ISSUES, TICKET_OUTCOMES, CHANGELOG_TAGS, CHANGELOG_FOOTERS,
                 BLOG_TITLES, BLOG_INTROS, BLOG_BRIDGES, BLOG_OUTROS, EMAIL_SUBJECTS,
                 EMAIL_OPENINGS, EMAIL_CLOSINGS, EMAIL_SIGNOFFS):
        texts.extend(pool)
    for mapping in (HELDOUT_HEADERS, HELDOUT_INTROS, HELDOUT_OUTROS):
        for value in mapping.values():
            texts.extend([value] if isinstance(value, str) else value)
    return texts
