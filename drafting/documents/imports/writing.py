"""Writing the draft a file describes (``plan``): the draft with its importer as moderator, its
identity and dates, its sections, and every clause with a history row per version, in a few
statements; the people and organizations the file names are made or matched as they are written.
Each write is checked by the service that makes it, a fault named by the file's place."""

import copy
from datetime import timedelta

from django.utils import timezone

from accounts.identity import organization_name_key
from accounts.models import Organization, StakeholderGroup, User
from accounts.services import organization_create
from codeofconduct.errors import Conflict, InvalidInput, TooLarge
from codeofconduct.history import pending_history, save_with_history, write_with_history
from notifications.services import follow

from ...markdown import render_markdown
from ...models import Clause, CosponsorAdmission, Draft, DraftMembership, Role, Section
from ...naming import placeholder_username
from ...services import drafts
from .. import schema
from ..fields import USERNAME_LIMIT, checked, recorded_name
from .plan import ClausePlan, DraftPlan, SectionPlan


def new_draft(plan: DraftPlan, *, by: User, visibility: str) -> Draft:
    """The imported draft, with the person who imported it as its moderator."""
    draft = drafts.new_draft(title=plan.title, summary=plan.summary, visibility=visibility, by=by)
    membership = DraftMembership(draft=draft, user=by, role=Role.MODERATOR)
    save_with_history(membership, by=by, reason="Imported the draft")
    follow(user=by, draft=draft)
    return draft


def identity(draft: Draft, plan: DraftPlan, *, by: User, new_symbol: bool) -> None:
    """The document identity the file gives (format 2) and the date the draft was created.

    The symbol names the document on everything circulated, so it is kept; one another draft here
    holds is refused (409, ``symbol_free``), unless the person asked for a new one: then the draft
    keeps the one ``new_draft`` gave it, the next free symbol, as any new draft gets."""
    symbol = plan.symbol
    fields = {}
    if symbol and not (new_symbol and drafts.symbol_holder(symbol, draft) is not None):
        symbol_free(symbol, draft)
        fields["symbol"] = symbol
    checked("draft", drafts.draft_update, draft=draft, by=by, **fields, **plan.identity)


def dates(draft: Draft, plan: DraftPlan, *, by: User) -> None:
    """The draft's dates as the file gives them (its creation, and its last change, which a
    document of the current text is dated by): ``auto_now`` stamped the import's moment."""
    draft.created_at = plan.created_at or draft.created_at
    draft.updated_at = plan.updated_at or draft.updated_at
    reason = "Imported with its original dates"
    record = pending_history(draft, by=by, reason=reason, when=timezone.now())
    write_with_history(Draft, [draft], [record], fields=["created_at", "updated_at"])


def symbol_free(symbol: str, draft: Draft | None) -> None:
    """Refuse a symbol another draft here holds: two documents would carry one symbol."""
    holder = drafts.symbol_holder(symbol, draft) if symbol else None
    if holder is not None:
        raise Conflict(
            f"The symbol {symbol} is held here by the draft “{holder.title}” ({holder.slug}). Import it with a new"
            " symbol to give the copy the next free one, or change that draft's symbol first.",
            symbol=symbol,
            held_by=holder.slug,
        )


def sections(draft: Draft, plans: list[SectionPlan], *, by: User) -> dict[SectionPlan, Section]:
    """Each section, in the file's order (``section_create`` puts a preamble one before the
    operative ones)."""
    made = {}
    for plan in plans:
        if plan.path is None:  # Markdown: a fault names the field
            made[plan] = drafts.section_create(draft=draft, title=plan.title, by=by)
        else:
            made[plan] = checked(plan.path, drafts.section_create, draft=draft, title=plan.title, kind=plan.kind, by=by)
    return made


def owners(clauses: list[ClausePlan], people: "People", rounds: dict) -> None:
    """Who proposed each clause the record names, as the Chair or not, and in which round."""
    for clause in clauses:
        owner = clause.owner
        if owner is None:  # a file without the record: the importer loads the Chair's text
            continue
        name = owner.get("proposer")
        clause.proposer = people.person(name, "record.clause_owners") if name else None
        # The Chair's proposal stays the Chair's (a file from before ``as_chair``: the one with no proposer).
        as_chair = owner.get("as_chair")
        clause.as_chair = as_chair if isinstance(as_chair, bool) else not name
        clause.round = rounds.get(owner.get("round"))


def spoke_for(clauses: list[ClausePlan], organization: "Organizations") -> None:
    """The organization each version's author spoke for, as the file recorded it, kept on its
    history row (``RecordedAuthor``): the author has no account here, so no membership history can
    tell it. It is matched or made as an amendment's is."""
    for clause in clauses:
        for version in clause.versions:
            version.recorded_for = organization(version.organization, f"{version.where}.organization")


