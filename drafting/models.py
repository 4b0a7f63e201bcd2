from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from codeofconduct import generated
from codeofconduct.history import HistoryManager, StoredHistory

from . import vectors


def exactly_one(first: str, second: str, *, name: str) -> models.CheckConstraint:
    """A row points at ``first`` or at ``second``, never both, never neither."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{first}__isnull": False, f"{second}__isnull": True})
        | models.Q(**{f"{first}__isnull": True, f"{second}__isnull": False}),
        name=name,
    )


class Visibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("draft visibility", "Public")
    MEMBERS = "members", pgettext_lazy("draft visibility", "Members only")


class Role(models.TextChoices):
    MODERATOR = "moderator", pgettext_lazy("role in a draft", "Moderator")
    PARTICIPANT = "participant", pgettext_lazy("role in a draft", "Participant")
    OBSERVER = "observer", pgettext_lazy("role in a draft", "Observer")


class ClauseStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("clause status", "Proposed")
    AGREED = "agreed", pgettext_lazy("clause status", "Agreed")
    BRACKETED = "bracketed", pgettext_lazy("clause status", "Bracketed")
    REJECTED = "rejected", pgettext_lazy("clause status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("clause status", "Withdrawn")


# Latin multiplicatives, as UN drafting inserts paragraphs: 16, 16 bis, 16 ter, ... A paragraph put
# between two of those takes a capital letter, as parliaments write it: 16 A, 16 bis A, 16 bis B.
NUMBER_SUFFIXES = ("", "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")
# A clause's ``number_suffix`` is WORD × the word's place in NUMBER_SUFFIXES plus the letter's place
# in the alphabet, so that ordering by (number, number_suffix) is the reading order of the labels:
# 16 (0) < 16 A (1) < 16 bis (100) < 16 bis A (101) < 16 ter (200).
WORD = 100
LETTERS = 26


def number_label(number: int, suffix: int = 0) -> str:
    word, letter = divmod(suffix, WORD)
    parts = [str(number)]
    if word:
        parts.append(NUMBER_SUFFIXES[word] if word < len(NUMBER_SUFFIXES) else f"({word + 1})")
    if letter:
        parts.append(chr(ord("A") + letter - 1) if letter <= LETTERS else f"({letter})")
    return " ".join(parts)


def paragraph_ref(number: int, suffix: int = 0, *, preambular: bool = False) -> str:
    """A paragraph as negotiators cite it in UN style: "PP2" (preambular), "OP16 bis" (operative)."""
    return f"{'PP' if preambular else 'OP'}{number_label(number, suffix)}"


def cited_as_voted(clause: "Clause", cited_as: str, *, shown: bool = False) -> str:
    """A paragraph as a closed round's record cites it: the number its ballot cited, with the number
    it has now where a revision has renumbered it since ("OP11, now OP10"). A paragraph that has left
    the text keeps its number, so it is cited as voted. Empty ``cited_as``: not voted on yet.
    ``shown``: for a page only, in the reader's language; the record (results frozen in a round's
    papers, documents) keeps the English."""
    now = clause.ref
    if not cited_as or cited_as == now or clause.status in OUT_OF_THE_TEXT:
        return cited_as or now
    if shown:
        # Translators: a paragraph cited as a round voted on it, then as it is numbered now ("OP11, now OP10").
        return gettext("%(cited)s, now %(now)s") % {"cited": cited_as, "now": now}
    return f"{cited_as}, now {now}"


def roman(number: int) -> str:
    """Section numerals (I, II, ... XL): they never read like a paragraph number."""
    if number <= 0:
        return str(number)
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
    numerals += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, letters in numerals:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


class SectionNumerals:
    """Section headings' numerals as every text prints them ("I. Principles", "II. Norms"): the
    operative sections counted in reading order; the preamble has none. ``next`` for each section
    in turn."""

    def __init__(self):
        self.operative = 0

    def next(self, preamble: bool) -> str:
        if preamble:
            return ""
        self.operative += 1
        return roman(self.operative)


def suffix_between(low: int, high: int | None) -> int | None:
    """The suffix a clause inserted right after suffix ``low`` of a number takes, below ``high`` (the
    suffix of the next clause with the same number; None when the next clause has another number):
    the next Latin word where it fits, else the next letter; None when neither fits."""
    word = (low // WORD + 1) * WORD
    if high is None or word < high:
        return word
    letter = low + 1
    if letter % WORD and letter % WORD <= LETTERS and letter < high:
        return letter
    return None


# The order a draft reads in, for a query of clauses: by section, then number and suffix.
READING_ORDER = ("section__position", "section_id", "number", "number_suffix")


# Text in these states is not agreed yet and is shown in square brackets, as in diplomatic drafting.
BRACKETED_STATUSES = frozenset({ClauseStatus.PROPOSED, ClauseStatus.BRACKETED})

# A rejected or withdrawn paragraph has left the text: the working text and every revision leave it
# out, and no number of the text is kept for it. It stays in the record under the number it had.
OUT_OF_THE_TEXT = (ClauseStatus.REJECTED, ClauseStatus.WITHDRAWN)


class Distribution(models.TextChoices):
    """Who a circulated document is for, as its front block says (UN document practice)."""

    GENERAL = "general", pgettext_lazy("document distribution", "General")
    LIMITED = "limited", pgettext_lazy("document distribution", "Limited")
    RESTRICTED = "restricted", pgettext_lazy("document distribution", "Restricted")


class Draft(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    # The document's identity on everything circulated: "CCC/2026/L.1", its revisions "CCC/2026/L.1/Rev.2".
    symbol = models.CharField(max_length=60, blank=True)
    original_language = models.CharField(max_length=10, default="en", help_text=_("BCP 47 code, e.g. en, fr, es."))
    distribution = models.CharField(max_length=12, choices=Distribution.choices, default=Distribution.GENERAL)
    # The secretariat or body that owns the draft: the author of every document it circulates.
    issuing_body = models.CharField(max_length=200, blank=True)
    # Who the moderators act as (DESIGN.md "The Chair"): "the Chair", "the Chair of the Working Group".
    chair = models.CharField(max_length=200, blank=True)
    # Paragraph titles are the drafters' handles; a circulated text prints them only where the
    # draft makes them part of the text (as some codes of conduct title each norm).
    titles_in_text = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def document_symbol(self) -> str:
        """The symbol documents carry: the one set, else one made from the year and the draft's id."""
        year = (self.created_at.year if self.created_at else None) or timezone.now().year
        return self.symbol or f"CCC/{year}/L.{self.pk}"

    @property
    def owning_body(self) -> str:
        return self.issuing_body or DEFAULT_ISSUING_BODY

    @property
    def chair_name(self) -> str:
        """As the record names the Chair mid-sentence: "the Chair" unless the draft names its own."""
        return self.chair or DEFAULT_CHAIR


