"""Platforms an administrator registers, and the tool's key pair for each.

Only administrators register, change or deactivate a platform (``may_manage_platforms``): a
registration decides whose launches create accounts and cohorts here, so it is an
institution-level act, like creating a supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from ...database import write_transaction
from ...extensions import db
from ...models import LtiPlatform, User

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_DEPLOYMENTS = 20


class RegistrationError(ValueError):
    """A registration form that cannot be saved; the message says which field and why."""


@dataclass(frozen=True)
class PlatformFields:
    name: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    deployment_ids: tuple[str, ...]


def may_manage_platforms(viewer: User) -> bool:
    return viewer.is_authenticated and viewer.is_admin


def _checked_url(label: str, value: str) -> str:
    """HTTPS, or plain HTTP on this machine only (a test platform on loopback)."""
    value = value.strip()
    parts = urlsplit(value)
    if len(value) > 500 or not parts.netloc or parts.username or parts.password:
        raise RegistrationError(f"{label}: give a full URL (https://...), at most 500 characters.")
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return value
    raise RegistrationError(f"{label}: the URL must use https.")


def checked_fields(
    name: str,
    issuer: str,
    client_id: str,
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    deployment_ids: str,
) -> PlatformFields:
    """The form's text as a registration, or a RegistrationError naming the bad field."""
    name, client_id = name.strip(), client_id.strip()
    if not 1 <= len(name) <= 120:
        raise RegistrationError("Name: 1-120 characters.")
    if not 1 <= len(client_id) <= 255:
        raise RegistrationError("Client ID: 1-255 characters, as the platform shows it.")
    deployments = tuple(
        dict.fromkeys(
            d.strip() for d in deployment_ids.replace(",", "\n").splitlines() if d.strip()
        )
    )
    if (
        not deployments
        or len(deployments) > MAX_DEPLOYMENTS
        or any(len(d) > 255 for d in deployments)
    ):
        raise RegistrationError(
            f"Deployment IDs: 1-{MAX_DEPLOYMENTS}, one per line, as the platform shows them."
        )
    return PlatformFields(
        name=name,
        issuer=_checked_url("Issuer", issuer),
        client_id=client_id,
        auth_login_url=_checked_url("OIDC authorisation URL", auth_login_url),
        auth_token_url=_checked_url("Access token URL", auth_token_url),
        key_set_url=_checked_url("Public key set (JWKS) URL", key_set_url),
        deployment_ids=deployments,
    )


def new_key_pair() -> tuple[str, str]:
    """A fresh RSA-2048 key pair (PEM private, PEM public) for one registration."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def register_platform(viewer: User, fields: PlatformFields) -> LtiPlatform:
    if not may_manage_platforms(viewer):
        raise PermissionError("Only an administrator registers an LMS.")
    private, public = new_key_pair()
    with write_transaction(db.session) as session:
        taken = session.scalar(
            select(LtiPlatform.id).where(
                LtiPlatform.issuer == fields.issuer, LtiPlatform.client_id == fields.client_id
            )
        )
        if taken is not None:
            raise RegistrationError("That issuer and client ID are registered already.")
        platform = LtiPlatform(
            name=fields.name,
            issuer=fields.issuer,
            client_id=fields.client_id,
            auth_login_url=fields.auth_login_url,
            auth_token_url=fields.auth_token_url,
            key_set_url=fields.key_set_url,
            deployment_ids=list(fields.deployment_ids),
            tool_private_key=private,
            tool_public_key=public,
            created_by=viewer.id,
        )
        session.add(platform)
    return platform


def set_platform_active(viewer: User, platform_id: int, active: bool) -> LtiPlatform:
    """Deactivating refuses every later login, launch and grade send for it; nothing is deleted."""
    if not may_manage_platforms(viewer):
        raise PermissionError("Only an administrator changes an LMS registration.")
    with write_transaction(db.session) as session:
        platform = session.get(LtiPlatform, platform_id)
        if platform is None:
            raise LookupError(platform_id)
        platform.active = active
    return platform


def platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.name, LtiPlatform.id)))


def active_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The active registration for a launch: by issuer and client id (the only one if the
    platform sent no client id and registered once)."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.active.is_(True))
    if client_id:
        return db.session.scalar(query.where(LtiPlatform.client_id == client_id))
    found = list(db.session.scalars(query.limit(2)))
    return found[0] if len(found) == 1 else None
