"""The benchmark draft's words: plausible cyber-norm wording from seeded word lists, so a scale gives
the same text every time."""

import random
from dataclasses import dataclass

from drafting.models import Stance

MIN_WORDS, MAX_WORDS = 60, 120

SECTION_THEMES = [
    "General principles",
    "Application of international law",
    "Protection of critical infrastructure",
    "Security of the ICT supply chain",
    "Vulnerabilities and their disclosure",
    "Incident response and cooperation",
    "Human rights online",
    "Confidence-building measures",
    "Capacity building",
    "Implementation and review",
]
TOPICS = [
    "Protection of critical infrastructure",
    "Integrity of the supply chain",
    "Responsible reporting of vulnerabilities",
    "Cooperation on incident response",
    "Attribution of ICT incidents",
    "Human rights online",
    "Protection of electoral processes",
    "Health-care facilities",
    "Financial market infrastructure",
    "The public core of the Internet",
    "Emergency response teams",
    "Points of contact",
    "Exchange of information",
    "Due diligence",
    "Non-State actors and proxies",
    "Peaceful settlement of disputes",
    "Transparency of national policies",
    "Data held by public authorities",
    "Industrial control systems",
    "Submarine cables and satellites",
    "Assistance on request",
    "Regional cooperation",
    "Review and follow-up",
]
# Mid-sentence forms; a sentence that starts with one capitalises it.
SUBJECTS = [
    "States",
    "each State",
    "participating States",
    "States and other stakeholders",
    "operators of critical infrastructure",
    "providers of ICT products and services",
    "national computer emergency response teams",
    "the private sector",
    "regional organizations",
    "civil society organizations",
]
PLAIN_MODALS = ["should", "shall", "must", "may"]
MODALS = [*PLAIN_MODALS, "should endeavour to", "should, as appropriate,", "should, in good faith,"]
LEAD_MODALS = ["should", "shall", "should endeavour to"]  # before a list of what they do: "States should:"
ACTIONS = [
    "protect",
    "refrain from conducting or knowingly supporting activity that damages",
    "take appropriate measures to secure",
    "cooperate to strengthen the resilience of",
    "share timely information about threats to",
    "respond to appropriate requests for assistance concerning",
    "respect the integrity of",
    "report vulnerabilities affecting",
    "encourage the responsible disclosure of weaknesses in",
    "establish points of contact for incidents affecting",
    "not use proxies to disrupt",
    "consider all relevant information before attributing incidents involving",
]
OBJECTS = [
    "critical infrastructure that provides services to the public",
    "the general availability and integrity of the Internet",
    "ICT supply chains",
    "health-care and medical facilities",
    "electoral systems and processes",
    "financial market infrastructure",
    "the emergency response teams of other States",
    "personal data held by public authorities",
    "industrial control systems",
    "submarine communications cables",
    "satellite and space-based systems",
    "cross-border flows of data",
]
QUALIFIERS = [
    "in accordance with international law",
    "consistent with the Charter of the United Nations",
    "with full respect for human rights and fundamental freedoms",
    "taking into account national circumstances and capacities",
    "without prejudice to existing bilateral arrangements",
    "in a timely and transparent manner",
    "through existing regional and multilateral channels",
    "to the extent permitted by national law",
    "with due regard to the interests of other States",
    "on a voluntary and reciprocal basis",
    "while protecting the privacy of individuals",
]
OPENINGS = [
    "Recognising the growing interdependence of national networks",
    "Where an incident affects more than one jurisdiction",
    "In times of crisis",
    "Upon request by an affected State",
    "Bearing in mind the challenges of attribution",
    "To reduce the risk of misperception and escalation",
    "Within six months of the adoption of this code",
]
EDIT_REASONS = [
    "Tightened the wording",
    "Editorial: consistent terms",
    "Took in comments from the first reading",
    "Aligned with the 2015 report of the Group of Governmental Experts",
    "Narrowed the scope",
    "Clarified who is bound",
    "Compromise text from the informal consultations",
    "Moved the qualifier to the end",
]
RATIONALES = [
    "Aligns the clause with language already agreed in the 2015 report.",
    "The present text is broader than existing international law.",
    "Makes clear that the obligation also binds non-State actors.",
    "Avoids duplication with the section on confidence-building measures.",
    "Stakeholders asked for a firmer commitment in the consultations.",
    "A shorter text is more likely to find consensus.",
    "",
]
COMMENT_LINES = {
    Stance.SUPPORT: [
        "We support this wording.",
        "This reflects the consensus reached in the working group.",
        "Strong support: the text is balanced and implementable.",
        "Our delegation can accept the clause as drafted.",
    ],
    Stance.OPPOSE: [
        "We cannot accept this language.",
        "The obligation goes beyond what existing international law requires.",
        "This would impose costs that smaller operators cannot bear.",
        "The clause should be deleted; it duplicates an earlier one.",
    ],
    Stance.CONCERN: [
        "The scope of critical infrastructure is unclear here.",
        "We are concerned that this could be read as permitting surveillance.",
        "The timeline is not realistic for developing countries.",
        "Without a definition the clause will be applied unevenly.",
    ],
    Stance.QUESTION: [
        "Does this apply to non-State actors as well?",
        "How would compliance with this clause be assessed?",
        "Who decides what counts as an appropriate request?",
        "Is the qualifier meant to cover the whole sentence?",
    ],
    Stance.NEUTRAL: [
        "Noted.",
        "See the comparable provision in the 2021 report.",
        "For reference, the regional framework uses similar language.",
        "We will consult our capital and come back on this.",
    ],
}
FOLLOW_UPS = [
    "We would welcome the views of other stakeholder groups.",
    "A footnote could record the different national practices.",
    "Industry has raised the same point in the consultations.",
    "This matters most for States with limited capacity.",
    "",
    "",
]