DEFAULT_ISSUING_BODY = "Secretariat of the Code of Conduct negotiation"
DEFAULT_CHAIR = "the Chair"


class DraftMembership(models.Model):
    """A person's role in one draft."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        ordering = ["draft_id", "user__username"]
        constraints = [models.UniqueConstraint(fields=["draft", "user"], name="one_role_per_draft")]

    def __str__(self):
        return f"{self.user} is {self.role} of {self.draft}"


class SectionKind(models.TextChoices):
    """UN paragraph style: preambular paragraphs (PP) come before the operative ones (OP), and each
    part is numbered on its own."""

    PREAMBLE = "preamble", pgettext_lazy("section kind", "Preamble")
    OPERATIVE = "operative", pgettext_lazy("section kind", "Operative")


class Section(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=SectionKind.choices, default=SectionKind.OPERATIVE)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        ordering = ["draft_id", "position", "id"]

    def __str__(self):
        return self.title

    @property
    def is_preamble(self) -> bool:
        return self.kind == SectionKind.PREAMBLE


class RecordedAuthor(models.Model):
    """On a history row: the author's name and delegation as another installation recorded them, for
    a row imported from a JSON export whose author has no account here (``history_user`` is then empty); and the
    round whose act the version records when its moment would tell another (an amendment carried
    over from an earlier round, merged at a later close), which the naming rule reads too."""

    recorded_by = models.CharField(max_length=150, blank=True)
    # What that author spoke for, as the file recorded it (the membership history here knows no one
    # it names): the organization, matched by name as sign-up matches it or made; only the group
    # where the file withheld the organization (a Chatham House round's change).
    recorded_for = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_group = models.CharField(max_length=20, blank=True)
    recorded_verified = models.BooleanField(default=True)  # false: the file said "claims to speak for"
    # The version is the Chair's act (a moderator's edit, a close, a merge of the Chair's amendment),
    # not the person's delegation's: the naming rule tells it as the Chair.
    history_as_chair = models.BooleanField(default=False)
    # The Chair's change made on the proposal of a delegation (in a live session): named with it.
    history_on_proposal_of = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    act_round = models.ForeignKey(
        "drafting.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )

    class Meta:
        abstract = True


class CosponsorAdmission(models.TextChoices):
    """How a delegation's proposal takes co-sponsors, as its proponent sets it."""

    OPEN = "open", _("Co-sponsors join at once")
    ON_ACCEPTANCE = "on_acceptance", _("The proponent accepts each co-sponsor")


