"""Load benchmark of the public portal against a bare Flask baseline, in the same run.

Starts gunicorn for the portal (``comment-portal serve``) and for a bare app (bench/_bare_app.py)
with the same settings, one at a time, on 127.0.0.1, and drives each with wrk (Debian package):
GET the seed draft page (as a browser asks for it, ``Accept-Encoding: gzip, deflate, br``, and without
compression), and POST comments with a valid CSRF token, distinct texts and a distinct
form token per POST, as if each came from its own load of the form (the tokens are signed with the
run's secret key beforehand, so the measurement is the POST path alone; the rate limits are raised
through configuration for the run). Both apps get the same request bodies. Reports medians over rounds
and ratios portal/bare (the bare app compresses nothing, so "compressed GET" is the portal doing more work
per request than the baseline, measured against it). After the run, the portal's row count must equal the
number of receipts (303s).

Bytes on the wire per draft-page view (issue 12, goal <= 15 KB): the status line, headers and body of one
GET of the draft page as received on the socket (TLS and TCP framing not counted), with and without
compression, a repeat view with the page's ETag (304), and the first view with the stylesheet and script the
page links to; wrk's own bytes read per GET are printed beside as a cross-check.

Example: .venv/bin/python bench/load.py --duration 10 --connections 16 --rounds 3
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SLUG = "tianjin-cbec-2024"
SECRET = "bench"
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')

POST_LUA = r"""
counter = 0
thread_id = 0
receipts = 0
others = 0
threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
tokens = {}
function init(args)
  thread_id = tid
  local i = 0
  for line in io.lines(TOKENS) do
    if i % THREADS == thread_id - 1 then table.insert(tokens, line) end
    i = i + 1
  end
end
request = function()
  counter = counter + 1
  local body = "csrf_token=" .. TOKEN .. "&form_token=" .. tokens[(counter - 1) % #tokens + 1]
    .. "&submitter_type=%E4%B8%AA%E4%BA%BA&consent=y&website=&name=&contact="
    .. "&body=" .. "%E5%8E%8B%E6%B5%8B%E6%84%8F%E8%A7%81%E7%AC%AC" .. ROUND .. "-" .. thread_id .. "-" .. counter
    .. "%E6%9D%A1%EF%BC%8C%E5%BB%BA%E8%AE%AE%E5%8A%A0%E5%BC%BA%E8%B7%A8%E5%A2%83%E7%94%B5%E5%95%86%E4%BA%BA%E6%89%8D%E5%9F%B9%E5%85%BB%E3%80%82"
  return wrk.format("POST", PATH, {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = COOKIE}, body)
end
response = function(status, headers, body)
  if status == 303 then receipts = receipts + 1 else others = others + 1 end
end
done = function(summary, latency, requests)
  local r, o = 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("receipts")
    o = o + t:get("others")
  end
  io.write(string.format("RECEIPTS %d OTHERS %d\n", r, o))
end
"""


def median_seconds(fn, repeat: int) -> float:
    """The median wall time of ``repeat`` calls of ``fn()``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:  # not listening yet (URLError is an OSError)
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not come up")


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def parse_wrk(output: str) -> dict[str, float]:
    def to_ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(x) for x in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(m.group(1))
    receipts = others = 0
    if m := re.search(r"RECEIPTS (\d+) OTHERS (\d+)", output):
        receipts, others = int(m.group(1)), int(m.group(2))
    per_request = 0.0
    if m := re.search(r"(\d+) requests in [^,]+, ([\d.]+)([KMG]?B) read", output):
        scale = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[m.group(3)]
        per_request = float(m.group(2)) * scale / max(1, int(m.group(1)))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "receipts": receipts, "others": others,
            "bytes": per_request}


