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

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

AGENTS = ("Ines", "Tomasz", "Priya", "Dario", "Maren", "Kofi", "Lotte", "Ruben", "Saoirse",
          "Yusuf", "Hanna", "Mateo", "Aiko", "Bram")

HANDLES = ("quietfox", "marnie_k", "brightwater", "old_rover", "pixelgran", "tin_lantern",
           "heathcliff_b", "nora.v", "sundial", "mossbank", "kite_runner_ed", "lowtide",
           "fernhill", "captain_jo", "wanderlil", "otterpop", "greyfriar", "amaya.s")

DOMAIN_NOTES = (
    "The Veltrano app shows your bills, your usage and your open tickets in one place.",
    "Every Veltrano shop can swap a damaged SIM card on the spot.",
    "Support chat is staffed by people, not scripts.",
    "Invoices are sent by email at the start of every billing cycle.",
    "You can change your payment method in the app under Account.",
    "Veltrano Mobile recycles old handsets brought into any shop.",
    "Business customers have a separate help line.",
    "Prices quoted by Veltrano include tax.",
    "Most questions can be answered without visiting a shop.",
    "Staff can print a copy of your contract if you ask.",
    "Help centre articles are reviewed by the product team.",
    "Every chat can be rated, and team leads read the ratings.",
    "Gift cards can be used to pay for extras.",
    "The coverage map in the app is refreshed regularly.",
    "Agents will never ask for your PIN.",
    "A welcome pack comes with every new contract.",
    "The loyalty scheme gives points for paying on time.",
    "Accessibility options live in the app settings.",
    "Veltrano staff wear green lanyards, so they are easy to spot in a busy shop.",
    "Bring photo ID when you sign a new contract in a shop.",
    "Spare chargers are sold in every shop.",
    "Second-hand devices can be checked for free at the service desk.",
    "Parents can set spending limits on a child's line.",
    "An invoice can be split across two payment cards on request.",
    "The app supports a dark theme and large text.",
    "Veltrano Mobile sends a text before any price change takes effect.",
)

KIND_NOTES: dict[str, tuple[str, ...]] = {
    "plan": (
        "You can change plans once per billing cycle in the app.",
        "Calls and texts to other Veltrano numbers are always included.",
        "Family members can share one invoice.",
        "Unused allowances reset on the first day of each billing cycle.",
        "Plan changes take effect from the next invoice.",
        "A plan can be moved to a new owner with a signed form.",
    ),
    "device": (
        "Every device ships with a charging cable in the box.",
        "Screen protectors are sold separately.",
        "A warranty covers manufacturing faults.",
        "Trade-in prices depend on the condition of the old device.",
        "Cases in several colours are available in shops.",
        "Devices can be paid for in instalments with any contract.",
    ),
    "router": (
        "Place the router in an open spot, away from thick walls.",
        "The network name and password are printed on a label underneath.",
        "Firmware updates install overnight.",
        "Routers are lent free of charge for as long as the contract runs.",
        "Return the router in its box when the contract ends.",
        "Keep the vents clear of dust.",
    ),
    "error": (
        "Error codes appear on the device screen or in the app.",
        "Write the code down before you call; it saves time.",
        "The help centre keeps a list of every error code.",
        "Agents can look up any code from your account history.",
        "If a code appears on more than one device, mention that to the agent.",
        "Codes are not case sensitive when you search for them.",
    ),
    "shop": (
        "Shops can be busy at lunchtime.",
        "Appointments can be booked in the app.",
        "Every shop has a repair counter.",
        "Shops accept card and cash payments.",
        "Staff can move your contacts to a new device.",
        "Opening hours may change on public holidays.",
    ),
    "addon": (
        "Add-ons can be bought in the app or by text message.",
        "Several add-ons can be active at the same time.",
        "An add-on does not renew unless you switch on auto-renewal.",
        "Unused add-ons cannot be refunded.",
        "Add-ons are charged to your balance or to your next invoice.",
        "The app shows how much of each add-on is left.",
    ),
    "code": (
        "Short codes work from any Veltrano SIM at no cost.",
        "The reply to a short code arrives as a text message.",
        "Short codes must be dialled exactly as written, including the hash sign.",
        "Some short codes ask you to confirm with a PIN.",
        "A list of short codes is printed in the welcome pack.",
        "Short codes do not work from other networks.",
    ),
}