class SearchedVersion(models.Model):
    """On a clause's history row: the version's search vector (earlier versions are searched too)."""

    search_vector = vectors.search_vector(*vectors.CLAUSE_TEXT)
    objects = generated.Manager()

    class Meta:
        abstract = True


class Clause(models.Model):
    """A numbered norm clause. ``version`` grows by one with every saved change."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="clauses")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="clauses")
    number = models.PositiveIntegerField()
    # 0 for a plain number; else a "bis", "ter", ... and perhaps a letter (see WORD): a clause inserted
    # after clause 16 while people cite the numbers is 16 bis, until a revision renumbers the text
    # (a round's close, or a snapshot taken while no round is open or voting).
    number_suffix = models.PositiveSmallIntegerField(default=0)
    # Its section's kind, kept here so numbers are unique within a part: PP1.. and OP1.. both start at 1.
    preambular = models.BooleanField(default=False)
    title = models.CharField(max_length=300)
    text = models.TextField()
    # Rendered and sanitised once per version (DESIGN.md), so reads never re-render Markdown.
    text_html = models.TextField(editable=False)
    rationale = models.TextField(blank=True)
    search_vector = vectors.search_vector(*vectors.CLAUSE_TEXT)
    rationale_vector = vectors.search_vector(("rationale", "A"))
    status = models.CharField(max_length=10, choices=ClauseStatus.choices, default=ClauseStatus.PROPOSED)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The round a participant proposed it in (none for clauses a moderator put in the text).
    round = models.ForeignKey("Round", null=True, blank=True, on_delete=models.PROTECT, related_name="proposed_clauses")
    # Proposed by the Chair (a moderator speaking as the Chair: the zero draft), not a delegation.
    proposed_as_chair = models.BooleanField(default=False)
    # How other delegations co-sponsor it (a participant's proposal only): the proponent's setting.
    cosponsorship = models.CharField(max_length=14, choices=CosponsorAdmission.choices, default=CosponsorAdmission.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The co-sponsorship setting is the proponent's, not a version of the text: no history row
    # (the co-sponsorships keep their own history).
    history = StoredHistory(
        bases=[RecordedAuthor, SearchedVersion],
        indexes=[vectors.index("historicalclause_search_gin")],
        unrecorded=["cosponsorship"],
    )
    objects = generated.Manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["section__position", "number", "number_suffix"]
        constraints = [
            # Unique among the paragraphs of the text: a rejected or withdrawn one left the text and
            # keeps, in the record, the number it was voted or withdrawn under, which a later
            # paragraph of the text may take when a revision renumbers it.
            models.UniqueConstraint(
                fields=["draft", "preambular", "number", "number_suffix"],
                condition=~models.Q(status__in=OUT_OF_THE_TEXT),
                name="clause_number_unique_in_part",
            )
        ]
        # The draft page's text is cached under the draft's last clause change, read on every view:
        # this index answers it without visiting the clauses (reading.text_stamp).
        indexes = [
            models.Index(fields=["draft", "updated_at"], name="clause_draft_changed_idx"),
            vectors.index("clause_search_gin"),
            vectors.index("clause_rationale_gin", "rationale_vector"),
        ]

    def __str__(self):
        return f"{self.label}. {self.title}"

    @property
    def label(self) -> str:
        """The number as negotiators cite it: "16", "16 bis", "16 ter"."""
        return number_label(self.number, self.number_suffix)

    @property
    def ref(self) -> str:
        """The paragraph reference in UN style: "PP2", "OP16 bis"."""
        return paragraph_ref(self.number, self.number_suffix, preambular=self.preambular)

    @property
    def is_bracketed(self) -> bool:
        return self.status in BRACKETED_STATUSES


class Phase(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("round phase", "Scheduled")
    OPEN = "open", pgettext_lazy("round phase", "Open")
    VOTING = "voting", pgettext_lazy("round phase", "Voting")
    CLOSED = "closed", pgettext_lazy("round phase", "Closed")


class VotingRule(models.TextChoices):
    SIMPLE_MAJORITY = "simple_majority", pgettext_lazy("voting rule", "Simple majority")
    TWO_THIRDS = "two_thirds", pgettext_lazy("voting rule", "Two thirds")
    CONSENSUS = "consensus", pgettext_lazy("voting rule", "Consensus")
    MULTISTAKEHOLDER = "multistakeholder", pgettext_lazy("voting rule", "Multistakeholder")


class Counting(models.TextChoices):
    """Whose votes a round counts: each delegation's one voice (as an intergovernmental text is
    decided), or each verified person's."""

    PER_DELEGATION = "per_delegation", _("One voice per delegation")
    PER_PERSON = "per_person", _("One vote per person")


