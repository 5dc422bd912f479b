"""The app starts, serves the sign-in page, and signs a user in and out."""
from tests.conftest import PASSWORD, csrf_token, login


def test_login_page_renders_in_danish_by_default(client):
    r = client.get("/login")
    assert r.status_code == 200
    assert '<html lang="da">' in r.get_data(as_text=True)


def test_sign_in_and_out(client, make_org, make_user):
    org = make_org()
    make_user(org=org)
    r = login(client, "leader@example.org", PASSWORD)
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302
