"""The draft a file describes, in memory: what reading a Markdown file or validating a JSON one
makes, checked, and what the writing turns into rows. The people, organizations and rounds a file
names stay as it names them until the writing resolves them (the ``# written`` fields)."""

from dataclasses import dataclass, field
from datetime import datetime

from accounts.models import Organization, User

from ...models import Round, SectionKind


@dataclass(eq=False)
class SectionPlan:
    title: str
    kind: str = SectionKind.OPERATIVE
    # The file's place for this section (JSON), which a fault of writing it is named by; None for
    # Markdown, whose faults name the field.
    path: str | None = None


@dataclass(eq=False)
class VersionPlan:
    """One version of a clause, in order: its author's recorded name and its date, if the file
    gives them (else the importer's, now)."""

    title: str
    text: str
    status: str
    reason: str | None
    where: str  # the file's place for it: "Line 3", "sections[0].clauses[2].history[1]"
    version: int | None = None
    number: int | None = None
    number_suffix: int | None = None
    recorded_by: str = ""
    as_chair: bool = False  # the Chair's act, not a person's
    speaking_for: dict | None = None  # as the file gives it, as the next
    organization: dict | None = None
    group: str | None = None  # the stakeholder group it spoke for, where no organization is given
    recorded_verified: bool = True
    when: datetime | None = None
    recorded_for: Organization | None = None  # written: the organization matched or made


@dataclass(eq=False)
class ClausePlan:
    """A clause with its versions. ``validation.check_clauses`` gives it its number and cleans its
    texts as an edit would; ``owner`` is its entry in the record's clause owners, if any."""

    section: SectionPlan
    where: str
    versions: list[VersionPlan]
    rationale: str = ""
    file_id: object = None
    number: int | None = None
    number_suffix: int | None = 0
    owner: dict | None = None
    preambular: bool = False
    # Written: who proposed it, as the Chair or not, and in which round (none: the importer loads
    # the Chair's text).
    proposer: User | None = None
    as_chair: bool = True
    round: Round | None = None


@dataclass
class RecordPlan:
    """The file's record, each object read by its table in ``schema`` (with its ``path`` in the
    file); the comments in generations, so a reply's parent is written before it."""

    rounds: list[dict] = field(default_factory=list)
    snapshots: list[dict] = field(default_factory=list)
    amendments: list[dict] = field(default_factory=list)
    comments: list[list[dict]] = field(default_factory=list)
    votes: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    cosponsorships: list[dict] = field(default_factory=list)


@dataclass
class DraftPlan:
    title: str
    summary: str
    sections: list[SectionPlan]
    clauses: list[ClausePlan]
    visibility: str | None = None  # as the file gives it
    symbol: str = ""
    identity: dict = field(default_factory=dict)  # original_language, distribution, issuing_body, chair
    created_at: datetime | None = None
    updated_at: datetime | None = None
    record: RecordPlan | None = None  # JSON only
