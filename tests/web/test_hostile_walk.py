"""Every route, every method it accepts, every parameter and field, with hostile values: no 5xx.

The routes come from ``app.url_map`` (so a new route is walked without being listed here) and
the ids from the route matrix's world. The field names come from the web layer itself: every
WTForms field of its forms and every ``request.form/args.get("...")`` name in its source, plus
the entry panel's numbered fields. Each request sends all of them at once with one hostile
value, as query string and as form or JSON body. Routes open to trainees are walked as the
chart's owner; supervisor routes as an administrator (who passes every supervisor guard).
"""

from __future__ import annotations

import ast
import io
import traceback
from pathlib import Path

import pytest
from flask import got_request_exception
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.test_route_matrix import (  # noqa: F401 (world: a fixture)
    PASSWORD,
    POLICY,
    _url,
    world,
)
from trainer import web

WEB = Path(web.__file__).parent
HOSTILE = [
    "²",  # str.isdigit() says yes, int() raises
    "٣",  # int() reads 3
    "9" * 30,  # overflows SQLite and PostgreSQL integers
    "-1",
    "",
    "\r\n",
    "a\x00b",
    "ü" * 300,  # longer than every field's limit
]
HOSTILE_IDS = ["9" * 30, str(2**63), "%D9%A3", "0"]
HOSTILE_SEGMENTS = ["²²²²", "%0D%0A", "x" * 400, "..%2F..%2Fetc"]
ENTRY_FIELDS = [
    "diagnoses-0",
    "lines-0-code",
    "lines-0-mod1",
    "lines-0-units",
    "lines-0-revenue",
    "lines-0-pointers",
    "dx-0-verdict",
    "dx-0-reason",
    "ln-0-verdict",
    "from",  # the code-set diff reads its two years in a loop
    "to",
]


def _form_field_names() -> set[str]:
    """WTForms fields of every form class the web layer defines."""
    names: set[str] = set()
    stack = list(FlaskForm.__subclasses__())
    while stack:
        form = stack.pop()
        stack.extend(form.__subclasses__())
        if form.__module__.startswith("trainer."):
            names.update(n for n, v in vars(form).items() if hasattr(v, "field_class"))
    return names


def _read_names() -> set[str]:
    """Literal names read with request.form/args/files.get("...") or an ``*_arg("...")``
    helper anywhere in trainer/web."""
    names: set[str] = set()
    for path in WEB.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            func = ast.unparse(node.func)
            if func.endswith("_arg") or (func.endswith(".get") and "request" in func):
                names.add(node.args[0].value)
    return names


FIELDS = sorted(_form_field_names() | _read_names() | set(ENTRY_FIELDS) | {"next"})


def test_the_field_list_is_derived_not_empty():
    # A few names every version of the app reads; the walk would be hollow without them.
    assert {"limit", "per_quarter", "chart_count", "user_id", "username", "q"} <= set(FIELDS)


@pytest.fixture
def walking(app):  # type: ignore[no-untyped-def]
    app.config["PROPAGATE_EXCEPTIONS"] = False
    crashes: list[str] = []

    def record(sender, exception, **extra):  # type: ignore[no-untyped-def]
        crashes.append("".join(traceback.format_exception(exception)[-2:]).strip())

    got_request_exception.connect(record, app)
    yield app, crashes
    got_request_exception.disconnect(record, app)


def _signed_in(app, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


SUPERVISOR_POLICIES = {"supervisor", "cohort_supervisor", "author"}


def _rules(app, username: str):  # type: ignore[no-untyped-def]
    """The rules ``username`` walks: the admin takes the supervisor routes, the owner the rest.
    Log-out is left out (it would end the walk); skip goes last (it closes the chart)."""
    wanted = username == "admin"
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint != "auth.logout" and (POLICY[r.endpoint] in SUPERVISOR_POLICIES) == wanted
    ]
    return sorted(rules, key=lambda r: (r.endpoint == "practice.skip", r.endpoint))


def _methods(rule) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _hostile_urls(rule, world_ids) -> list[str]:  # type: ignore[no-untyped-def]
    """The rule's URL with each path parameter in turn replaced by a hostile value."""
    good = _url(rule, world_ids)
    urls = []
    for arg in sorted(rule.arguments):
        converter = type(rule._converters[arg]).__name__
        values = HOSTILE_IDS if converter == "IdConverter" else HOSTILE_SEGMENTS
        marker = "\x01"
        template = _url_with(rule, world_ids, arg, marker)
        urls.extend(template.replace(marker, value) for value in values)
    return urls or [good]


def _url_with(rule, world_ids, arg: str, marker: str) -> str:  # type: ignore[no-untyped-def]
    out = rule.rule
    for conv in (f"<int:{arg}>", f"<path:{arg}>", f"<{arg}>"):
        out = out.replace(conv, marker)
    fake = type(rule)(out, endpoint=rule.endpoint)
    fake.arguments = rule.arguments - {arg}
    fake.rule = out
    return _url(fake, world_ids)


def _send(client, method: str, url: str, value: str, as_json: bool):  # type: ignore[no-untyped-def]
    fields = dict.fromkeys(FIELDS, value)
    if method == "GET":
        return client.get(url, query_string=fields)
    if as_json:
        body = {**fields, "answer": {"diagnoses": [value], "lines": [{"code": value}]}}
        body["specialty"] = value
        return client.open(url, method=method, json=body)
    data = {**fields, "file": (io.BytesIO(value.encode() + b"\r\x00\xff"), "hostile.csv")}
    return client.open(url, method=method, data=data, query_string={"next": value})


@pytest.mark.slow
def test_no_route_answers_a_hostile_value_with_a_5xx(walking, world):  # noqa: F811
    app, crashes = walking
    failures = []
    for username in ("owner", "admin"):
        client = _signed_in(app, username)
        for rule in _rules(app, username):
            for method in _methods(rule):
                good = _url(rule, world)
                sends = [(good, v, False) for v in HOSTILE]
                if method != "GET":
                    sends += [(good, v, True) for v in HOSTILE[:3]]
                sends += [(url, "x", False) for url in _hostile_urls(rule, world)]
                for url, value, as_json in sends:
                    response = _send(client, method, url, value, as_json)
                    response.close()
                    if response.status_code >= 500:
                        failures.append(f"{username} {method} {url} {value[:12]!r}: 500")
    assert failures == [], "\n".join(failures[:20] + crashes[:5])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


def test_any_json_answer_to_the_api_submit_is_read_or_refused_never_a_5xx(walking, world):  # noqa: F811
    app, crashes = walking
    client = _signed_in(app, "owner")
    url = f"/api/v1/attempts/{world['attempt']}/submit"

    @given(answer=json_values, seconds=json_values)
    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(answer, seconds):  # type: ignore[no-untyped-def]
        response = client.post(url, json={"answer": answer, "seconds": seconds})
        assert response.status_code < 500, crashes[-1:]
        if response.status_code == 400:
            assert response.get_json()["error"]

    check()
