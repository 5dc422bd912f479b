"""Done when (issue 15): a coordinator runs a whole round from the web."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Answer, Period
from tests.conftest import csrf_token, department, login


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English; Danish is the default."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def post(client, url, data, page=None):
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **data})


def test_period_invite_missing_remind_compare(app, client, make_org, make_user, smtp_server):
    org = make_org("demo", "Demo Kommune", ("culture", "schools"))
    culture, schools = department(org, "culture"), department(org, "schools")
    make_user("admin@demo.dk", org, "admin")
    login(client, "admin@demo.dk")

    # 1. A period with a deadline.
    r = post(client, "/o/demo/admin/periods", {"label": "2027", "closes_on": "2027-03-31"})
    assert r.status_code == 302
    assert db.session.query(Period).one().closes_on.isoformat() == "2027-03-31"

    # 2. Invite a leader per department (mailed through the local SMTP server).
    links = {}
    for email, dep in (("culture@demo.dk", culture), ("schools@demo.dk", schools)):
        r = post(client, "/o/demo/admin/invitations",
                 {"email": email, "role": "respondent", "department": str(dep.id)})
        links[email] = re.search(r'id="invitation-link" readonly value="http://localhost([^"]+)"',
                                 r.get_data(as_text=True)).group(1)
    assert [rcpt for rcpt, _m in smtp_server] == [["culture@demo.dk"], ["schools@demo.dk"]]
    leaders = {}
    for email, path in links.items():
        c = app.test_client()
        c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        post(c, path, {"name": email.split("@")[0], "password": "a good password",
                       "confirm": "a good password"})
        login(c, email, "a good password")
        leaders[email] = c

    # 3. Culture answers and submits; schools does not start.
    c = leaders["culture@demo.dk"]
    r = post(c, "/assessments/start", {"department": str(culture.id), "period": "2027"}, "/")
    aid = int(r.headers["Location"].rstrip("/").split("/")[-1])
    post(c, f"/assessments/{aid}/block/alpha", {"alpha-one-answer": "3", "go": "review"},
         f"/assessments/{aid}/block/alpha")
    assert db.session.query(Answer).filter_by(assessment_id=aid).one().level == 3
    assert post(c, f"/assessments/{aid}/submit", {}, f"/assessments/{aid}/review"
                ).status_code == 303

    # 4. Who is missing.
    html = client.get("/o/demo/admin/round?period=2027").get_data(as_text=True)
    assert "1 of 2 departments have submitted" in html and "Not started" in html

    # 5. Remind: the message arrives at the local SMTP server, for schools only.
    smtp_server.clear()
    url = "/o/demo/admin/round/remind?period=2027"
    assert post(client, url, {}).status_code == 302
    (rcpt, msg), = smtp_server
    assert rcpt == ["schools@demo.dk"] and "March 31, 2027" in msg.get_content()

    # 6. Compare: the dashboard opens on 2027 with culture's score.
    html = client.get("/o/demo/compare").get_data(as_text=True)
    assert '<option value="2027" selected' in html and "Culture" in html
