"""SQLAlchemy tables: ids and raw answers, no business rules."""
from __future__ import annotations

from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .extensions import db

ROLES = ("admin", "respondent", "viewer")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


SHARE_RESULTS = ("own", "all")


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("share_results IN ('own', 'all')", name="share_results"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Who sees a department's results (SPEC 5): "own" its members, "all" every member.
    share_results: Mapped[str] = mapped_column(String(10), default="own", server_default="own")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Department(db.Model):
    __tablename__ = "departments"
    __table_args__ = (
        UniqueConstraint("organisation_id", "slug"),
        UniqueConstraint("organisation_id", "name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    archived: Mapped[bool] = mapped_column(default=False)
    organisation: Mapped[Organisation] = relationship()


class Period(db.Model):
    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("organisation_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    label: Mapped[str] = mapped_column(String(20))
    open: Mapped[bool] = mapped_column(default=True)
    opens_on: Mapped[date | None] = mapped_column()
    closes_on: Mapped[date | None] = mapped_column()  # the deadline


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    # Rotated at sign-out, so a replayed session cookie no longer matches.
    session_token: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        """Flask-Login id: user id and session token, so sign-out invalidates old cookies."""
        return f"{self.id}:{self.session_token}"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id"),
        CheckConstraint("role IN ('admin', 'respondent', 'viewer')", name="role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()
    department: Mapped[Department | None] = relationship()


NOT_LOADED = object()  # a value that was not read with its row


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("department_id", "period"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime | None] = mapped_column()  # since the last reopen, until submit
    last_block: Mapped[str | None] = mapped_column(String(64))
    organisation: Mapped[Organisation] = relationship()
    department: Mapped[Department] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan")
    strategic_answers: Mapped[list[StrategicAnswer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan")
    # Not a column: the organisation's shared answers per period, when the assessment was
    # read with them (access.assessment_for); see shared_answers.shared_of. Forgotten when
    # the row expires (a commit) or is refreshed, like its columns.
    loaded_shared = None
    # Not a column: the closing day of its period (None: the period has none), when read
    # with it (access.assessment_for); NOT_LOADED otherwise. See services_register.
    loaded_closes_on = NOT_LOADED


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id"),
        CheckConstraint("level IS NULL OR (level BETWEEN 1 AND 5)", name="level"),
        CheckConstraint("target IS NULL OR (target BETWEEN 1 AND 5)", name="target"),
        CheckConstraint(
            "status IS NULL OR status IN ('dont_know', 'not_applicable')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int | None] = mapped_column()
    status: Mapped[str | None] = mapped_column(String(20))
    target: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    # Carried over from an earlier period and not yet confirmed or changed (SPEC 13).
    carried: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()
    __mapper_args__ = {"version_id_col": version}


class AssessmentFigures(db.Model):
    """Figures computed from an assessment's answers (block scores for one questionnaire
    version, the recommended initiatives), kept so that comparisons of many departments need
    not re-read every answer. A row is valid only while `stamp` equals the stamp of what it
    was computed from (see services.figures); a stale row is simply recomputed."""
    __tablename__ = "assessment_figures"
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(160), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)


class StrategicAnswer(db.Model):
    __tablename__ = "strategic_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    # JSON of the exchange format's value: {"choice": ...} | {"choices": [...]} | {"text": ...}
    value: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    assessment: Mapped[Assessment] = relationship(back_populates="strategic_answers")
    __mapper_args__ = {"version_id_col": version}


class AnswerChange(db.Model):
    """Audit trail: who changed which answer, from what to what, when."""

    __tablename__ = "answer_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    old: Mapped[str | None] = mapped_column(Text)  # JSON, null when there was no answer
    new: Mapped[str | None] = mapped_column(Text)  # JSON, null when the answer was cleared
    source: Mapped[str] = mapped_column(String(20), default="web")
    user: Mapped[User | None] = relationship()


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    user: Mapped[User] = relationship()


class PasswordReset(db.Model):
    """A one-time password-reset link: only the token's hash is kept."""

    __tablename__ = "password_resets"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


class AuditEvent(db.Model):
    """A round event: start, submit, reopen, reminder, invitation, role change; who and when."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    period: Mapped[str | None] = mapped_column(String(20))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    detail: Mapped[str] = mapped_column(Text, default="")  # JSON: e-mail, role, recipients


class Invitation(db.Model):
    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    organisation: Mapped[Organisation] = relationship()
    department: Mapped[Department | None] = relationship()


class PublishedQuestionnaire(db.Model):
    """The fingerprint of each questionnaire version that assessments have pinned."""

    __tablename__ = "published_questionnaires"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(Text)


PLAN_STATUSES = ("planned", "in_progress", "done", "dropped")


class PlanItem(db.Model):
    """An initiative in a department's action plan, or (department none) a joint initiative."""

    __tablename__ = "plan_items"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done', 'dropped')", name="status"),
        CheckConstraint("due IS NULL OR start IS NULL OR due >= start", name="dates"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # None for a joint initiative of the organisation (its departments in plan_participants)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    initiative_id: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    start: Mapped[date | None] = mapped_column()
    due: Mapped[date | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(20))  # the period it was adopted from
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    department: Mapped[Department | None] = relationship()
    participants: Mapped[list[PlanParticipant]] = relationship(
        back_populates="item", cascade="all, delete-orphan")


class PlanParticipant(db.Model):
    """A department taking part in a joint initiative."""

    __tablename__ = "plan_participants"
    __table_args__ = (UniqueConstraint("item_id", "department_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    item: Mapped[PlanItem] = relationship(back_populates="participants")
    department: Mapped[Department] = relationship()


class PlanChange(db.Model):
    """Audit trail of plans: who added, changed, dropped or removed which item, when."""

    __tablename__ = "plan_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    item_id: Mapped[int | None] = mapped_column()  # kept after the item is removed
    initiative_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))  # add | update | remove | adopt_joint
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    old: Mapped[str | None] = mapped_column(Text)  # JSON
    new: Mapped[str | None] = mapped_column(Text)  # JSON
    source: Mapped[str] = mapped_column(String(20), default="web")
    user: Mapped[User | None] = relationship()


Index("ix_assessments_org_period", Assessment.organisation_id, Assessment.period)
Index("ix_audit_events_org_kind_department", AuditEvent.organisation_id, AuditEvent.kind,
      AuditEvent.department_id)


class PendingAnswers(db.Model):
    """A page posted after its session ended, kept until its author signs in again.

    Keyed by a random id that the (small) session cookie carries; user_id is set only when
    the page proved whose it was (a signed owner field), and only that user gets it saved.
    """

    __tablename__ = "pending_answers"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(index=True)
    assessment_id: Mapped[int] = mapped_column()
    page: Mapped[str] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(Text)  # JSON: {field: [values]}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class OrganisationAnswer(db.Model):
    """An answer to an organisation-wide question (`scope: organisation`, SPEC section 5),
    given once per organisation and period by a coordinator; every department's
    questionnaire shows it and its scores use it."""

    __tablename__ = "organisation_answers"
    __table_args__ = (
        UniqueConstraint("organisation_id", "period", "question_id"),
        CheckConstraint("level IS NULL OR (level BETWEEN 1 AND 5)", name="level"),
        CheckConstraint("target IS NULL OR (target BETWEEN 1 AND 5)", name="target"),
        CheckConstraint(
            "status IS NULL OR status IN ('dont_know', 'not_applicable')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    question_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int | None] = mapped_column()
    status: Mapped[str | None] = mapped_column(String(20))
    target: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[User | None] = relationship()
    __mapper_args__ = {"version_id_col": version}


class OidcProvider(db.Model):
    """An organisation's own OpenID Connect identity provider (one per organisation)."""

    __tablename__ = "oidc_providers"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    client_secret_encrypted: Mapped[str] = mapped_column(Text)  # Fernet token, key from env
    email_claim: Mapped[str] = mapped_column(String(100), default="email")
    role_claim: Mapped[str] = mapped_column(String(100), default="")
    role_map: Mapped[str] = mapped_column(Text, default="{}")  # JSON: {claim value: role}
    authoritative_domains: Mapped[str] = mapped_column(Text, default="")  # space-separated
    enabled: Mapped[bool] = mapped_column(default=True)
    password_sign_in: Mapped[bool] = mapped_column(default=True)  # members may use passwords
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    organisation: Mapped[Organisation] = relationship()


class OidcIdentity(db.Model):
    """A user's account at an organisation's provider (its `sub`), linked by verified e-mail."""

    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("provider_id", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("oidc_providers.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column()


class OidcUsedCode(db.Model):
    """Authorization codes already presented: a replayed provider response is refused."""

    __tablename__ = "oidc_used_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex
    used_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class RegisterEntry(db.Model):
    """One system or service of an organisation's technology-stack register (SPEC section 14)."""

    __tablename__ = "register_entries"
    __table_args__ = (
        CheckConstraint("criticality IN ('low', 'medium', 'high')", name="criticality"),
        CheckConstraint("lock_in BETWEEN 1 AND 5", name="lock_in"),
        CheckConstraint("data_export IN ('yes', 'partial', 'no')", name="data_export"),
        CheckConstraint("exit_plan IN ('none', 'outline', 'documented', 'tested')",
                        name="exit_plan"),
        CheckConstraint("seal IS NULL OR (seal BETWEEN 0 AND 4)", name="seal"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    layer: Mapped[str] = mapped_column(String(64))
    supplier: Mapped[str] = mapped_column(String(200))
    supplier_country: Mapped[str] = mapped_column(String(2))
    hosting_country: Mapped[str] = mapped_column(String(12))
    criticality: Mapped[str] = mapped_column(String(10))
    lock_in: Mapped[int] = mapped_column()
    data_export: Mapped[str] = mapped_column(String(10))
    exit_plan: Mapped[str] = mapped_column(String(12))
    contract_end: Mapped[date | None] = mapped_column()
    seal: Mapped[int | None] = mapped_column()
    seal_source: Mapped[str] = mapped_column(String(500), default="")
    alternative: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    department: Mapped[Department | None] = relationship()


class RegisterChange(db.Model):
    """Audit trail of the register: who created, changed or deleted which entry, when."""

    __tablename__ = "register_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    entry_id: Mapped[int] = mapped_column()  # no foreign key: the entry may be deleted
    action: Mapped[str] = mapped_column(String(10))  # create | update | delete
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    old: Mapped[str | None] = mapped_column(Text)  # JSON of the entry before, null on create
    new: Mapped[str | None] = mapped_column(Text)  # JSON of the entry after, null on delete
    source: Mapped[str] = mapped_column(String(20), default="web")
    user: Mapped[User | None] = relationship()


@event.listens_for(Assessment, "expire")
@event.listens_for(Assessment, "refresh")
def _forget_loaded(target: Assessment, *_args) -> None:
    """Values read with an assessment go stale with its columns: read again when next used."""
    target.__dict__.pop("loaded_shared", None)
    target.__dict__.pop("loaded_closes_on", None)


@event.listens_for(Session, "before_flush")
def _answers_move_their_assessment(session: Session, _context, _instances) -> None:
    """Any change to an assessment's answers moves its `updated_at` in the same flush, so that
    `updated_at` stamps the answers (figures computed from older answers are never reused)."""
    touched = {o.assessment_id for o in (*session.new, *session.dirty, *session.deleted)
               if isinstance(o, Answer) and o.assessment_id is not None}
    touched |= {o.assessment.id for o in session.new
                if isinstance(o, Answer) and o.assessment_id is None and o.assessment is not None
                and o.assessment.id is not None}
    touched -= session.info.get("created", set())  # new in this transaction: nothing kept of it
    if not touched:
        return
    now = utcnow()
    for aid in touched:
        a = session.get(Assessment, aid)
        if a is not None and not inspect(a).attrs.updated_at.history.has_changes():
            a.updated_at = now


@event.listens_for(Session, "after_flush")
def _note_flushed_writes(session: Session, _context) -> None:
    """Mark a session that holds uncommitted writes (services.figures then stores nothing)."""
    if session.new or session.dirty or session.deleted:
        session.info["writes"] = True
    created = {o.id for o in session.new if isinstance(o, Assessment)}
    if created:
        session.info.setdefault("created", set()).update(created)


@event.listens_for(Session, "do_orm_execute")
def _note_statement_writes(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["writes"] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("writes", None)
        session.info.pop("created", None)
