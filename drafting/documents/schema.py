"""The JSON file's format, declared once: what ``data.py`` writes and ``imports`` reads back.

Each object of the file is a table (``Fields``) of its keys, each with how it is read and checked
(``fields``: ``Need``, ``Count``, ``Moment``, ``Choice``, ``Text``, ...), in the order the import
checks them; the limits an import is held to stand beside them.
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder

from accounts.models import StakeholderGroup

from ..models import (
    AmendmentKind,
    AmendmentStatus,
    ClauseStatus,
    CosponsorAdmission,
    Cosponsorship,
    Counting,
    Disposition,
    Outcome,
    Phase,
    SectionKind,
    Stance,
    Visibility,
    VoteChoice,
    VotingRule,
)
from ..services.comments import MAX_COMMENT, MAX_QUOTE
from .fields import (
    ByGroup,
    Choice,
    Count,
    Field,
    Fields,
    Flag,
    Groups,
    Identity,
    Items,
    Key,
    Link,
    Moment,
    Name,
    Need,
    Nested,
    Object,
    On,
    OrganizationName,
    Stamp,
    Text,
    Words,
)

FORMAT = "codeofconduct-draft"
# 2: document identity, paragraph references, the redline's changes and the draft's record.
FORMAT_VERSION = 2
FORMAT_VERSIONS = (1, 2)  # FORMAT_VERSION and the ones before it, which an import still reads

# Checked before any work starts, so no import holds a web worker for more than a few seconds
# (README, "Reliability and security", has the measured figures).
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_CLAUSES = 2_000
MAX_IMPORT_VERSIONS = 10_000  # clause versions in a JSON file, first versions included
# People one import names (each becomes a placeholder account): 9,000 once held a request for 91 s.
MAX_IMPORT_PEOPLE = 1_000
MAX_IMPORT_RECORD_ROWS = 50_000  # snapshot clauses, amendments, comments, votes and results together
LONGEST_NUMBER = 20  # digits; no count or id in a file is longer
MAX_SUFFIX = 32767  # a clause's number_suffix column


class RecordEncoder(DjangoJSONEncoder):
    """Django's encoder, with every moment written to the millisecond ("10:00:00.000Z").

    Django's own drops the fraction when it is zero, so a moment that had microseconds below a
    millisecond (".000412", written ".000") came back from an import as a whole second and the
    next export wrote it differently: the same record, two files.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat(timespec="milliseconds")
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def encode(data: dict) -> bytes:
    return json.dumps(data, cls=RecordEncoder, indent=2, ensure_ascii=False).encode()


