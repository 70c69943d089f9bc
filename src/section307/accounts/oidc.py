"""OpenID Connect sign-in (Login.gov or an agency identity provider) through mozilla-django-oidc.

Configured entirely from the environment (see config/settings.py, "OpenID Connect"); off unless
``SECTION307_OIDC_CLIENT_ID`` is set. The authorization code flow always uses PKCE (S256). The
token endpoint is called with ``private_key_jwt`` (RFC 7523 client assertion signed with our key,
as Login.gov requires) or with the client secret.

An identity maps to one local account: the one already bound to its issuer and subject, or else the
one active account whose e-mail matches a verified e-mail claim (then bound, audited). Accounts are
created only when ``SECTION307_OIDC_CREATE_USERS`` is on, and then with no role: roles are granted
by a superuser, never by the identity provider.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from section307.accounts.middleware import MFA_BY_IDP
from section307.accounts.models import User
from section307.core.audit import audit_record

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 300


def client_assertion(*, client_id: str, token_endpoint: str, private_key: str, algorithm: str = "RS256") -> str:
    """The signed JWT that authenticates us at the token endpoint (RFC 7523 section 2.2)."""
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": token_endpoint,
        "jti": secrets.token_urlsafe(24),
        "iat": now,
        "exp": now + ASSERTION_LIFETIME,
    }
    return jwt.encode(claims, private_key, algorithm=algorithm)


class Section307OIDCBackend(OIDCAuthenticationBackend):
    def get_token(self, payload: dict[str, Any]) -> dict[str, Any]:
        if settings.SECTION307_OIDC_TOKEN_AUTH == "private_key_jwt":  # noqa: S105 (a method name)
            payload = {k: v for k, v in payload.items() if k != "client_secret"}
            payload["client_assertion_type"] = CLIENT_ASSERTION_TYPE
            payload["client_assertion"] = client_assertion(
                client_id=self.OIDC_RP_CLIENT_ID,
                token_endpoint=self.OIDC_OP_TOKEN_ENDPOINT,
                private_key=settings.SECTION307_OIDC_PRIVATE_KEY,
            )
        result: dict[str, Any] = super().get_token(payload)
        return result

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        # The library checks signature, expiry and nonce; the audience and issuer are checked here.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience is not this client.")
        issuer = settings.SECTION307_OIDC_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token issuer is not the configured provider.")
        self._id_claims = payload
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def _subject(self, claims: dict[str, Any]) -> str:
        issuer = settings.SECTION307_OIDC_ISSUER or getattr(self, "_id_claims", {}).get("iss", "")
        return f"{issuer}|{claims['sub']}"

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        subject = self._subject(claims)
        bound = User.objects.filter(oidc_subject=subject, is_active=True)
        if bound.exists():
            return bound
        email = (claims.get("email") or "").strip()
        if not (email and claims.get("email_verified") is True):
            return User.objects.none()
        # An account already bound to another identity is never taken over through its e-mail.
        return User.objects.filter(email__iexact=email, is_active=True, oidc_subject="")

    @transaction.atomic
    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        subject = self._subject(claims)
        if user.oidc_subject != subject:
            user.oidc_subject = subject
            user.save(update_fields=["oidc_subject"])
            audit_record(actor=user, action="user.oidc_linked", target=user, data={"subject": subject})
        self._note_idp_mfa()
        return user

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User:
        email = (claims.get("email") or "").strip() if claims.get("email_verified") is True else ""
        base = (email.split("@")[0] if email else "oidc")[:100] or "oidc"
        username = f"{base}-{secrets.token_hex(3)}"
        user = User.objects.create_user(username, email=email)  # no password, no role
        user.oidc_subject = self._subject(claims)
        user.save(update_fields=["oidc_subject"])
        audit_record(actor=None, action="user.oidc_created", target=user, data={"subject": user.oidc_subject})
        self._note_idp_mfa()
        return user

    def _note_idp_mfa(self) -> None:
        # Login.gov always signs in with two factors; an agency provider only if configured so.
        if settings.SECTION307_OIDC_MFA_BY_IDP and getattr(self, "request", None) is not None:
            self.request.session[MFA_BY_IDP] = True
