"""A real OpenID Connect provider for the tests: `oidc-provider` under Node.js (provider.mjs)."""
from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "provider.mjs"
INSTALLED = (HERE / "node_modules" / "oidc-provider").is_dir()
SECRET = "client-secret-for-tests-0123456789"

ACCOUNTS = {
    "leader": {"email": "leader@demo.dk", "email_verified": True, "name": "Lene Leder",
               "groups": ["drsa-respondents"]},
    "coordinator": {"email": "chief@demo.dk", "email_verified": True, "name": "Carl Chef",
                    "groups": ["drsa-coordinators"]},
    "invitee": {"email": "invitee@demo.dk", "email_verified": True, "name": "Ida Inviteret"},
    "unverified": {"email": "newbie@demo.dk", "email_verified": False, "name": "Ny Bruger"},
    "stranger": {"email": "stranger@demo.dk", "email_verified": True, "name": "Sofie Fremmed",
                 "groups": ["drsa-coordinators"]},
    "bob": {"email": "bob@other.dk", "email_verified": True, "name": "Bob Andersen"},
}


def require_provider() -> None:
    """Skip where the provider's npm packages are not installed; in CI they must be."""
    if INSTALLED and shutil.which("node"):
        return
    message = f"oidc-provider is not installed: run `npm install` in {HERE}"
    if os.environ.get("CI"):
        pytest.fail(message + " (.ci/run installs it)")
    pytest.skip(message)


def registration(client_id: str, base: str, slug: str, **extra) -> dict:
    """A client registration whose redirect URIs point at the app under `base`."""
    return {"client_id": client_id, "client_secret": SECRET,
            "redirect_uris": [f"{base}/login/oidc/{slug}/callback"],
            "post_logout_redirect_uris": [f"{base}/login"], **extra}


@contextlib.contextmanager
def provider(clients: list[dict], accounts: dict | None = None, claims_in_id_token: bool = True):
    """Run provider.mjs on a free port of 127.0.0.1; yield its issuer URL."""
    require_provider()
    config = {"clients": clients, "accounts": accounts or ACCOUNTS,
              "claims_in_id_token": claims_in_id_token}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([shutil.which("node"), str(SCRIPT), json.dumps(config)],
                                cwd=HERE, stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            ready, _w, _x = select.select([proc.stdout], [], [], 30)
            line = proc.stdout.readline() if ready else ""
            if not line:
                log.seek(0)
                raise RuntimeError("the OIDC provider did not start: " + log.read().decode())
            yield json.loads(line)["issuer"]
        finally:
            proc.stdout.close()
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
