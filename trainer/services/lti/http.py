"""The HTTP session every LTI call to a platform goes through: bounded in time.

pylti1p3 calls ``requests`` without a timeout; an LMS that hangs must not hang a trainee's
request (or a worker) with it.
"""

from __future__ import annotations

from typing import Any

import requests

PLATFORM_TIMEOUT_S = 5.0


class BoundedSession(requests.Session):
    """A ``requests.Session`` whose every request has a timeout unless the caller sets one."""

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", PLATFORM_TIMEOUT_S)
        return super().request(method, url, *args, **kwargs)


def platform_session() -> requests.Session:
    session = BoundedSession()
    session.headers["User-Agent"] = "coding-trainer-lti/1"
    return session
