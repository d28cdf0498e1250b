"""How long the comment form takes with a 50-page PDF attached: the whole request, as a submitter sends it.

The form path is: Werkzeug parses the multipart body, ``read_attachment`` recognises the file (and extracts its
text when it has at most ``ATTACHMENT_INLINE_PAGES`` pages), the file is saved (fsync), the text is tokenised with
the comment (jieba with the draft's terms), the comment, its attachment row and its tokens are committed (with a
job that reads a longer PDF's text in the background: not run here, ``JOBS_RUNNER=off``). Each PDF is posted as
configured (its text left to the job) and with ``ATTACHMENT_INLINE_PAGES`` above its pages (read in the request, as
before the job existed). Measured through Flask's test client against a
temporary database with the seed draft, for the two PDFs of ``bench/pdf_extract.py`` (embedded font subsets;
a non-embedded CID font), against the same comment posted without a file in the same run, and against
``read_attachment`` alone (the share of the request that is text extraction). Each figure is the median of
``--repeat`` rounds in which the variants take turns. Prints figures only; asserts nothing.

    .venv/bin/python bench/attachment_form.py [--pages 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.pdf_extract import cid_pdf, embedded_pdf
from comment_portal import create_app
from comment_portal.clock import FixedClock
from comment_portal.db import close_all, get_db
from comment_portal.store import consultations
from draft import load_seed
from draft.documents import read_attachment
from tests.helpers import beijing

URL = "/c/seed/comment/3.3.12"
TOKENS = re.compile(r'name="(csrf_token|form_token)"[^>]*value="([^"]+)"')
BODY = "建议明确跨境电商外汇结算的办理时限，详见附件。"


def post(client, pdf: bytes | None) -> float:
    fields = dict(TOKENS.findall(client.get(URL).get_data(as_text=True)))
    data = {**fields, "body": BODY, "submitter_type": "企业", "consent": "y", "website": ""}
    if pdf is not None:
        data["attachments"] = [(io.BytesIO(pdf), "意见书.pdf")]
    start = time.perf_counter()
    response = client.post(URL, data=data, content_type="multipart/form-data")
    elapsed = time.perf_counter() - start
    assert response.status_code == 303, response.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pdfs = {"embedded": embedded_pdf(args.pages), "cid": cid_pdf(args.pages)}
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(beijing(2024, 10, 1, 12, 0, 0))
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE": f"{tmp}/portal.db", "CLOCK": clock,
                          "COMMENT_RATE_LIMIT": "100000 per minute", "COMMENT_ADDRESS_RATE_LIMIT": "100000 per minute",
                          "ATTACHMENT_MAX_BYTES": 50 * 1024 * 1024, "JOBS_RUNNER": "off"})
        inline_pages = app.config["ATTACHMENT_INLINE_PAGES"]
        with app.app_context():
            consultations.import_draft(get_db(), load_seed(), slug="seed", opens_on=date(2024, 9, 25),
                                       closes_on=date(2024, 10, 10), now=clock.now())
        client = app.test_client()
        post(client, None)  # warm up: jieba's dictionary, the draft's terms, templates
        variants: dict[str, list[float]] = {"no file": [], **{name: [] for name in pdfs},
                                            **{f"{name} inline": [] for name in pdfs},
                                            **{f"{name} read_attachment": [] for name in pdfs}}
        for _ in range(args.repeat):
            variants["no file"].append(post(client, None))
            for name, data in pdfs.items():
                variants[name].append(post(client, data))
                app.config["ATTACHMENT_INLINE_PAGES"] = 1_000_000
                variants[f"{name} inline"].append(post(client, data))
                app.config["ATTACHMENT_INLINE_PAGES"] = inline_pages
                start = time.perf_counter()
                read_attachment("意见书.pdf", data)
                variants[f"{name} read_attachment"].append(time.perf_counter() - start)
        close_all()
    m = {name: statistics.median(times) * 1000 for name, times in variants.items()}
    print(f"comment form POST, median of {args.repeat} (ms); ATTACHMENT_INLINE_PAGES = {inline_pages}")
    print(f"  no file                                  {m['no file']:8.1f}")
    for name, data in pdfs.items():
        pages = read_attachment("x.pdf", data).pages
        print(f"  {name:8} {pages} pages, {len(data) / 1024:5.0f} KB     {m[name]:8.1f}  "
              f"({m[name] / m['no file']:.1f}x no file; text read later by the job)")
        print(f"  {name:8} text read in the request        {m[name + ' inline']:8.1f}  "
              f"({m[name + ' inline'] / m['no file']:.1f}x no file; read_attachment alone "
              f"{m[name + ' read_attachment']:.1f} ms, {m[name + ' read_attachment'] / m[name + ' inline']:.0%})")


if __name__ == "__main__":
    main()
