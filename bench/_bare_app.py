"""The bare baseline for bench/load.py: the least a portal could do per request.

A minimal Flask app that renders the same draft through one Jinja template on every GET and inserts
one row per POST into a WAL SQLite file (``synchronous=FULL``, as the portal) over a connection kept
per worker. Served by gunicorn with the same settings as the portal. Not part of the product.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, redirect, render_template_string, request

from draft import load_seed

TEMPLATE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><p>{{ preamble }}</p>
{% for c in clauses %}<section id="clause-{{ c.key }}"><h2>{{ c.label }}{{ c.heading }}</h2>
{% for p in c.body.split('\n') %}<p>{{ p }}</p>{% endfor %}<a href="/comment/{{ c.key }}">对此条提意见</a></section>
{% endfor %}</body></html>"""

draft = load_seed()
clauses = list(draft.walk())
app = Flask(__name__)
_conn: sqlite3.Connection | None = None


def conn() -> sqlite3.Connection:
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(os.environ["BARE_DB"], isolation_level=None)
        _conn.execute("PRAGMA journal_mode=WAL")
        _conn.execute(f"PRAGMA synchronous={os.environ.get('BARE_SYNC', 'FULL')}")
        _conn.execute("CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY, body TEXT)")
    return _conn


@app.get("/c/<slug>")
def page(slug: str):
    return render_template_string(TEMPLATE, title=draft.title, preamble=draft.preamble, clauses=clauses)


@app.post("/c/<slug>/comment")
def post(slug: str):
    conn().execute("INSERT INTO comments (body) VALUES (?)", (request.form.get("body", ""),))
    return redirect(f"/c/{slug}/thanks", code=303)


@app.get("/c/<slug>/comment")
def form(slug: str):
    return '<form method="post"><input name="csrf_token" type="hidden" value="x"></form>'