def _all_groups():
    from accounts.models import StakeholderGroup

    return list(StakeholderGroup.values)


class Round(models.Model):
    """A consultation round: ``scheduled -> open -> voting -> closed``; one open or voting per draft."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(max_length=300)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.SCHEDULED)
    voting_rule = models.CharField(max_length=20, choices=VotingRule.choices, default=VotingRule.SIMPLE_MAJORITY)
    # Per delegation, any verified member casts or changes the organization's one vote on an item;
    # the tally, the quorum and the multistakeholder rule then count delegations.
    counting = models.CharField(max_length=16, choices=Counting.choices, default=Counting.PER_DELEGATION)
    quorum = models.PositiveIntegerField(default=0, help_text=_("The fewest votes an item needs to be decided."))
    eligible_groups = models.JSONField(default=_all_groups)
    hide_tallies_until_close = models.BooleanField(default=True)
    # Chatham House rule: results show stakeholder groups, never the people or organizations.
    chatham_house = models.BooleanField(default=False)
    opens_at = models.DateTimeField(null=True, blank=True)
    voting_opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closing_notice_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When people were told it closes soon.")
    )
    voting_started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        ordering = ["draft_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"],
                condition=models.Q(phase__in=["open", "voting"]),
                name="one_active_round_per_draft",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.phase})"

    @property
    def per_delegation(self) -> bool:
        return self.counting == Counting.PER_DELEGATION


class AmendmentKind(models.TextChoices):
    MODIFY = "modify", pgettext_lazy("amendment kind", "Modify")
    DELETE = "delete", pgettext_lazy("amendment kind", "Delete")


class AmendmentStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("amendment status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("amendment status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("amendment status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("amendment status", "Withdrawn")
    CONFLICTED = "conflicted", pgettext_lazy("amendment status", "Conflicted")
    # A rival of the amendment the close accepted (it changes the same or adjacent words): not merged.
    SUPERSEDED = "superseded", pgettext_lazy("amendment status", "Superseded")
    # A rival the Chair carried to the next round's ballot, with the others of its set.
    CARRIED_OVER = "carried_over", pgettext_lazy("amendment status", "Carried over")


class Amendment(models.Model):
    """A proposed change to one clause, written against ``base_version`` of it."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="amendments")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="amendments")
    kind = models.CharField(max_length=10, choices=AmendmentKind.choices)
    text = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    base_version = models.PositiveIntegerField()
    # The clause text the amendment was written against, kept so its redline never needs history.
    base_text = models.TextField()
    status = models.CharField(max_length=12, choices=AmendmentStatus.choices, default=AmendmentStatus.SUBMITTED)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="amendments")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    as_chair = models.BooleanField(default=False)  # the Chair's (a compromise text), not a delegation's
    # How other delegations co-sponsor it (a delegation's amendment only): the proponent's setting.
    cosponsorship = models.CharField(max_length=14, choices=CosponsorAdmission.choices, default=CosponsorAdmission.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = vectors.search_vector(("text", "A"), ("rationale", "B"))
    history = StoredHistory(unrecorded=["cosponsorship"])  # as the clause's
    objects = generated.Manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["created_at", "id"]
        indexes = [vectors.index("amendment_search_gin")]

    def __str__(self):
        return f"Amendment {self.pk} to clause {self.clause_id} ({self.status})"

    @property
    def new_text(self) -> str:
        """The clause text if this amendment were applied."""
        return "" if self.kind == AmendmentKind.DELETE else self.text


class Cosponsorship(models.Model):
    """A delegation co-sponsors a delegation's proposal (a clause proposed in a round, or an
    amendment), through one of its verified members, while the proposal's round is open
    (``drafting.rules_cosponsors``). A row is never deleted: a withdrawal or a declined request
    stays as a row with that status, and the history keeps who did what and when."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("co-sponsorship status", "Asked, awaiting the proponent")
        JOINED = "joined", pgettext_lazy("co-sponsorship status", "Co-sponsoring")
        DECLINED = "declined", pgettext_lazy("co-sponsorship status", "Declined by the proponent")
        WITHDRAWN = "withdrawn", pgettext_lazy("co-sponsorship status", "Withdrawn")

    # A delegation asks or co-sponsors once at a time; after a withdrawal or a refusal it may again.
    LIVE = (Status.REQUESTED, Status.JOINED)

    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="cosponsorships")
    amendment = models.ForeignKey(
        Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="cosponsorships"
    )
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    # The verified member who acted for the delegation, and the proponent's member who accepted or
    # declined its request (or the member who withdrew it).
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            exactly_one("clause", "amendment", name="cosponsorship_of_clause_or_amendment"),
            models.UniqueConstraint(
                fields=["clause", "organization"],
                condition=models.Q(clause__isnull=False, status__in=["requested", "joined"]),
                name="one_live_cosponsorship_per_clause",
            ),
            models.UniqueConstraint(
                fields=["amendment", "organization"],
                condition=models.Q(amendment__isnull=False, status__in=["requested", "joined"]),
                name="one_live_cosponsorship_per_amendment",
            ),
        ]

    def __str__(self):
        on = f"clause {self.clause_id}" if self.clause_id else f"amendment {self.amendment_id}"
        return f"Co-sponsorship {self.pk} of {on} ({self.status})"  # which delegation is the naming rule's to tell

    @property
    def proposal(self):
        return self.clause if self.clause_id else self.amendment


class Stance(models.TextChoices):
    SUPPORT = "support", pgettext_lazy("comment stance", "Support")
    OPPOSE = "oppose", pgettext_lazy("comment stance", "Oppose")
    CONCERN = "concern", pgettext_lazy("comment stance", "Concern")
    QUESTION = "question", pgettext_lazy("comment stance", "Question")
    NEUTRAL = "neutral", pgettext_lazy("comment stance", "Neutral")


class Comment(models.Model):
    """A comment on a clause or an amendment; moderators hide, never delete."""

    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField()
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.NEUTRAL)
    quote = models.TextField(blank=True, help_text=_("The span of text the comment is about."))
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    as_chair = models.BooleanField(default=False)  # said by the Chair, not for a delegation
    created_at = models.DateTimeField(auto_now_add=True)
    search_vector = vectors.search_vector(("body", "A"))
    history = StoredHistory()
    objects = generated.Manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["created_at", "id"]
        constraints = [exactly_one("clause", "amendment", name="comment_on_clause_or_amendment")]
        indexes = [vectors.index("comment_search_gin")]

    def __str__(self):
        on = f"clause {self.clause_id}" if self.clause_id else f"amendment {self.amendment_id}"
        return f"Comment {self.pk} on {on}"  # who wrote it is the naming rule's to tell


class VoteChoice(models.TextChoices):
    YES = "yes", pgettext_lazy("vote", "Yes")
    NO = "no", pgettext_lazy("vote", "No")
    ABSTAIN = "abstain", pgettext_lazy("vote", "Abstain")


class Vote(models.Model):
    """One vote on one item in one round, changeable until the round closes: a person's own, or in a
    round counted per delegation (``for_delegation``) their organization's, which ``voter`` cast or
    last changed (the history keeps each member who did)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="votes")
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.PROTECT, related_name="votes")
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)
    # The group and organization the voter spoke for at voting time, kept even if they move on.
    stakeholder_group = models.CharField(max_length=20)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    for_delegation = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        constraints = [
            exactly_one("clause", "amendment", name="vote_on_clause_or_amendment"),
            models.UniqueConstraint(
                fields=["round", "voter", "clause"],
                condition=models.Q(clause__isnull=False, for_delegation=False),
                name="one_vote_per_clause",
            ),
            models.UniqueConstraint(
                fields=["round", "voter", "amendment"],
                condition=models.Q(amendment__isnull=False, for_delegation=False),
                name="one_vote_per_amendment",
            ),
            models.UniqueConstraint(
                fields=["round", "organization", "clause"],
                condition=models.Q(clause__isnull=False, for_delegation=True),
                name="one_delegation_vote_per_clause",
            ),
            models.UniqueConstraint(
                fields=["round", "organization", "amendment"],
                condition=models.Q(amendment__isnull=False, for_delegation=True),
                name="one_delegation_vote_per_amendment",
            ),
        ]

    def __str__(self):
        return f"Vote {self.pk}: {self.choice}"  # who cast it is the naming rule's to tell


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("vote outcome", "Accepted")
    REJECTED = "rejected", pgettext_lazy("vote outcome", "Rejected")
    NO_QUORUM = "no_quorum", pgettext_lazy("vote outcome", "No quorum")
    # A rival of another amendment (same or adjacent words): the close settled its set
    # (``drafting.rivals``), so its own vote, whatever it was, does not decide it.
    SUPERSEDED = "superseded", pgettext_lazy("vote outcome", "Superseded")
    CARRIED_OVER = "carried_over", pgettext_lazy("vote outcome", "Carried over")