# The objects of the file, each key as it is checked (one rule per kind of field, ``fields``). A
# clause's history is read by ``imports.validation``: one version's status and author depend on the
# versions before it.
RECORD = Fields(  # each a list of the objects below, in the order they are read
    clause_owners=Items(),  # CLAUSE_OWNER
    rounds=Items(),  # ROUND
    clauses_out_of_text=Items(),  # CLAUSE, with its section
    snapshots=Items(),  # SNAPSHOT
    amendments=Items(),  # AMENDMENT
    comments=Items(),  # COMMENT
    votes=Items(),  # VOTE
    results=Items(),  # RESULT
    cosponsorships=Items(),  # COSPONSORSHIP; none in a file from before co-sponsors
)
FILE = Fields(
    format=Field(),  # FORMAT (``reading.read_json``)
    format_version=Field(),  # one of FORMAT_VERSIONS (``validation.json_plan``)
    draft=Need(dict),  # DRAFT
    sections=Need(list),  # SECTION objects
    record=Object(RECORD),  # or nothing: the file of the text alone
)
# One the installation does not have yet also needs its country (organization_create checks it).
ORGANIZATION = Fields(name=OrganizationName(), stakeholder_group=Choice(StakeholderGroup), country=Words())
DRAFT = Fields(
    title=Text("MAX_TITLE", one_line=True, need=True),  # as new_draft checks it
    summary=Text("MAX_SUMMARY", required=False),
    visibility=Choice(Visibility, required=False),  # unless the importer chooses one; none: members
    symbol=Words(),  # kept unless another draft here holds it (``writing.identity``)
    original_language=Words(),  # these four then checked by draft_update
    distribution=Words(),
    issuing_body=Words(),
    chair=Words(),
    created_at=Moment(),
    updated_at=Moment(),
)
SECTION = Fields(
    kind=Choice(SectionKind, default=SectionKind.OPERATIVE),
    title=Text("MAX_TITLE", one_line=True, need=True),  # as section_create checks it
    clauses=Need(list),
)
CLAUSE = Fields(
    id=Key(),  # unique in the file (``validation``)
    history=Items(),  # VERSION objects; none: one version, of the title, text and status below
    title=Words(),
    text=Words(),
    status=Choice(ClauseStatus, required=False),
    rationale=Text("MAX_CLAUSE_TEXT", required=False),
    number=Count(),  # format 2, as the next two
    number_suffix=Count(default=0, most=MAX_SUFFIX),
    section=Need(dict),  # a clause out of the text: its section, {"title", "kind"}
)
# What the author of a version spoke for, as the export writes it (``speaking_for_data``).
SPEAKING_FOR = Fields(
    chair=Flag(False),  # the Chair's act, which speaks for no delegation
    stakeholder_group=Choice(StakeholderGroup, required=False),
    verified=Flag(True),
    organization=Words(),  # its name; the version's ``organization`` is what is matched or made
)
VERSION = Fields(
    version=Count(),  # format 2: going up from 1; format 1: a renumbering repeats the number
    status=Choice(ClauseStatus, required=False),  # none: the previous version's
    speaking_for=Object(SPEAKING_FOR),
    changed_by=Words(),  # a name (``recorded_name``), unless the Chair's
    title=Need(),  # these two cleaned as an edit would be (``validation.check_clauses``)
    text=Need(),
    reason=Text("MAX_CLAUSE_TEXT", required=False),
    number=Count(),  # format 2, as the next
    number_suffix=Count(most=MAX_SUFFIX),
    organization=Object(ORGANIZATION),  # of the author, unless the Chair's
    changed_at=Moment(),
)
CLAUSE_OWNER = Fields(
    clause=Key(required=True),
    proposer=Name(optional=True),  # no one: the Chair's, unless as_chair says otherwise
    as_chair=Flag(None),  # none: a file from before it, whose Chair's proposals have no proposer
    round=Link(to="rounds", required=False),
    cosponsorship=Choice(CosponsorAdmission, default=CosponsorAdmission.OPEN),  # the proponent's setting
)
ROUND = Fields(
    phase=Choice(Phase),
    eligible_groups=Groups(),
    created_by=Name(),
    title=Text("MAX_TITLE", one_line=True, need=True),
    voting_rule=Choice(VotingRule),
    counting=Choice(Counting, default=Counting.PER_PERSON),  # files from before it counted each person
    quorum=Count(default=0, required=True),
    hide_tallies_until_close=Flag(True),
    chatham_house=Flag(False),
    opens_at=Moment(scheduled=True),
    voting_opens_at=Moment(scheduled=True),
    closes_at=Moment(scheduled=True),
    opened_at=Moment(),
    closing_notice_at=Moment(),
    voting_started_at=Moment(),
    closed_at=Moment(),
    id=Key(required=True),  # unique in the file, as the next two kinds' (``validation``)
    created_at=Stamp(),
)
SNAPSHOT = Fields(
    label=Text(100, one_line=True, need=True),
    revision=Count(required=True),
    round=Link(to="rounds", required=False),
    created_by=Name(optional=True),
    identity=Identity(),
    created_at=Stamp(),
    clauses=Items(),  # SNAPSHOT_CLAUSE objects, each clause once
)
SNAPSHOT_CLAUSE = Fields(
    text=Text("MAX_CLAUSE_TEXT", need=True),
    clause=Link(to="clauses"),
    section_title=Text("MAX_TITLE", one_line=True, need=True),
    section_position=Count(required=True),
    section_kind=Choice(SectionKind, default=SectionKind.OPERATIVE),
    number=Count(required=True),
    number_suffix=Count(default=0, most=MAX_SUFFIX),
    previous_label=Text(40, one_line=True, required=False),
    title=Text("MAX_TITLE", need=True),
    status=Choice(ClauseStatus),
    version=Count(required=True),
    rationale=Text("MAX_CLAUSE_TEXT", required=False),
)
AMENDMENT = Fields(
    author=Name(optional=True),  # no one for the Chair's (``as_chair``), which names no person
    as_chair=Flag(False),
    clause=Link(to="clauses"),
    round=Link(to="rounds"),
    kind=Choice(AmendmentKind),
    text=Text("MAX_CLAUSE_TEXT", required=False),  # none for a deletion
    rationale=Text("MAX_CLAUSE_TEXT", required=False),
    base_version=Count(required=True),
    base_text=Text("MAX_CLAUSE_TEXT", required=False),
    status=Choice(AmendmentStatus),
    organization=Object(ORGANIZATION),
    cosponsorship=Choice(CosponsorAdmission, default=CosponsorAdmission.OPEN),  # the proponent's setting
    id=Key(required=True),
    created_at=Stamp(),
    updated_at=Stamp(),
)
COMMENT = Fields(
    author=Name(optional=True),  # no one for the Chair's (``as_chair``), which names no person
    as_chair=Flag(False),
    on=On(),
    parent=Key(),  # a comment before it in the file, on the same text (``validation``)
    body=Text(MAX_COMMENT),
    stance=Choice(Stance, default=Stance.NEUTRAL),
    quote=Text(MAX_QUOTE, required=False),
    edited_at=Moment(),
    hidden=Flag(),
    hidden_reason=Text(1000, required=False),  # as comment_hide checks it
    hidden_by=Name(optional=True),
    hidden_at=Moment(),
    id=Key(required=True),
    created_at=Stamp(),
    disposition=Nested(),  # a DISPOSITION object, or nothing
)
DISPOSITION = Fields(
    decided_by=Name(),
    round=Link(to="rounds"),
    disposition=Choice(Disposition),
    reason=Text(500, required=False),
    updated_at=Stamp(),
)
VOTE = Fields(
    voter=Name(),
    organization=Object(ORGANIZATION, required=True),
    stakeholder_group=Choice(StakeholderGroup),  # the organization's group
    round=Link(to="rounds"),
    on=On(),
    choice=Choice(VoteChoice),
    created_at=Stamp(),
    updated_at=Stamp(),
)
RESULT = Fields(
    by_group=ByGroup(),
    round=Link(to="rounds"),
    on=On(),
    outcome=Choice(Outcome),
    yes=Count(required=True),
    no=Count(required=True),
    abstain=Count(required=True),
    effect=Text(40, required=False),
    reason=Text("MAX_CLAUSE_TEXT", required=False),
    # A file from before numbers were kept as voted has none: the clause's number is cited.
    cited_number=Count(),
    cited_suffix=Count(default=0, most=MAX_SUFFIX),
)
COSPONSORSHIP = Fields(
    on=On(),
    organization=Object(ORGANIZATION, required=True),  # the co-sponsoring delegation
    status=Choice(Cosponsorship.Status),
    requested_by=Name(),
    decided_by=Name(optional=True),
    created_at=Stamp(),
    updated_at=Stamp(),
)
