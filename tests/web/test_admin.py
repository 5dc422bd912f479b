"""Administration: departments, periods, users and roles, reopen, audit trail; access and bad input."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.answers import Answer
from app.extensions import db
from app.models import AnswerChange, Department, Membership, Period
from tests.conftest import csrf_token, department, login


def post(client, url, data, page=None):
    """POST a form with the session's real CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page or url)})


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# -- access ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["respondent", "viewer"])
@pytest.mark.parametrize("path", ["/o/demo/admin", "/o/demo/admin/departments",
                                  "/o/demo/admin/periods", "/o/demo/admin/users",
                                  "/o/demo/admin/invitations"])
def test_non_admins_get_403_on_admin_pages(client, org, make_user, role, path):
    make_user("r@example.org", org=org, role=role, department=department(org, "culture"))
    login(client, "r@example.org")
    assert client.get(path).status_code == 403


def test_respondent_cannot_post_admin_forms(client, org, make_user):
    make_user("r@example.org", org=org, role="respondent")
    login(client, "r@example.org")
    token = csrf_token(client, "/")
    r = client.post("/o/demo/admin/departments", data={"name": "Sneaky", "csrf_token": token})
    assert r.status_code == 403
    assert count(Department, Department.name == "Sneaky") == 0


@pytest.mark.parametrize("path", ["/o/demo/admin", "/o/demo/admin/users", "/o/demo/compare"])
def test_member_of_another_organisation_gets_404(client, org, make_org, make_user, path):
    other = make_org("other", "Other Kommune", departments=("x",))
    make_user("a@other.org", org=other, role="admin")
    login(client, "a@other.org")
    assert client.get(path).status_code == 404
    assert client.get("/o/nowhere/admin").status_code == 404


def test_admin_pages_need_sign_in(client, org):
    assert client.get("/o/demo/admin/users").status_code == 302


def test_missing_csrf_token_is_refused(client, org, coordinator):
    r = client.post("/o/demo/admin/departments", data={"name": "No token"})
    assert r.status_code == 400
    assert count(Department, Department.name == "No token") == 0


# -- departments ------------------------------------------------------------------------

def test_create_rename_archive_department(client, org, coordinator):
    r = post(client, "/o/demo/admin/departments", {"name": "Børn og Unge"})
    assert r.status_code == 302
    d = db.session.scalar(select(Department).where(Department.name == "Børn og Unge"))
    assert d.slug == "boern-og-unge" and d.organisation_id == org.id
    r = post(client, f"/o/demo/admin/departments/{d.id}/rename", {"name": "Children"},
             "/o/demo/admin/departments")
    assert r.status_code == 302
    db.session.refresh(d)
    assert d.name == "Children" and d.slug == "boern-og-unge"
    post(client, f"/o/demo/admin/departments/{d.id}/archive", {"archived": "1", "confirmed": "1"},
         "/o/demo/admin/departments")
    db.session.refresh(d)
    assert d.archived
    page = client.get("/o/demo/admin/departments").get_data(as_text=True)
    assert "Children" in page


def test_duplicate_department_name_is_refused(client, org, coordinator):
    r = post(client, "/o/demo/admin/departments", {"name": "  culture "})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "A department named “Culture” already exists." in page
    assert 'class="error-summary"' in page
    assert count(Department, Department.organisation_id == org.id) == 2


def test_renaming_to_another_departments_name_is_refused(client, org, coordinator):
    d = department(org, "social")
    r = post(client, f"/o/demo/admin/departments/{d.id}/rename", {"name": "CULTURE"},
             "/o/demo/admin/departments")
    assert r.status_code == 422
    assert f'href="#name-{d.id}"' in r.get_data(as_text=True)
    db.session.refresh(d)
    assert d.name == "Social"


def test_empty_department_name_is_refused(client, org, coordinator):
    r = post(client, "/o/demo/admin/departments", {"name": "   "})
    assert r.status_code == 422
    assert "Enter the department" in r.get_data(as_text=True)
    assert count(Department, Department.organisation_id == org.id) == 2


def test_department_name_markup_is_shown_literally(client, org, coordinator):
    post(client, "/o/demo/admin/departments", {"name": "<b>Bold</b> & Co"})
    page = client.get("/o/demo/admin/departments").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in page and "<b>Bold</b>" not in page


def test_forged_department_id_of_another_organisation_is_404(client, org, coordinator, make_org):
    other = make_org("other", "Other", departments=("theirs",))
    theirs = department(other, "theirs")
    for path in (f"/o/demo/admin/departments/{theirs.id}/rename",
                 f"/o/demo/admin/departments/{theirs.id}/archive"):
        r = post(client, path, {"name": "Hijacked", "archived": "1", "confirmed": "1"}, "/o/demo/admin/departments")
        assert r.status_code == 404
    db.session.refresh(theirs)
    assert theirs.name == "Theirs" and not theirs.archived