CHAT_SMALLTALK = (
    ("Customer: Sorry, my typing is slow today.", "Agent: No rush at all, take your time."),
    ("Customer: Are you a real person?", "Agent: I am! Our chat is answered by people."),
    ("Customer: Can I get a copy of this chat?", "Agent: Yes, it will be emailed to you."),
    ("Customer: Hang on, the doorbell just rang.", "Agent: No problem, I'll wait."),
    ("Customer: Is it busy today?", "Agent: A little, but you're not keeping anyone waiting."),
)

FORUM_REPLIES = (
    "Thanks, this is really useful.",
    "Bookmarked!",
    "Great summary, cheers.",
    "This should be pinned.",
    "Exactly what I was looking for.",
    "Adding to this: the help centre has the same details.",
)

MANUAL_INTROS = (
    "This section of the {brand} handbook covers {topic}. Each entry lists the details "
    "our support team is asked about most often.",
    "Welcome to the handbook chapter on {topic}. Keep it close when you set things up "
    "for the first time.",
    "The pages that follow describe {topic} as they are sold and supported today. If "
    "something here does not match what you see, contact the help centre.",
    "Use this part of the manual as a reference for {topic}. It is written for customers, "
    "but shop staff rely on it too.",
    "Here we collect the essentials on {topic}, one entry per item, in no particular order.",
    "Below you will find a short entry for each of our {topic}. The entries are kept "
    "brief on purpose so that you can scan them quickly.",
    "Customers often ask us to put everything about {topic} on one page. This is that page.",
)

MANUAL_OUTROS = (
    "For anything not covered here, open the Veltrano app and start a chat with an agent.",
    "This page is updated whenever the catalogue changes. Printed copies may be out of date.",
    "Questions about your own account cannot be answered in the handbook. Please sign in "
    "to the app for those.",
    "Next chapter: billing, payments and how to read your invoice.",
    "If you are helping a relative, you can print this page and keep it with their papers.",
    "Shop staff can walk you through any of these entries in person.",
)

FAQ_QUESTIONS = (
    "What should I know about {r}?",
    "Can you sum up {r} for me?",
    "I'm new to Veltrano. What are the basics of {r}?",
    "Is there a quick overview of {r}?",
    "Could you explain {r} in a few lines?",
    "A friend mentioned {r}. What's the story?",
    "What are the main details of {r}?",
    "Any quick facts about {r}?",
    "My colleague keeps talking about {r}. Can you fill me in?",
    "Where do I start with {r}?",
)

FAQ_LEADS = ("", "", "Sure. ", "Good question. ", "In short: ", "Here are the key points. ",
             "Of course. ", "Happy to explain. ")

FAQ_FOOTERS = (
    "Did this page help? Let us know with the buttons below.",
    "Still stuck? Our agents are available in the app chat.",
    "These answers apply to personal accounts. Business customers have their own pages.",
    "Can't find your question? Send it to us and we may add it to this page.",
    "Related pages: billing, moving house, lost or stolen devices.",
)

CHAT_GREETINGS = (
    "Hi, you're chatting with {agent} from Veltrano Mobile. How can I help?",
    "Good afternoon and welcome to Veltrano support. My name is {agent}.",
    "Hello! {agent} here. What can I do for you today?",
    "Thanks for waiting. I'm {agent}, how may I help?",
    "Welcome to the chat. You're through to {agent}.",
    "Hi there, {agent} speaking. Ask me anything.",
)

