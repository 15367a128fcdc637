"""pylti1p3's two storage seams, filled from our database.

``DatabaseToolConf`` answers pylti1p3's registration and deployment questions from the
``lti_platforms`` rows (so an administrator's change applies at once on every server), and
``DatabaseLaunchStorage`` keeps the OIDC state, nonce and launch data in ``lti_launch_values``:
the launch arrives as a cross-site POST that carries no SameSite=Lax session cookie, and the
login and the launch may reach different app servers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import delete

from ...database import write_transaction
from ...extensions import db
from ...models import LtiLaunchValue, LtiPlatform, as_utc, utcnow
from .registrations import active_platform

DEFAULT_LIFETIME_S = 3600


def registration_of(platform: LtiPlatform) -> Registration:
    """A pylti1p3 Registration for one of our platform rows."""
    registration = Registration()
    registration.set_issuer(platform.issuer).set_client_id(platform.client_id)
    registration.set_auth_login_url(platform.auth_login_url)
    registration.set_auth_token_url(platform.auth_token_url)
    registration.set_key_set_url(platform.key_set_url)
    registration.set_tool_private_key(platform.tool_private_key)
    registration.set_tool_public_key(platform.tool_public_key)
    return registration


class DatabaseToolConf(ToolConfAbstract):
    """Every issuer may register the tool several times, so lookups go by (issuer, client id)."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    # pylti1p3 declares ``Registration`` but treats a falsy answer as "not registered".
    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        platform = active_platform(iss, None)
        return registration_of(platform) if platform else None  # type: ignore[return-value]

    def find_registration_by_params(
        self, iss: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Registration:
        platform = active_platform(iss, client_id)
        return registration_of(platform) if platform else None  # type: ignore[return-value]

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        platform = active_platform(iss, client_id)
        if platform is None or deployment_id not in platform.deployment_ids:
            return None
        return Deployment().set_deployment_id(deployment_id)


class DatabaseLaunchStorage(LaunchDataStorage[Any]):
    """Launch state in the database, each value with an expiry; expired rows are swept on write."""

    _session_cookie_name = "lti1p3-session-id"

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        row = db.session.get(LtiLaunchValue, self._prepare_key(key)[:255])
        if row is None or _expired(row):
            return None
        return row.value

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        lifetime = timedelta(seconds=exp or DEFAULT_LIFETIME_S)
        now = utcnow()
        with write_transaction(db.session) as session:
            session.execute(delete(LtiLaunchValue).where(LtiLaunchValue.expires_at < now))
            name = self._prepare_key(key)[:255]
            row = session.get(LtiLaunchValue, name)
            if row is None:
                session.add(LtiLaunchValue(key=name, value=value, expires_at=now + lifetime))
            else:
                row.value, row.expires_at = value, now + lifetime

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None

    def remove_value(self, key: str) -> None:
        """Spend a one-time value (a nonce), so a replayed id_token is refused."""
        with write_transaction(db.session) as session:
            session.execute(
                delete(LtiLaunchValue).where(LtiLaunchValue.key == self._prepare_key(key)[:255])
            )


def _expired(row: LtiLaunchValue) -> bool:
    return as_utc(row.expires_at) <= utcnow()