@dataclass(frozen=True)
class Wording:
    """A clause's words as parts: sentences of one paragraph, or (``listed``) a lead-in, the items of a
    Markdown list and a closing sentence."""

    parts: tuple[str, ...]
    listed: bool = False

    @property
    def text(self) -> str:
        if not self.listed:
            return " ".join(self.parts)
        lead, *items, closing = self.parts
        lines = [f"- {item}{';' if n < len(items) else '.'}" for n, item in enumerate(items, 1)]
        return f"{lead}\n\n" + "\n".join(lines) + f"\n\n{closing}"

    @property
    def words(self) -> int:
        return len(self.text.split())


class Prose:
    """Plausible cyber-norm wording from the word lists above, the same for the same generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, weighted: list[tuple]):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    def title(self) -> str:
        return self.rng.choice(TOPICS)

    def rationale(self) -> str:
        return self.rng.choice(RATIONALES)

    def edit_reason(self) -> str:
        return self.rng.choice(EDIT_REASONS)

    def sentence(self) -> str:
        r = self.rng
        subject, modal, action, object_ = r.choice(SUBJECTS), r.choice(MODALS), r.choice(ACTIONS), r.choice(OBJECTS)
        if r.random() < 0.3:
            return f"{r.choice(OPENINGS)}, {subject} {modal} {action} {object_}."
        if r.random() < 0.15:
            return f"For the purposes of this clause, {object_} include {r.choice(OBJECTS)} and {r.choice(OBJECTS)}."
        return _capitalised(f"{subject} {modal} {action} {object_} {r.choice(QUALIFIERS)}.")

    def item(self) -> str:
        r = self.rng
        return f"{r.choice(ACTIONS)} {r.choice(OBJECTS)}" + (f" {r.choice(QUALIFIERS)}" if r.random() < 0.5 else "")

    def versions(self, count: int) -> list[Wording]:
        """``count`` wordings of one clause of 60 to 120 words, each one edit away from the one before."""
        listed = self.rng.random() < 0.2
        while True:
            if listed:
                lead = _capitalised(f"{self.rng.choice(SUBJECTS)} {self.rng.choice(LEAD_MODALS)}:")
                items = [self.item() for _ in range(self.rng.randint(3, 4))]
                wording = Wording((lead, *items, self.sentence()), listed=True)
            else:
                wording = Wording(tuple(self.sentence() for _ in range(self.rng.randint(3, 6))))
            if MIN_WORDS <= wording.words <= MAX_WORDS:
                break
        wordings = [wording]
        while len(wordings) < count:
            wordings.append(self.revise(wordings[-1]))
        return wordings

    def revise(self, wording: Wording) -> Wording:
        """A different wording, still 60 to 120 words: a sentence or list item rewritten, one modal
        verb changed, or a qualifier added."""
        while True:
            parts = list(wording.parts)
            index = self.rng.randrange(1 if wording.listed else 0, len(parts))
            words = parts[index].split(" ")
            modals = [i for i, word in enumerate(words) if word in PLAIN_MODALS]
            draw = self.rng.random()
            if modals and draw < 0.35:
                words[self.rng.choice(modals)] = self.rng.choice(PLAIN_MODALS)
                parts[index] = " ".join(words)
            elif draw < 0.55 and parts[index].endswith(".") and parts[index].count(",") < 2:
                parts[index] = f"{parts[index][:-1]}, {self.rng.choice(QUALIFIERS)}."
            elif wording.listed and index < len(parts) - 1:
                parts[index] = self.item()
            else:
                parts[index] = self.sentence()
            revised = Wording(tuple(parts), wording.listed)
            if revised.text != wording.text and MIN_WORDS <= revised.words <= MAX_WORDS:
                return revised

    def amend(self, wording: Wording) -> str:
        """An amendment's text: the clause's wording with one or two edits."""
        for _ in range(self.rng.randint(1, 2)):
            wording = self.revise(wording)
        return wording.text

    def quote(self, text: str) -> str:
        """A few consecutive words of one line of ``text``, exactly as they stand in it."""
        line = self.rng.choice([line for line in text.splitlines() if line.strip()])
        words = line.removeprefix("- ").split(" ")
        length = min(len(words), self.rng.randint(3, 8))
        start = self.rng.randrange(len(words) - length + 1)
        return " ".join(words[start : start + length])

    def comment(self, stance: str) -> str:
        return f"{self.rng.choice(COMMENT_LINES[stance])} {self.rng.choice(FOLLOW_UPS)}".strip()


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def section_title(index: int) -> str:
    theme = SECTION_THEMES[index % len(SECTION_THEMES)]
    part = index // len(SECTION_THEMES)
    return theme if part == 0 else f"{theme} ({part + 1})"