# -- periods ------------------------------------------------------------------------------

def test_create_period(client, org, coordinator):
    assert post(client, "/o/demo/admin/periods", {"label": "2026-H1"}).status_code == 302
    assert "2026-H1" in client.get("/o/demo/admin/periods").get_data(as_text=True)
    assert count(Period, Period.label == "2026-H1") == 1


@pytest.mark.parametrize("label, message", [
    ("", "Enter the period"), ("x" * 21, "at most 20 characters"),
    ("20/26", "Use only letters")])
def test_bad_period_label_is_refused(client, org, coordinator, label, message):
    r = post(client, "/o/demo/admin/periods", {"label": label})
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert count(Period, Period.organisation_id == org.id) == 0


def test_duplicate_period_is_refused(client, org, coordinator):
    post(client, "/o/demo/admin/periods", {"label": "2026"})
    r = post(client, "/o/demo/admin/periods", {"label": "2026"})
    assert r.status_code == 422 and "already exists" in r.get_data(as_text=True)
    assert count(Period, Period.organisation_id == org.id) == 1


def test_close_and_reopen_a_period(client, org, coordinator, make_user):
    post(client, "/o/demo/admin/periods", {"label": "2026"})
    period = db.session.scalar(select(Period).where(Period.organisation_id == org.id))
    url = f"/o/demo/admin/periods/{period.id}/open"
    assert post(client, url, {"open": "0"}, "/o/demo/admin/periods").status_code == 302
    db.session.refresh(period)
    assert period.open is False
    assert "Closed" in client.get("/o/demo/admin/periods").get_data(as_text=True)
    # a department leader is no longer offered the closed period
    leader = make_user("leader@example.org", org=org, department=department(org, "culture"))
    leader_client = client.application.test_client()
    login(leader_client, leader.email)
    home = leader_client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<option value="2026"' not in home
    assert post(client, url, {"open": "1"}, "/o/demo/admin/periods").status_code == 302
    db.session.refresh(period)
    assert period.open is True


def test_period_of_another_organisation_is_404_and_unchanged(client, org, coordinator, make_org):
    other = make_org("other", "Other", departments=())
    theirs = Period(organisation_id=other.id, label="2026")
    db.session.add(theirs)
    db.session.commit()
    r = post(client, f"/o/demo/admin/periods/{theirs.id}/open", {"open": "0"},
             "/o/demo/admin/periods")
    assert r.status_code == 404
    db.session.refresh(theirs)
    assert theirs.open is True


# -- users and roles ----------------------------------------------------------------------

def _membership(user) -> Membership:
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def test_change_role_and_department(client, org, coordinator, make_user):
    u = make_user("lead@example.org", org=org, role="viewer")
    mid, dep = _membership(u).id, department(org, "social")
    r = post(client, f"/o/demo/admin/users/{mid}/role",
             {"role": "respondent", "department": str(dep.id)}, "/o/demo/admin/users")
    assert r.status_code == 302
    m = db.session.get(Membership, mid)
    assert (m.role, m.department_id) == ("respondent", dep.id)


def test_unknown_role_is_refused(client, org, coordinator, make_user):
    u = make_user("lead@example.org", org=org, role="viewer")
    mid = _membership(u).id
    r = post(client, f"/o/demo/admin/users/{mid}/role", {"role": "superuser", "department": ""},
             "/o/demo/admin/users")
    assert r.status_code == 422
    assert "Unknown role" in r.get_data(as_text=True)
    assert db.session.get(Membership, mid).role == "viewer"


def test_last_admin_cannot_be_demoted_or_removed(client, org, coordinator):
    mid = _membership(coordinator).id
    r = post(client, f"/o/demo/admin/users/{mid}/role", {"role": "viewer", "department": ""},
             "/o/demo/admin/users")
    assert r.status_code == 422 and "at least one coordinator" in r.get_data(as_text=True)
    r = post(client, f"/o/demo/admin/users/{mid}/remove", {"confirmed": "1"}, "/o/demo/admin/users")
    assert r.status_code == 422 and "at least one coordinator" in r.get_data(as_text=True)
    assert db.session.get(Membership, mid).role == "admin"


def test_an_admin_can_be_removed_when_another_remains(client, org, coordinator, make_user):
    other = make_user("second@example.org", org=org, role="admin")
    mid = _membership(other).id
    assert post(client, f"/o/demo/admin/users/{mid}/remove", {"confirmed": "1"},
                "/o/demo/admin/users").status_code == 302
    assert db.session.get(Membership, mid) is None