def create_clauses(draft: Draft, clauses: list[ClausePlan], sections: dict, *, by: User) -> dict:
    """Every clause of an imported draft in a few statements, so a large file takes about a second:
    the rows as their last versions are, then one history row per version, in order. A version the
    file dates or names keeps its date and its author's recorded name (``recorded_by``, never an
    account here); one it does not is the importer's, now. ``{the file's clause id: clause}``."""
    rows = []
    for clause in clauses:
        last = clause.versions[-1]
        rows.append(
            Clause(
                draft=draft,
                section=sections[clause.section],
                number=clause.number,
                number_suffix=clause.number_suffix,
                preambular=clause.preambular,
                title=last.title,
                text=last.text,
                text_html=render_markdown(last.text),
                rationale=clause.rationale,
                status=last.status,
                proposer=by if clause.owner is None else clause.proposer,
                proposed_as_chair=clause.as_chair,  # the text the importer loads is the Chair's
                round=clause.round,
                cosponsorship=(clause.owner or {}).get("cosponsorship") or CosponsorAdmission.OPEN,
                version=last.version or len(clause.versions),
            )
        )
    Clause.objects.bulk_create(rows)
    # Each clause dated as its versions are (``auto_now_add`` stamped now); its history rows, copies
    # of it, are written just below.
    for row, clause in zip(rows, clauses, strict=True):
        row.created_at = clause.versions[0].when or row.created_at
        row.updated_at = clause.versions[-1].when or row.updated_at
    write_with_history(Clause, rows, [], fields=["created_at", "updated_at"])
    history = Clause.history.model
    start, records = timezone.now(), []
    for row, clause in zip(rows, clauses, strict=True):
        for index, version in enumerate(clause.versions, 1):
            state = copy.copy(row)
            state.title, state.text, state.status = version.title, version.text, version.status
            state.version = version.version or index
            number, suffix = version.number, version.number_suffix
            if number is not None and (suffix or 0) <= schema.MAX_SUFFIX:
                state.number, state.number_suffix = number, suffix or 0
            state.text_html = row.text_html if index == len(clause.versions) else render_markdown(version.text)
            dated = version.when is not None
            # A version the file dates or names is as recorded, by name only (the Chair's, as the Chair);
            # else the importer's, who loads the text for the Chair.
            user = None if dated or version.recorded_by or version.as_chair else by
            spoke = version.recorded_for
            records.append(
                history(
                    history_date=version.when if dated else start + timedelta(microseconds=len(records)),
                    history_user=user,
                    history_change_reason=version.reason,
                    history_type="+" if index == 1 else "~",
                    recorded_by="" if user is not None else version.recorded_by[:150],
                    recorded_for=None if user is not None else spoke,
                    # Where the file withheld the organization (a Chatham House round's change), only the group.
                    recorded_group=""
                    if user is not None
                    else spoke.stakeholder_group
                    if spoke
                    else version.group or "",
                    recorded_verified=version.recorded_verified,
                    history_as_chair=user is not None or version.as_chair,
                    **{field.attname: getattr(state, field.attname) for field in history.tracked_fields},
                )
            )
    history.objects.bulk_create(records)
    return {clause.file_id: row for clause, row in zip(clauses, rows, strict=True)}


class People:
    """Everyone the file names, as placeholder accounts of the imported draft's own.

    A name in the file is only what another installation recorded (or what anyone typed into the
    file), so it is never matched to an account here. Each name (ignoring case, as user names do)
    becomes one account: inactive, with no usable password, not staff, named "<name> (imported,
    draft <id>)". No one can sign up under such a name (user names hold no spaces or brackets), so
    it can be mistaken for no one here, and an import never speaks for a person here.
    """

    def __init__(self, importer: User, draft: Draft):
        self.importer, self.draft = importer, draft
        self.made: dict[str, User] = {}

    def author(self, item: dict, path: str) -> User:
        """Who wrote an amendment or comment of the file: the Chair's act (``as_chair``, which names
        no one) is the importer's, who holds the Chair of the imported draft; anyone else's, the
        placeholder for the name recorded."""
        if item.get("as_chair"):
            return self.importer
        return self.person(item["author"], path)

    def person(self, name, path: str) -> User:
        name = recorded_name(name, path)
        key = name.casefold()
        if key not in self.made:
            if len(self.made) >= schema.MAX_IMPORT_PEOPLE:
                raise TooLarge(
                    f"The file names more than {schema.MAX_IMPORT_PEOPLE:,} people; one import takes at most "
                    f"{schema.MAX_IMPORT_PEOPLE:,}.",
                    field="file",
                )
            self.made[key] = self._placeholder(name)
        return self.made[key]

    def _placeholder(self, name: str) -> User:
        taken = {user.username.casefold() for user in self.made.values()}
        for attempt in range(1, 100):
            username = placeholder_username(name, self.draft.pk, attempt, limit=USERNAME_LIMIT)
            if username.casefold() not in taken and not User.objects.filter(username__iexact=username).exists():
                break
        user = User(username=username, is_active=False, is_staff=False, is_superuser=False)
        user.set_unusable_password()
        save_with_history(user, by=self.importer, reason=f"Placeholder for {name[:100]}, named in an imported draft")
        return user


class Organizations:
    """The organizations the file names, each looked up (or made) once."""

    def __init__(self, importer: User):
        self.importer = importer
        self.found: dict[str, Organization] = {}

    def __call__(self, value, path: str) -> Organization | None:
        """The organization the file names: the one here whose name reads the same, else a new one
        made through the same checks as at sign-up. Its stakeholder group must be the file's."""
        if value is None:
            return None
        name, group = value["name"].strip(), value["stakeholder_group"]  # checked (``schema.ORGANIZATION``)
        key = organization_name_key(name)  # "Brazil." is Brazil, as sign-up would say
        if key not in self.found:
            found = Organization.objects.filter(name_key=key).first()
            if found is None:
                country = value.get("country")
                if not isinstance(country, str):
                    raise InvalidInput(f"{path}.country: not a country code.", field="file")
                found = checked(
                    path,
                    organization_create,
                    name=name,
                    stakeholder_group=group,
                    country=country,
                    by=self.importer,
                )
            self.found[key] = found
        found = self.found[key]
        if found.stakeholder_group != group:
            raise InvalidInput(
                f"{path}.stakeholder_group: {found.name} is in the {found.get_stakeholder_group_display().lower()}"
                f" group here, not {StakeholderGroup(group).label.lower()}.",
                field="file",
            )
        return found