def wire_bytes(base: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    """One GET as sent on the socket: (bytes received — status line, headers and body —, response headers)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    return len(received), {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in head)}


def page_bytes(base: str) -> tuple[dict[str, int], str]:
    """Bytes on the wire for views of the draft page (see the module docstring), and the encoding chosen."""
    path = f"/c/{SLUG}"
    plain, _ = wire_bytes(base, path, {})
    packed, headers = wire_bytes(base, path, {"Accept-Encoding": BROWSER_ENCODINGS})
    repeat, _ = wire_bytes(base, path, {"Accept-Encoding": BROWSER_ENCODINGS,
                                        "If-None-Match": headers.get("etag", '"none"')})
    html = urllib.request.urlopen(f"{base}{path}", timeout=10).read().decode()
    assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)))
    linked = sum(wire_bytes(base, a, {"Accept-Encoding": BROWSER_ENCODINGS})[0] for a in assets)
    return ({"uncompressed": plain, "compressed": packed, "repeat (304)": repeat,
             f"first view with {len(assets)} static files": packed + linked},
            headers.get("content-encoding", "identity"))


#: What Chromium and Firefox send; the portal picks the smallest encoding it has (brotli, else gzip).
BROWSER_ENCODINGS = "gzip, deflate, br"


def wrk(url: str, args: argparse.Namespace, script: str | None = None,
        headers: tuple[str, ...] = ()) -> dict[str, float]:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "--timeout", "10s"]
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    try:
        return parse_wrk(out)
    except (AttributeError, KeyError):
        raise RuntimeError(f"could not read wrk's output:\n{out}") from None


def csrf_session(base: str) -> tuple[str, str]:
    """GET the comment form once: a session cookie and its CSRF token (valid for many POSTs)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/c/{SLUG}/comment").read().decode()
    match = CSRF_RE.search(html)
    if match is None:
        raise RuntimeError(f"no CSRF token on {base}/c/{SLUG}/comment")
    token = match.group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return token, cookie


def form_session(conn: http.client.HTTPConnection, path: str) -> tuple[str, str]:
    """GET the form at ``path`` on ``conn`` (a client thread's own connection): its CSRF token and the session
    cookie to send back with every POST."""
    conn.request("GET", path)
    response = conn.getresponse()
    html = response.read().decode()
    cookie = "; ".join(h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") or [])
    return CSRF_RE.search(html).group(1), cookie


def comment_form(csrf: str, form_token: str, text: str) -> str:
    """The comment form as a citizen's browser sends it: 个人, no name or contact, consent given, honeypot empty."""
    return urllib.parse.urlencode({
        "csrf_token": csrf, "form_token": form_token, "submitter_type": "个人", "consent": "y", "website": "",
        "name": "", "contact": "", "body": text,
    })


def post_form(conn: http.client.HTTPConnection, path: str, data: str, cookie: str) -> int:
    """POST an encoded form with the session cookie; the answer's status (raises when the server does not answer)."""
    conn.request("POST", path, body=data, headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return response.status


def form_token_file(workdir: Path, round_no: int, count: int) -> Path:
    """``count`` form tokens (one per POST; a token sent twice would be answered with its first receipt)."""
    sys.path.insert(0, str(ROOT))
    from comment_portal import form_tokens

    path = workdir / f"form-tokens-{round_no}.txt"
    path.write_text("\n".join(form_tokens.issue(SECRET, SLUG, None) for _ in range(count)) + "\n")
    return path


def post_script(workdir: Path, token: str, cookie: str, round_no: int, tokens: Path, threads: int) -> str:
    """Distinct texts and form tokens in every run."""
    path = workdir / "post.lua"
    path.write_text(
        f'TOKEN = "{urllib.parse.quote(token, safe="")}"\nCOOKIE = "{cookie}"\nPATH = "/c/{SLUG}/comment"\n'
        f'ROUND = "{round_no}"\nTOKENS = "{tokens}"\nTHREADS = {threads}\n' + POST_LUA
    )
    return str(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers for both apps")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are reported")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk (make bench-load does this)", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="cp-load-"))
    portal_db = workdir / "portal.db"
    env = dict(os.environ, COMMENT_PORTAL_DATABASE=str(portal_db), COMMENT_PORTAL_SECRET_KEY=SECRET,
               COMMENT_PORTAL_COMMENT_RATE_LIMIT="100000000 per minute",
               COMMENT_PORTAL_COMMENT_ADDRESS_RATE_LIMIT="100000000 per minute", BARE_DB=str(workdir / "bare.db"),
               PYTHONPATH=str(ROOT))
    cli = str(VENV_BIN / "comment-portal")
    subprocess.run([cli, "demo", "--no-serve"], env=env, check=True, capture_output=True)

    kinds = ("bare GET", "portal GET", "portal GET compressed", "bare POST", "portal POST")
    results: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
    views: list[dict[str, int]] = []
    encodings: set[str] = set()
    for round_no in range(1, args.rounds + 1):
        tokens = form_token_file(workdir, round_no, max(20000, 4000 * args.duration))
        for name in ("bare", "portal"):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            if name == "portal":
                access_log = workdir / f"access-{round_no}.log"
                proc = start([cli, "serve", "--port", str(port), "--workers", str(args.workers),
                              "--access-log", str(access_log)], env)
            else:
                proc = start([str(VENV_BIN / "gunicorn"), "-w", str(args.workers), "-k", "sync", "-b",
                              f"127.0.0.1:{port}", "--access-logfile", str(workdir / f"bare-{round_no}.log"),
                              "--chdir", str(ROOT / "bench"), "_bare_app:app"], env)
            try:
                wait_ready(f"{base}/c/{SLUG}")
                wrk(f"{base}/c/{SLUG}", argparse.Namespace(**{**vars(args), "duration": 2}))  # warm-up
                results[f"{name} GET"].append(wrk(f"{base}/c/{SLUG}", args))
                if name == "portal":
                    results["portal GET compressed"].append(
                        wrk(f"{base}/c/{SLUG}", args, headers=(f"Accept-Encoding: {BROWSER_ENCODINGS}",)))
                    sizes, encoding = page_bytes(base)
                    views.append(sizes)
                    encodings.add(encoding)
                token, cookie = csrf_session(base)
                results[f"{name} POST"].append(wrk(f"{base}/c/{SLUG}/comment", args, post_script(workdir, token, cookie, round_no, tokens, args.threads)))
            finally:
                stop(proc)
        print(f"round {round_no}/{args.rounds} done", file=sys.stderr)

    med = {k: {m: statistics.median(r[m] for r in v) for m in v[0]} for k, v in results.items()}
    print(f"\nload: {args.connections} connections, {args.threads} wrk threads, {args.duration}s per run, "
          f"{args.workers} sync workers each, {args.rounds} rounds (medians)\n")
    print(f"{'':22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'bytes/req':>10}")
    for k, v in med.items():
        print(f"{k:22} {v['rps']:9.0f} {v['p50']:8.1f} {v['p99']:8.1f} {v['errors']:7.0f} {v['bytes']:10.0f}")
    get_ratio = med["portal GET"]["rps"] / med["bare GET"]["rps"]
    packed_ratio = med["portal GET compressed"]["rps"] / med["bare GET"]["rps"]
    post_ratio = med["portal POST"]["rps"] / med["bare POST"]["rps"]
    print(f"\nportal/bare GET  ratio: {get_ratio:.2f}x uncompressed, {packed_ratio:.2f}x compressed (goal >= 1.0)")
    print(f"portal/bare POST ratio: {post_ratio:.2f}x (goal >= 0.5)")
    worst_p99 = max(med["portal GET"]["p99"], med["portal POST"]["p99"])
    print(f"portal p99 (worst of GET/POST medians): {worst_p99:.1f} ms (goal <= 100)")
    print(f"\nbytes on the wire per draft-page view (headers + body, median of {len(views)} rounds; "
          f"encoding chosen: {', '.join(sorted(encodings))}):")
    for key in views[0]:
        value = statistics.median(v[key] for v in views)
        goal = " (goal <= 15 KB)" if key == "compressed" else ""
        print(f"  {key:32} {value:8.0f} B = {value / 1024:6.1f} KB{goal}")

    conn = sqlite3.connect(portal_db)
    rows_stored = conn.execute("SELECT count(*) FROM comments").fetchone()[0]
    conn.close()
    receipts = sum(r["receipts"] for r in results["portal POST"])
    # Receipts the server sent (a request cut off when wrk stops is committed and answered by the
    # server, but never counted by wrk): 303 answers to POSTs in gunicorn's access logs.
    sent = sum(
        1
        for log in workdir.glob("access-*.log")
        for line in log.read_text().splitlines()
        if '"POST ' in line and '" 303 ' in line
    )
    errors = sum(r["errors"] + r["others"] for r in results["portal GET"] + results["portal POST"])
    print(f"portal rows stored: {rows_stored}; receipts (303) sent by the server: {sent} "
          f"({'MATCH' if rows_stored == sent else 'MISMATCH'}); received by wrk: {receipts}; portal errors: {errors}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if rows_stored == sent and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
