"""OpenID Connect sign-in against a fake identity provider: its token, keys and userinfo endpoints are
local stubs at the HTTP layer (requests' transport), so the backend and views run unchanged."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings

from section307.accounts import roles
from section307.accounts.models import User
from section307.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.example.gov"
CLIENT_ID = "urn:gov:gsa:openidconnect.profiles:sp:sso:agency:section307"
TOKEN = f"{ISSUER}/api/openid_connect/token"
USERINFO = f"{ISSUER}/api/openid_connect/userinfo"
JWKS = f"{ISSUER}/api/openid_connect/certs"
AUTHORIZE = f"{ISSUER}/openid_connect/authorize"


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


CLIENT_KEY = _rsa()
IDP_KEY = _rsa()


class FakeIdP:
    """Answers the three back-channel calls and checks what the client sends."""

    def __init__(self, claims: dict[str, Any]) -> None:
        self.claims = claims
        self.audience = CLIENT_ID
        self.nonce = ""
        self.challenge = ""
        self.token_requests: list[dict[str, str]] = []

    def send(self, session: requests.Session, prepared: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = prepared.url or ""
        if url == TOKEN:
            body = prepared.body.decode() if isinstance(prepared.body, bytes) else str(prepared.body)
            form = {k: v[0] for k, v in parse_qs(body).items()}
            self.token_requests.append(form)
            return self._token(form)
        if url == JWKS:
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(IDP_KEY.public_key()))
            return _response(url, {"keys": [{**jwk, "kid": "idp-1", "alg": "RS256", "use": "sig"}]})
        if url == USERINFO:
            assert prepared.headers["Authorization"] == "Bearer access-123"
            return _response(url, self.claims)
        raise AssertionError(f"unexpected call to {url}")

    def _token(self, form: dict[str, str]) -> requests.Response:
        # PKCE: the verifier must hash to the challenge sent with the authorization request.
        digest = hashlib.sha256(form["code_verifier"].encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != self.challenge:
            return _response(TOKEN, {"error": "invalid_grant"}, status=400)
        # private_key_jwt: the assertion is signed with the client's registered key, for this endpoint.
        assertion = jwt.decode(form["client_assertion"], CLIENT_KEY.public_key(), algorithms=["RS256"], audience=TOKEN)
        assert assertion["iss"] == assertion["sub"] == CLIENT_ID
        id_token = jwt.encode(
            {
                "iss": ISSUER,
                "aud": self.audience,
                "sub": self.claims["sub"],
                "nonce": self.nonce,
                "iat": int(time.time()),
                "exp": int(time.time()) + 300,
            },
            IDP_KEY,
            algorithm="RS256",
            headers={"kid": "idp-1"},
        )
        return _response(TOKEN, {"access_token": "access-123", "id_token": id_token, "token_type": "Bearer"})


def _response(url: str, payload: dict[str, Any], status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.url = url
    response._content = json.dumps(payload).encode()
    response.headers["Content-Type"] = "application/json"
    return response


OIDC_SETTINGS = {
    "ROOT_URLCONF": "tests.accounts.oidc_urls",
    "AUTHENTICATION_BACKENDS": [
        "django.contrib.auth.backends.ModelBackend",
        "section307.accounts.oidc.Section307OIDCBackend",
    ],
    "SECTION307_OIDC_ENABLED": True,
    "SECTION307_OIDC_ISSUER": ISSUER,
    "SECTION307_OIDC_TOKEN_AUTH": "private_key_jwt",
    "SECTION307_OIDC_PRIVATE_KEY": _pem(CLIENT_KEY),
    "OIDC_RP_CLIENT_ID": CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": "",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": AUTHORIZE,
    "OIDC_OP_TOKEN_ENDPOINT": TOKEN,
    "OIDC_OP_USER_ENDPOINT": USERINFO,
    "OIDC_OP_JWKS_ENDPOINT": JWKS,
}


@pytest.fixture
def idp(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIdP]:
    fake = FakeIdP({"sub": "abc-123", "email": "dana@example.gov", "email_verified": True})
    monkeypatch.setattr(requests.Session, "send", lambda session, prepared, **kw: fake.send(session, prepared, **kw))
    with override_settings(**OIDC_SETTINGS):
        yield fake


def _sign_in(client: Client, idp: FakeIdP) -> Any:
    start = client.get("/oidc/authenticate/?next=/cases/")
    assert start.status_code == 302
    location = urlparse(start["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == AUTHORIZE
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["client_id"] == CLIENT_ID
    idp.nonce, idp.challenge = query["nonce"], query["code_challenge"]
    return client.get("/oidc/callback/", {"code": "code-1", "state": query["state"]})


def test_sign_in_maps_to_the_local_account_by_verified_email_and_binds_it(idp: FakeIdP, make_user: Any) -> None:
    analyst = make_user(roles.ANALYST)
    analyst.email = "Dana@example.gov"
    analyst.save()
    client = Client()
    response = _sign_in(client, idp)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(analyst.pk)
    analyst.refresh_from_db()
    assert analyst.oidc_subject == f"{ISSUER}|abc-123"
    assert AuditEvent.objects.filter(action="user.oidc_linked", target_id=str(analyst.pk)).exists()
    form = idp.token_requests[0]
    assert "client_secret" not in form and form["client_assertion_type"].endswith("jwt-bearer")
    assert set(analyst.groups.values_list("name", flat=True)) == {roles.ANALYST}


def test_bound_subject_wins_over_email_and_roles_are_never_granted(idp: FakeIdP, make_user: Any) -> None:
    bound = make_user(None)
    bound.oidc_subject = f"{ISSUER}|abc-123"
    bound.save()
    other = make_user(roles.SUPERVISOR)
    other.email = "dana@example.gov"
    other.save()
    client = Client()
    _sign_in(client, idp)
    assert client.session["_auth_user_id"] == str(bound.pk)
    assert not bound.groups.exists()


def test_unknown_identity_is_refused_unless_creation_is_on(idp: FakeIdP) -> None:
    client = Client()
    _sign_in(client, idp)
    assert "_auth_user_id" not in client.session
    with override_settings(OIDC_CREATE_USER=True):
        _sign_in(client, idp)
    user = User.objects.get(oidc_subject=f"{ISSUER}|abc-123")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not user.groups.exists() and not user.is_staff and not user.has_usable_password()


def test_unverified_email_does_not_map_to_an_account(idp: FakeIdP, make_user: Any) -> None:
    idp.claims["email_verified"] = False
    analyst = make_user(roles.ANALYST)
    analyst.email = "dana@example.gov"
    analyst.save()
    client = Client()
    _sign_in(client, idp)
    assert "_auth_user_id" not in client.session


def test_wrong_pkce_verifier_is_refused_by_the_provider(idp: FakeIdP, make_user: Any) -> None:
    analyst = make_user(roles.ANALYST)
    analyst.email = "dana@example.gov"
    analyst.save()
    client = Client()
    start = client.get("/oidc/authenticate/")
    query = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    idp.nonce, idp.challenge = query["nonce"], "not-the-challenge"
    with pytest.raises(requests.HTTPError):
        client.get("/oidc/callback/", {"code": "code-1", "state": query["state"]})
    assert "_auth_user_id" not in client.session


def test_id_token_for_another_client_is_refused(idp: FakeIdP, make_user: Any) -> None:
    analyst = make_user(roles.ANALYST)
    analyst.email = "dana@example.gov"
    analyst.save()
    idp.audience = "someone-else"
    client = Client()
    assert _sign_in(client, idp).status_code == 400
    assert "_auth_user_id" not in client.session


@override_settings(SECTION307_REQUIRE_STAFF_MFA=True, SECTION307_OIDC_MFA_BY_IDP=True)
def test_provider_mfa_satisfies_the_staff_requirement_when_trusted(idp: FakeIdP, make_user: Any) -> None:
    analyst = make_user(roles.ANALYST)
    analyst.email = "dana@example.gov"
    analyst.save()
    client = Client()
    _sign_in(client, idp)
    assert client.get("/cases/").status_code == 200