CHAT_OPENINGS = (
    "Hi, I have a few questions, starting with {r}.",
    "Hello. I'm sorting out some things and the first one is {r}.",
    "I was reading your website but I'm still unsure about {r}.",
    "My brother told me to ask you about {r}.",
    "Before I go to a shop, can you tell me about {r}?",
    "Hi! Can we talk about {r} first?",
    "Good afternoon. I need some details on {r}.",
)

CHAT_FOLLOWUPS = (
    "Great, thanks. What about {r}?",
    "OK, noted. And {r}?",
    "That helps. I also wanted to check {r}.",
    "Right. Next question is about {r}.",
    "Perfect. Could you also tell me about {r}?",
    "Got it. Now something different: {r}.",
    "Thanks. Last time I asked about {r} nobody knew.",
    "Makes sense. My partner wants to know about {r}.",
    "Lovely. One more thing, {r}.",
)

CHAT_AGENT_LEADS = ("", "", "Sure. ", "Let me check. ", "Of course. ",
                    "Happy to help with that. ", "One moment. ", "Good question. ")

CHAT_THANKS = (
    "That's everything, thank you so much.",
    "Brilliant, you've been really helpful.",
    "Thanks, that clears it up.",
    "Great, I'll note all of that down.",
    "Perfect, that's what I needed.",
)

CHAT_GOODBYES = (
    "You're welcome. Have a lovely day!",
    "Glad I could help. You can rate this chat when you close the window.",
    "Any time. Take care!",
    "Thanks for contacting Veltrano Mobile. Goodbye!",
    "My pleasure. The transcript will be emailed to you.",
)

FORUM_BOARDS = ("Plans and billing", "Devices", "Home broadband", "Shops and service",
                "General chat", "Tips and tricks", "Troubleshooting")

FORUM_OPENERS = (
    "Long-time lurker, first post.",
    "Sharing what I found out this week in case it helps someone.",
    "Some notes from my last few weeks with Veltrano.",
    "I keep seeing the same questions here, so here is what I know.",
    "Replying to the thread from yesterday.",
    "Mods, feel free to move this if it's in the wrong board.",
    "Had a long chat with support today and wrote everything down.",
    "Quick summary for the newcomers.",
    "Bit of a random collection, sorry.",
    "Posting from the train, so excuse the formatting.",
)

FORUM_ASIDES = (
    "Not sure if everyone knows this.",
    "Took me ages to figure that out.",
    "Worth knowing.",
    "I double-checked that one.",
    "My neighbour said the same.",
    "That one surprised me, honestly.",
    "Someone asked about this last month.",
    "Learned that the hard way.",
)

FORUM_CLOSERS = (
    "Hope that helps someone!",
    "Cheers, and good luck.",
    "Happy to answer questions below.",
    "Edit: fixed a typo.",
    "That's all for now.",
    "If I got anything wrong, reply and I'll update the post.",
    "Thanks to everyone who helped me in the other thread.",
)

RELEASE_INTROS = (
    "This release of the {brand} product catalogue brings the help centre, the app and "
    "the shops in line with each other.",
    "The catalogue has been refreshed. The details below were checked by the product team "
    "before publishing.",
    "A quiet month for the catalogue: no new products, but several entries were reviewed.",
    "These notes summarise the catalogue as it ships to shops and to the app this month.",
    "Shop staff, please read these notes before your next shift.",
)

RELEASE_SECTIONS = ("Confirmed product details", "Catalogue entries", "Reviewed items",
                    "What the catalogue says now", "Details checked this month")

RELEASE_KNOWN_ISSUES = (
    "The app may sign you out after updating. Sign in again to continue.",
    "Some receipts printed in shops show the old logo. This is cosmetic.",
    "Search in the help centre can be slow at peak times.",
    "Notifications may arrive twice on older app versions.",
    "No known issues this month.",
)

TICKET_CHANNELS = ("email", "phone", "shop", "chat", "social")

TICKET_ISSUES = (
    "Customer asked for product details before renewing.",
    "Caller wanted to compare several products.",
    "Customer was confused after reading an old leaflet.",
    "Customer called on behalf of an elderly parent.",
    "Customer was moving house and reviewing everything.",
    "Customer asked several unrelated questions in one call.",
    "Visitor in shop asked staff to confirm details from the website.",
    "Customer complained that the information was hard to find.",
)

