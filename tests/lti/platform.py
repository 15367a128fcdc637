"""A test LMS: the platform side of LTI 1.3, built on ``lti1p3platform`` (an independent
implementation, not the tool's pylti1p3), served over real HTTP on loopback.

It plays what Canvas or Moodle would: answers the OIDC authorisation request with a signed
id_token (resource link or deep-linking request, with the NRPS and AGS claims), serves its key
set, issues service tokens against the tool's signed client assertion (checked with the tool's
published JWKS), serves a course roster, records scores posted to its line items and the
content items a deep-linking response returns. Nothing here imports the trainer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, abort, jsonify, request
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from werkzeug.serving import make_server

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


def key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@dataclass
class Person:
    sub: str
    name: str
    email: str
    roles: list[str]


@dataclass
class PendingLaunch:
    """What the next authorisation answers: who launches, from where, and which message."""

    person: Person
    context_id: str = "course-101"
    context_title: str = "HIM 210 Coding II"
    resource_link_id: str = "link-1"
    custom: dict[str, str] = field(default_factory=dict)
    deep_linking: bool = False


class CollegeLms:
    """The LMS; ``url`` is set once its server runs."""

    issuer = "https://lms.example.edu"
    client_id = "trainer-client-1"
    deployment_id = "deployment-1"

    def __init__(self) -> None:
        self.private_key, self.public_key = key_pair()
        self.url = ""
        self.tool_login_url = ""
        self.tool_launch_url = ""
        self.tool_jwks_url = ""
        self.next_launch: PendingLaunch | None = None
        self.roster: list[Person] = []
        self.scores: list[dict[str, Any]] = []
        self.content_items: list[dict[str, Any]] = []
        self.refuse_scores = False
        self.app = self._make_app()

    # --- lti1p3platform wiring -------------------------------------------------------------
    def registration(self) -> Registration:
        reg = Registration()
        reg.set_iss(self.issuer).set_client_id(self.client_id)
        reg.set_deployment_id(self.deployment_id)
        reg.set_oidc_login_url(self.tool_login_url)
        reg.set_launch_url(self.tool_launch_url)
        reg.set_deeplink_launch_url(self.tool_launch_url)
        reg.set_platform_private_key(self.private_key)
        reg.set_platform_public_key(self.public_key)
        reg.set_tool_key_set_url(self.tool_jwks_url)
        return reg

    def config(self) -> LTI1P3PlatformConfAbstract:
        outer = self

        class Config(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs: Any) -> None:
                pass

            def get_registration_by_params(self, **kwargs: Any) -> Registration:
                return outer.registration()

        return Config()

    def login_initiation_url(self, person: Person, **launch: Any) -> str:
        """Where the LMS sends the browser first (OIDC third-party login initiation)."""
        from lti1p3platform.oidc_login import OIDCLoginAbstract

        self.next_launch = PendingLaunch(person=person, **launch)

        class Login(OIDCLoginAbstract):
            def set_lti_message_hint(self, **kwargs: Any) -> None:
                self._lti_message_hint = kwargs.get("hint", "launch")

            def get_redirect(self, url: str) -> str:
                return url

        login = Login(None, self.config())
        login.set_lti_message_hint(hint="deep" if launch.get("deep_linking") else "launch")
        return login.initiate_login(person.sub)  # type: ignore[no-any-return]

    # --- the LMS's own endpoints -----------------------------------------------------------
    def _make_app(self) -> Flask:
        app = Flask("test-lms")
        platform = self

        class Launch(LTIAdvantageMessageLaunchAbstract):
            def get_preflight_response(self) -> dict[str, Any]:
                return dict(request.args)

            def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> Any:
                return jsonify(launch_data)

        @app.get("/auth")
        def auth() -> Any:
            pending = platform.next_launch
            if pending is None or request.args.get("login_hint") != pending.person.sub:
                abort(400)
            launch = Launch(None, platform.config())  # type: ignore[arg-type]
            launch.set_user_data(
                pending.person.sub, pending.person.roles, pending.person.name, pending.person.email
            )
            launch.set_launch_context_claim(pending.context_id, context_title=pending.context_title)
            launch.set_nrps(f"{platform.url}/courses/{pending.context_id}/memberships")
            if pending.deep_linking:
                launch.set_dl(f"{platform.url}/deep_link_return", title="Add an activity")
            else:
                launch.set_resource_link_claim(pending.resource_link_id)
                launch.set_custom_parameters_claim(pending.custom)
                launch.set_ags(
                    lineitems_url=f"{platform.url}/courses/{pending.context_id}/lineitems",
                    lineitem_url=f"{platform.url}/lineitems/{pending.resource_link_id}",
                )
            return launch.lti_launch()

        @app.get("/jwks")
        def jwks() -> Any:
            config = platform.config()
            config.get_registration()
            return jsonify(config.get_jwks())

        @app.post("/token")
        def token() -> Any:
            config = platform.config()
            config.get_registration()
            try:
                return jsonify(config.get_access_token(dict(request.form)))
            except Exception as exc:  # the platform answers a bad assertion with 400
                return jsonify({"error": "invalid_client", "detail": str(exc)}), 400

        def _authorised(scope: str) -> bool:
            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                return False
            config = platform.config()
            config.get_registration()
            try:
                return config.validate_token(header[7:], allowed_scopes=[scope])
            except Exception:
                return False

        @app.get("/courses/<context_id>/memberships")
        def memberships(context_id: str) -> Any:
            if not _authorised(NRPS_SCOPE):
                abort(401)
            return jsonify(
                {
                    "id": request.url,
                    "context": {"id": context_id},
                    "members": [
                        {
                            "status": "Active",
                            "user_id": p.sub,
                            "name": p.name,
                            "email": p.email,
                            "roles": p.roles,
                        }
                        for p in platform.roster
                    ],
                }
            )

        @app.post("/lineitems/<link_id>/scores")
        def scores(link_id: str) -> Any:
            if not _authorised(SCORE_SCOPE):
                abort(401)
            if platform.refuse_scores:
                abort(503)
            if request.content_type != "application/vnd.ims.lis.v1.score+json":
                abort(415)
            platform.scores.append({"lineitem": link_id, **json.loads(request.data)})
            return "", 204

        @app.post("/deep_link_return")
        def deep_link_return() -> Any:
            config = platform.config()
            config.get_registration()
            items = config.validate_deeplinking_resp({"JWT": request.form["JWT"]})
            platform.content_items.extend(items)
            return jsonify({"received": len(items)})

        return app


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve a WSGI app on a free loopback port for the block; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
