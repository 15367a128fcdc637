"""The benchmark's yardstick: a minimal Flask + Jinja page with one SQLite query.

It is what a page of this framework costs on this machine at the least; the real practice page
is reported as a ratio of it.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, g, render_template_string

PAGE = """<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1>
<ul>{% for row in rows %}<li>{{ row[0] }}: {{ row[1] }}</li>{% endfor %}</ul>"""


def create_baseline_app() -> Flask:
    path = os.environ.get("BENCH_BASELINE_DB", "baseline.sqlite")
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)")
        if not conn.execute("SELECT count(*) FROM items").fetchone()[0]:
            conn.executemany(
                "INSERT INTO items (name) VALUES (?)", [(f"item {i}",) for i in range(20)]
            )
    app = Flask(__name__)

    def db() -> sqlite3.Connection:
        if "db" not in g:
            g.db = sqlite3.connect(path)
        return g.db

    @app.teardown_appcontext
    def _close(_exc: object) -> None:
        conn = g.pop("db", None)
        if conn is not None:
            conn.close()

    @app.get("/healthz")
    def health() -> str:
        return "ok"

    @app.get("/")
    def index() -> str:
        rows = db().execute("SELECT id, name FROM items ORDER BY id LIMIT 20").fetchall()
        return render_template_string(PAGE, title="Baseline", rows=rows)

    return app