TICKET_OUTCOMES = (
    "Customer satisfied, ticket closed.",
    "Answered in full. No follow-up needed.",
    "Sent a link to the handbook as well.",
    "Customer will visit a shop next week.",
    "Resolved on first contact.",
    "Customer thanked the agent and closed the chat.",
)

CHANGELOG_TAGS = ("Added", "Clarified", "Reworded", "Moved to its own article",
                  "Confirmed with the product team", "Linked from the shop pages",
                  "Now also shown in the app")

CHANGELOG_FOOTERS = (
    "Maintained by the help centre content team.",
    "Report mistakes through the feedback form.",
    "Older entries are archived after a year.",
    "",
)

BLOG_TITLES = (
    "Five things I wish I had known before switching",
    "A week of questions from our readers",
    "Notes from the community meetup",
    "What the support team hears most",
    "Our mailbag, answered",
    "Small details that make a big difference",
    "A newcomer's guide, part two",
    "Things people get wrong about Veltrano",
)

BLOG_INTROS = (
    "Every few weeks I collect the questions that land in my inbox and answer them here.",
    "I spent an afternoon with the people who answer the help line, and I took notes.",
    "This post started as a list on my fridge. It got long, so here it is.",
    "Readers keep asking for a plain summary, so I wrote one.",
    "I have been a Veltrano customer for a long time and I still learn something new.",
)

BLOG_BRIDGES = (
    "Now for something completely different.",
    "Moving on.",
    "Here is another one people ask about.",
    "A few more while we are at it.",
    "This next one came from a reader.",
)

BLOG_OUTROS = (
    "That's it for this post. Leave a comment if you want me to cover something else.",
    "See you next time, and thanks for reading.",
    "If this was useful, share it with someone who has just switched.",
    "More next month.",
)

EMAIL_SUBJECTS = ("Your questions", "Following up on your call", "The details you asked for",
                  "Re: a few questions", "Summary of our conversation", "Your visit today")

EMAIL_OPENINGS = (
    "Thank you for getting in touch with us. Here are the answers to your questions.",
    "As promised on the phone, I have put the details in writing for you.",
    "It was a pleasure to help you today. Below is a short summary.",
    "Thanks for your patience while I checked everything with my colleagues.",
    "You asked us to confirm a few details by email, so here they are.",
)

EMAIL_CLOSINGS = (
    "If anything else comes up, simply reply to this email.",
    "You can also find these details in the help centre at any time.",
    "Please keep this email for your records.",
    "We hope this helps, and thank you for choosing Veltrano Mobile.",
)

EMAIL_SIGNOFFS = ("Kind regards", "Best wishes", "All the best", "Warm regards")

HELDOUT_FORMS = ("newsletter", "briefing", "reference")

HELDOUT_HEADERS = {
    "newsletter": "{brand} customer newsletter, issue {n}",
    "briefing": "Morning briefing for shop staff, {date}",
    "reference": "Quick reference sheet {n}",
}

HELDOUT_INTROS = {
    "newsletter": (
        "In this issue we round up a handful of details that readers wrote in about.",
        "Welcome back. Here are some reminders from around the catalogue.",
        "This month's newsletter is a short one, packed with practical details.",
    ),
    "briefing": (
        "Good morning, team. Please go over these points before the doors open.",
        "A few items to keep in mind when you talk to customers today.",
        "Today's briefing covers details that came up at the counter this week.",
    ),
    "reference": (
        "Pin this sheet next to the till.",
        "One page, no fluff: the details people ask for.",
        "Keep this sheet for your records.",
    ),
}

HELDOUT_OUTROS = {
    "newsletter": ("Until next issue, stay well.", "Write to us with your questions."),
    "briefing": ("Thanks, everyone. Have a good shift.", "Questions to your team lead."),
    "reference": ("End of sheet.", "Printed for internal use."),
}


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