class ItemResult(models.Model):
    """The final tally of one item of a closed round, overall and per stakeholder group."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.PROTECT, related_name="results")
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.PROTECT, related_name="results")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    yes = models.PositiveIntegerField()
    no = models.PositiveIntegerField()
    abstain = models.PositiveIntegerField()
    # {group: {yes, no, abstain}} for every group that voted on the item.
    by_group = models.JSONField(default=dict)
    # What closing did with the item: "merged", "merged three-way", "conflicted", "agreed", ...
    effect = models.CharField(max_length=40, blank=True)
    # Why the outcome is what it is, in the words of the rule that decided it (``tally.decide``).
    reason = models.TextField(blank=True)
    # The paragraph's number and suffix as the ballot cited them when the round closed, before the
    # revision the close publishes renumbered the text: results, reports and notices cite the item
    # so (``cited_as``), and the ballot of the closed round reads in that order.
    cited_number = models.PositiveIntegerField(null=True, blank=True)
    cited_suffix = models.PositiveSmallIntegerField(default=0)

    objects = generated.Manager()  # its reads join clauses, amendments or comments

    class Meta:
        ordering = ["id"]
        constraints = [
            exactly_one("clause", "amendment", name="result_for_clause_or_amendment"),
            models.UniqueConstraint(
                fields=["round", "clause"], condition=models.Q(clause__isnull=False), name="one_result_per_clause"
            ),
            models.UniqueConstraint(
                fields=["round", "amendment"],
                condition=models.Q(amendment__isnull=False),
                name="one_result_per_amendment",
            ),
        ]

    def __str__(self):
        return f"{self.item_type} {self.item_id}: {self.outcome}"

    @property
    def item_type(self) -> str:
        return "clause" if self.clause_id else "amendment"

    @property
    def item_id(self) -> int:
        return self.clause_id or self.amendment_id

    @property
    def ended_status(self) -> str:
        """The status the round left its amendment in, whatever later rounds did with it: an accepted
        one merged (``merge.Merge`` effects "merged", "merged three-way", "deleted") or conflicted; a
        no-quorum one still submitted; a settled rival superseded or carried over."""
        if self.outcome == Outcome.ACCEPTED:
            merged = self.effect.startswith("merged") or self.effect == "deleted"
            return AmendmentStatus.ACCEPTED if merged else AmendmentStatus.CONFLICTED
        if self.outcome == Outcome.NO_QUORUM:
            return AmendmentStatus.SUBMITTED
        return self.outcome  # rejected, superseded, carried_over: the same words as the status

    @property
    def cited_as(self) -> str:
        """The paragraph as the ballot cited it ("OP11"); the clause's number now for a result
        stored without one."""
        clause = self.clause or self.amendment.clause
        if self.cited_number is None:
            return clause.ref
        return paragraph_ref(self.cited_number, self.cited_suffix, preambular=clause.preambular)


class VoteReminder(models.Model):
    """The Chair reminded a delegation that had not voted on every item of a round: once per
    delegation and round, told to its voting members through the notification outbox."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reminders")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What the delegation had voted on when reminded, of how many items, and how many members were told.
    voted = models.PositiveIntegerField()
    items = models.PositiveIntegerField()
    members = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_id", "sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "organization"], name="one_reminder_per_delegation")]

    def __str__(self):
        return f"Reminder {self.pk} in round {self.round_id}"  # which delegation is the naming rule's to tell


