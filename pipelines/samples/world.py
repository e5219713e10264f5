"""The fictional world of Veltrano Mobile: entities, attributes, value pools and wordings.

Everything a generated file says about the domain comes from the tables in
``text/world.json`` (the domain name, the entity kinds and the attributes), loaded here into
``KINDS`` and ``ATTRIBUTES``; this module holds their types and the fact logic. Each
attribute carries its own closed pool of values (multiple-choice distractors come from
the same pool) and separate families of wordings:

- ``corpus``: sentences used in the raw DAPT documents (at least eight per attribute),
- ``heldout``: sentences used only in the held-out perplexity documents,
- ``questions``: the three SFT question wordings,
- ``answer``: the one answer format shared by SFT outputs and evaluation statements,
- ``mc_question`` / ``qa_question``: evaluation question wordings (never used elsewhere).

Placeholders: ``{e}`` entity name, ``{E}`` entity name capitalised, ``{v}`` value,
``{V}`` value capitalised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pipelines.samples.texts import read_json


@dataclass(frozen=True)
class Kind:
    """A family of entities that share attributes (plans, routers, error codes...)."""

    name: str
    topic: str
    article: bool
    entities: tuple[str, ...]

    def ref(self, entity: str) -> str:
        """How running text refers to an entity ("the Orbit Max plan", "error code VT-417")."""
        return f"the {entity}" if self.article else entity


@dataclass(frozen=True)
class Attribute:
    """One attribute kind with its value pool and every wording family."""

    name: str
    kind: str
    pool: tuple[str, ...]
    corpus: tuple[str, ...]
    heldout: tuple[str, ...]
    questions: tuple[str, ...]
    answer: str
    mc_question: str
    qa_question: str


@dataclass(frozen=True)
class Fact:
    """An entity-attribute-value triple and the part of the protocol it belongs to."""

    fact_id: str
    kind: str
    entity: str
    attribute: str
    value: str
    split: str

    def as_dict(self) -> dict[str, str]:
        return {
            "fact_id": self.fact_id,
            "kind": self.kind,
            "entity": self.entity,
            "attribute": self.attribute,
            "value": self.value,
            "split": self.split,
        }


_WORLD = read_json("world.json")
DOMAIN_NAME: str = _WORLD["domain"]
KINDS: tuple[Kind, ...] = tuple(Kind(**k) for k in _WORLD["kinds"])
ATTRIBUTES: tuple[Attribute, ...] = tuple(Attribute(**a) for a in _WORLD["attributes"])
KIND_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
ATTRIBUTE_BY_NAME: dict[str, Attribute] = {a.name: a for a in ATTRIBUTES}


def capitalise(text: str) -> str:
    """Upper-case the first character only ("error code" -> "Error code")."""
    return text[:1].upper() + text[1:]


def render(template: str, entity: str, value: str) -> str:
    """Fill one wording with an entity and a value."""
    return template.format(e=entity, E=capitalise(entity), v=value, V=capitalise(value))


def attributes_of(kind: str) -> list[Attribute]:
    return [a for a in ATTRIBUTES if a.kind == kind]


def rng_for(seed: int, *parts: object) -> random.Random:
    """An independent, reproducible random stream for one named part of the generator."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


def build_facts(seed: int) -> list[Fact]:
    """Assign a value to every (entity, attribute) and split the facts 50/50 per attribute.

    Values are drawn without replacement from the attribute's pool, so no two entities
    share a value for the same attribute. Within every attribute half the facts go to
    ``sft`` and half to ``eval``; the odd one out alternates between attributes so the
    totals stay balanced.
    """
    facts: list[Fact] = []
    odd_to_sft = True
    for attr in ATTRIBUTES:
        entities = KIND_BY_NAME[attr.kind].entities
        values = rng_for(seed, "values", attr.name).sample(attr.pool, len(entities))
        order = list(range(len(entities)))
        rng_for(seed, "split", attr.name).shuffle(order)
        n_sft = len(entities) // 2
        if len(entities) % 2:
            n_sft += int(odd_to_sft)
            odd_to_sft = not odd_to_sft
        sft_rows = set(order[:n_sft])
        for i, (entity, value) in enumerate(zip(entities, values, strict=True)):
            facts.append(
                Fact(
                    fact_id=f"F{len(facts) + 1:03d}",
                    kind=attr.kind,
                    entity=entity,
                    attribute=attr.name,
                    value=value,
                    split="sft" if i in sft_rows else "eval",
                )
            )
    return facts


def all_values() -> list[str]:
    return [v for a in ATTRIBUTES for v in a.pool]


def all_entities() -> list[str]:
    return [e for k in KINDS for e in k.entities]


def check_world() -> None:
    """Fail fast on tables that would make scoring ambiguous.

    No value may occur inside another value (a "contains" check would then accept the
    wrong answer), no entity inside another entity, every pool must be at least as large
    as its kind and hold six or more values, every attribute needs eight corpus wordings,
    and the answer format must not reuse any corpus or held-out wording.
    """
    values = [v.lower() for v in all_values()]
    for a in values:
        for b in values:
            if a != b and a in b:
                raise ValueError(f"value {a!r} occurs inside value {b!r}")
    if len(set(values)) != len(values):
        raise ValueError("a value is listed in two pools")
    entities = [e.lower() for e in all_entities()]
    for a in entities:
        for b in entities:
            if a != b and a in b:
                raise ValueError(f"entity {a!r} occurs inside entity {b!r}")
    for attr in ATTRIBUTES:
        n = len(KIND_BY_NAME[attr.kind].entities)
        if len(attr.pool) < max(6, n):
            raise ValueError(f"{attr.name}: pool of {len(attr.pool)} for {n} entities")
        if len(attr.corpus) < 8 or len(attr.questions) != 3:
            raise ValueError(f"{attr.name}: needs >= 8 corpus wordings and 3 questions")
        wordings = {*attr.corpus, *attr.heldout, *attr.questions, attr.answer,
                    attr.mc_question, attr.qa_question}
        if len(wordings) != len(attr.corpus) + len(attr.heldout) + 6:
            raise ValueError(f"{attr.name}: a wording is reused across families")
