"""Use cases, by domain: rows <-> core objects, one transaction each (helpers only flush).

- accounts: passwords, API and session tokens, users, invitations; one rule each for
  e-mail addresses (`normalise_email`, `email_problem`) and passwords (`password_problem`);
- organisations: departments, periods, members and roles;
- questionnaires: installed and published (pinned) questionnaire versions;
- assessments: start, answer, submit, reopen; answers, results, audit trail;
- exchange: the JSON exchange format in and out;
- comparison: departments side by side, and which questionnaire version a comparison uses;
- context: one result's context, the organisation's mean and the previous period;
- org_transfer: a whole organisation in one document (backup, moves) and back;
- personal_data: a person's data on request, and erasing a member under a pseudonym.

The rule for messages: a service raises a domain error (`app.errors`) whose text is English
and never translated here; messages meant for people are `Text(...)`, which keeps the
template and its named placeholders. The adapters translate: the web views call
`app.i18n.translate`/`translated`, the API answers in English (problem+json), the CLI
prints English. Services do not send mail or read the request either.

`from app import services; services.<name>(...)` keeps working for every public function.
"""
from __future__ import annotations

from .accounts import (  # noqa: F401
    MIN_PASSWORD,
    accept_invitation,
    account_for,
    create_invitation,
    create_token,
    create_user,
    email_problem,
    end_sessions,
    hash_password,
    invitation_for,
    invitation_state,
    invitations,
    new_session_token,
    normalise_email,
    password_problem,
    revoke_invitation,
    set_locale,
    token_digest,
    user_by_email,
    user_for_session,
    user_for_token,
    verify_password,
)
from .assessments import (  # noqa: F401
    Change,
    answer_versions,
    answers_etag,
    answers_of,
    apply_partial_update,
    assessment_header,
    assessments_by_period,
    audit_trail,
    find_assessment,
    get_assessment_or_404,
    my_assessments,
    questionnaire_of,
    reopen,
    results_document,
    results_of,
    save_answers,
    start_assessment,
    start_pairs,
    strategic_of,
    submit,
    to_answer,
)
from .common import (  # noqa: F401
    MAX_NAME,
    slugify,
)
from .comparison import (  # noqa: F401
    comparison_questionnaire,
    comparisons,
    period_versions,
    recommendation_counts,
)
from .context import (  # noqa: F401
    context_of,
    context_with_previous,
)
from .exchange import (  # noqa: F401
    export_exchange,
    import_exchange,
)
from .org_transfer import (  # noqa: F401
    DocumentError,
    export_organisation,
    import_organisation,
    read_document,
    write_document,
)
from .organisations import (  # noqa: F401
    ALL_DEPARTMENTS,
    change_role,
    create_department,
    create_period,
    departments,
    ensure_period,
    find_department,
    get_or_create_department,
    get_or_create_org,
    members,
    organisation_by_slug,
    period_labels,
    periods,
    periods_of,
    remove_member,
    rename_department,
    set_archived,
    set_period_open,
    start_options,
    trusted_membership,
)
from .personal_data import (  # noqa: F401
    erasable,
    erase_member,
    personal_data,
    record_personal_data_download,
)
from .questionnaires import (  # noqa: F401
    all_questionnaires,
    check_published,
    publish,
)