class RoundPaper(models.Model):
    """A closed round's paper as the round's record stood when it closed, written once: its
    compilation of proposals (with the revision the close published, which the synoptic table sets
    beside it) and the items of its report. Every later file of the round is rendered from it, so it
    reads the same whatever happens to the draft afterwards."""

    class Kind(models.TextChoices):
        COMPILATION = "compilation", _("Compilation of proposals")
        REPORT = "report", _("Round report")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["round", "kind"], name="one_paper_of_each_kind_per_round")]

    def __str__(self):
        return f"{self.get_kind_display()} of round {self.round_id}"


class Snapshot(models.Model):
    """An immutable consolidated draft: the original ("L.1") or a revision ("Rev.1"), written once,
    never changed."""

    # The first text a draft circulates: the original, cited by the draft's symbol alone.
    ORIGINAL = 0

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="snapshots")
    label = models.CharField(max_length=100)
    # Rev.N: the snapshots of a draft in the order they were published, from 0 (the original; a
    # draft whose first snapshot came before there was an original starts at 1).
    revision = models.PositiveIntegerField()
    round = models.OneToOneField(Round, null=True, blank=True, on_delete=models.PROTECT, related_name="snapshot")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The draft's identity as this text was circulated under it (``IDENTITY``: title, symbol,
    # distribution, language, issuing body, the Chair, titles in the text): its documents print it
    # whatever the draft's settings become. Empty for a snapshot taken before it was kept.
    identity = models.JSONField(default=dict, blank=True)

    # What ``identity`` keeps, each as the draft's attribute of that name.
    IDENTITY = (
        "title",
        "document_symbol",
        "distribution",
        "original_language",
        "issuing_body",
        "chair",
        "titles_in_text",
    )

    class Meta:
        ordering = ["draft_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "label"], name="snapshot_label_unique_in_draft"),
            models.UniqueConstraint(fields=["draft", "revision"], name="snapshot_revision_unique_in_draft"),
        ]

    def __str__(self):
        return f"{self.draft} {self.label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Snapshots never change.")
        super().save(*args, **kwargs)

    @property
    def rev(self) -> str:
        """ "Rev.2"; "Original" for the original."""
        return f"Rev.{self.revision}" if self.revision != self.ORIGINAL else "Original"

    @property
    def full_symbol(self) -> str:
        """ "CCC/2026/L.1/Rev.2"; the original's is the draft's symbol alone."""
        symbol = self.draft.document_symbol
        return symbol if self.revision == self.ORIGINAL else f"{symbol}/Rev.{self.revision}"