def test_forged_membership_and_department_ids_are_404(client, org, coordinator, make_org,
                                                      make_user):
    other = make_org("other", "Other", departments=("theirs",))
    stranger = make_user("s@other.org", org=other, role="admin")
    mid = _membership(stranger).id
    r = post(client, f"/o/demo/admin/users/{mid}/role", {"role": "viewer", "department": ""},
             "/o/demo/admin/users")
    assert r.status_code == 404
    assert post(client, f"/o/demo/admin/users/{mid}/remove", {"confirmed": "1"},
                "/o/demo/admin/users").status_code == 404
    assert db.session.get(Membership, mid).role == "admin"
    mine = _membership(coordinator).id
    r = post(client, f"/o/demo/admin/users/{mine}/role",
             {"role": "admin", "department": str(department(other, "theirs").id)},
             "/o/demo/admin/users")
    assert r.status_code == 404
    assert db.session.get(Membership, mine).department_id is None


def test_users_page_lists_members_only_of_this_organisation(client, org, coordinator, make_org,
                                                           make_user):
    other = make_org("other", "Other", departments=())
    make_user("stranger@other.org", org=other, role="respondent")
    page = client.get("/o/demo/admin/users").get_data(as_text=True)
    assert "boss@example.org" in page and "stranger@other.org" not in page


# -- reopen and audit trail ---------------------------------------------------------------

def test_reopen_submitted_assessment(client, org, coordinator, make_assessment):
    a = make_assessment(department(org, "culture"), levels={"alpha-one": 3}, status="submitted")
    r = post(client, f"/assessments/{a.id}/reopen", {"confirmed": "1"}, "/o/demo/admin")
    assert r.status_code == 302
    db.session.refresh(a)
    assert a.status == "draft"
    r = post(client, f"/assessments/{a.id}/reopen", {"confirmed": "1"}, "/o/demo/admin")
    assert r.status_code == 302  # a draft: nothing to do, a message says so
    assert "Only a submitted assessment" in client.get("/o/demo/admin").get_data(as_text=True)


def test_respondent_cannot_reopen(client, org, make_user, make_assessment):
    dep = department(org, "culture")
    a = make_assessment(dep, levels={"alpha-one": 3}, status="submitted")
    make_user("r@example.org", org=org, role="respondent", department=dep)
    login(client, "r@example.org")
    r = client.post(f"/assessments/{a.id}/reopen", data={"csrf_token": csrf_token(client, "/"),
                                                           "confirmed": "1"})
    assert r.status_code == 403
    db.session.refresh(a)
    assert a.status == "submitted"


def test_reopen_and_audit_of_another_organisation_are_404(client, org, coordinator, make_org,
                                                          make_assessment):
    other = make_org("other", "Other", departments=("theirs",))
    a = make_assessment(department(other, "theirs"), levels={"alpha-one": 2}, status="submitted")
    assert post(client, f"/assessments/{a.id}/reopen", {"confirmed": "1"}, "/o/demo/admin").status_code == 404
    assert client.get(f"/assessments/{a.id}/audit").status_code == 404
    db.session.refresh(a)
    assert a.status == "submitted"


def test_audit_trail_shows_who_changed_what_from_what_to_what(client, org, coordinator,
                                                              make_user, make_assessment):
    from app import services
    a = make_assessment(department(org, "culture"), levels={"alpha-one": 2})
    leader = make_user("leader@example.org", org=org, role="respondent")
    services.save_answers(a, leader, {"alpha-one": Answer(level=4, target=5,
                                                          comment="<script>x</script>")})
    assert count(AnswerChange, AnswerChange.assessment_id == a.id) == 2
    r = client.get(f"/assessments/{a.id}/audit")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "leader" in page and "Alpha one?" in page
    assert "level 2" in page and "level 4; target 5" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page


def test_viewer_cannot_see_audit_trail(client, org, make_user, make_assessment):
    a = make_assessment(department(org, "culture"), levels={"alpha-one": 2}, status="submitted")
    make_user("v@example.org", org=org, role="viewer")
    login(client, "v@example.org")
    assert client.get(f"/assessments/{a.id}/audit").status_code == 403


def test_overview_lists_assessments_with_reopen(client, org, coordinator, make_assessment):
    make_assessment(department(org, "culture"), levels={"alpha-one": 2}, status="submitted")
    page = client.get("/o/demo/admin").get_data(as_text=True)
    assert "Culture" in page and "/reopen" in page and "/audit" in page