class SnapshotClause(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="clauses")
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="+")
    section_title = models.CharField(max_length=300)
    section_position = models.PositiveIntegerField()
    section_kind = models.CharField(max_length=10, choices=SectionKind.choices, default=SectionKind.OPERATIVE)
    number = models.PositiveIntegerField()
    number_suffix = models.PositiveSmallIntegerField(default=0)
    # The number the clause had in the working text when this snapshot was taken ("16 bis"), where the
    # snapshot numbers it otherwise; blank if the same.
    previous_label = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=300)
    text = models.TextField()
    text_html = models.TextField()
    status = models.CharField(max_length=10, choices=ClauseStatus.choices)
    version = models.PositiveIntegerField()
    # Its sources as they stood when the text was frozen: a revision's footnotes never change.
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["snapshot_id", "section_position", "number", "number_suffix"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "clause"], name="clause_once_per_snapshot")]

    def __str__(self):
        return f"{self.label}. {self.title} (v{self.version})"

    @property
    def label(self) -> str:
        return number_label(self.number, self.number_suffix)

    @property
    def preambular(self) -> bool:
        return self.section_kind == SectionKind.PREAMBLE

    @property
    def ref(self) -> str:
        return paragraph_ref(self.number, self.number_suffix, preambular=self.preambular)

    @property
    def is_bracketed(self) -> bool:
        return self.status in BRACKETED_STATUSES


class JoinRequest(models.Model):
    """A signed-in person asks for a role on a draft; its moderators approve or decline."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("request to join status", "Pending")
        APPROVED = "approved", pgettext_lazy("request to join status", "Approved")
        DECLINED = "declined", pgettext_lazy("request to join status", "Declined")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "user"], condition=models.Q(status="pending"), name="one_pending_join_request"
            )
        ]

    def __str__(self):
        return f"{self.user_id} asks to join {self.draft_id} as {self.role} ({self.status})"


class DraftVisit(models.Model):
    """When a person last looked at a draft, for "changes since your last visit".

    ``seen_at`` is where their catch-up starts: the end of their previous visit (a visit being views
    less than ``settings.VISIT_GAP`` apart), or the moment they marked the changes as seen.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_visits")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="visits")
    seen_at = models.DateTimeField()
    last_viewed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "draft"], name="one_visit_record_per_draft")]

    def __str__(self):
        return f"{self.user_id} saw {self.draft_id} up to {self.seen_at:%Y-%m-%d %H:%M}"


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("disposition of a comment", "Accepted")
    PARTLY_ACCEPTED = "partly_accepted", pgettext_lazy("disposition of a comment", "Partly accepted")
    NOTED = "noted", pgettext_lazy("disposition of a comment", "Noted")
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("disposition of a comment", "Not accepted")


class CommentDisposition(models.Model):
    """What the moderators did with a comment, published with the round's results."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="disposition")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="dispositions")
    disposition = models.CharField(max_length=16, choices=Disposition.choices)
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    objects = generated.Manager()  # its reads join clauses, amendments or comments

    class Meta:
        ordering = ["comment_id"]

    def __str__(self):
        return f"Comment {self.comment_id}: {self.disposition}"


class ExportJob(models.Model):
    """A large export made by a worker; the person who asked is told when the file is ready."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job status", "Queued")
        RUNNING = "running", pgettext_lazy("job status", "Running")
        DONE = "done", pgettext_lazy("job status", "Ready")
        FAILED = "failed", pgettext_lazy("job status", "Failed")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    format = models.CharField(max_length=10)
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    redline = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=300, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)  # when a worker took it
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.format} export of {self.draft_id} ({self.status})"


class ImportJob(models.Model):
    """A large import made by a worker (``drafting/documents/import_jobs.py``): the file waits in
    media storage, the person who sent it follows its stage on a page and is told when it is done."""

    Status = ExportJob.Status  # the same four states a worker's job goes through

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=300)
    visibility = models.CharField(max_length=20, blank=True)
    # The file's symbol is held here already and the person asked for a new one (``imports.writing.identity``).
    new_symbol = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"import of {self.filename} ({self.status})"


class Language(models.TextChoices):
    """The six official languages of the United Nations, those a draft's text is translated into."""

    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")


def primary_language(code: str) -> str:
    """The language part of a BCP 47 code (``en-GB`` -> ``en``), as the six are named."""
    return (code or "en").split("-")[0].lower()


def text_direction(code: str) -> str:
    """``rtl`` for a text in Arabic, ``ltr`` for the others of the six (and the rest)."""
    return "rtl" if primary_language(code) == Language.ARABIC else "ltr"


def language_name(code: str) -> str:
    """``fr`` -> "French"; a code outside the six as it is."""
    primary = primary_language(code)
    return Language(primary).label if primary in Language.values else code


class Translator(models.Model):
    """Who translates a draft's text into one language (appointed by its moderators; a member of it)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="translators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translates")
    language = models.CharField(max_length=2, choices=Language.choices)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "user", "language"], name="one_appointment_per_language"),
        ]
        ordering = ["language", "id"]

    def __str__(self):
        return f"{self.user_id} translates {self.draft_id} into {self.language}"


class ClauseTranslation(models.Model):
    """A clause in a language other than its draft's original. ``of_version`` is the version of the
    original it translates: once the clause has a later one, the translation is outdated (since the
    version after it) until a translator brings it up to date. Votes are on the original only."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=2, choices=Language.choices)
    title = models.CharField(max_length=300)
    text = models.TextField()
    text_html = models.TextField(editable=False)
    of_version = models.PositiveIntegerField()
    translated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clause", "language"], name="one_translation_per_language"),
        ]
        ordering = ["language"]

    def __str__(self):
        return f"clause {self.clause_id} in {self.language} (of version {self.of_version})"
