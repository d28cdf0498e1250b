"""How long it takes to get the text out of a 50-page PDF (a draft upload or a comment attachment).

Two PDFs of ``--pages`` pages, because PDFium's cost depends mostly on the fonts:

* ``embedded``: the test fixture exported by LibreOffice (tests/draft/fixtures/
  regulation_chapters_libreoffice.pdf: embedded font subsets, as Word/WPS/LibreOffice write
  them), its pages repeated;
* ``cid``: the seed draft typeset by the test suite's builder (reportlab) in STSong-Light, a CID
  font that is *not* embedded, so PDFium substitutes a system font on every page (slow).

``--pdf FILE`` measures a file of your own instead. Every figure is the median of ``--repeat``
runs, with ratios against baselines measured in the same run: reading the same text from a .txt
file, and PDFium's bare text dump (no layout analysis). The first read in the process (cold) is
printed separately. Prints figures only; asserts nothing.

    .venv/bin/python bench/pdf_extract.py [--pages 50] [--repeat 7] [--pdf FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))   # the PDF builder lives with the tests

from draft import SEED_PATH, load_bytes
from draft.documents import read_attachment, read_pdf
from tests.draft.builders import text_pdf


def _trimmed(data: bytes, pages: int) -> bytes:
    """The first ``pages`` pages of ``data``, repeating them if it has fewer."""
    import io

    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        out.import_pages(source, list(range(min(len(source), pages - len(out)))))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def cid_pdf(pages: int) -> bytes:
    seed = SEED_PATH.read_text(encoding="utf-8")
    copies = 1
    while read_pdf(data := text_pdf("\n".join([seed] * copies))).page_count < pages:
        copies += 1
    return _trimmed(data, pages)


def embedded_pdf(pages: int) -> bytes:
    return _trimmed((REPO / "tests/draft/fixtures/regulation_chapters_libreoffice.pdf").read_bytes(), pages)


def bare_pdfium(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        out = []
        for page in document:
            textpage = page.get_textpage()
            out.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\n".join(out)
    finally:
        document.close()


def medians_ms(fns: dict[str, object], repeat: int) -> dict[str, float]:
    """Median wall time of each function; the functions take turns in every round, so a burst
    of load from elsewhere on this shared machine hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


def measure(label: str, name: str, data: bytes, repeat: int) -> None:
    start = time.perf_counter()
    pdf = read_pdf(data)
    cold = (time.perf_counter() - start) * 1000
    text = pdf.text
    txt = text.encode("utf-8")
    m = medians_ms({
        "extract": lambda: read_pdf(data),
        "attachment": lambda: read_attachment(name, data),
        "bare": lambda: bare_pdfium(data),
        "from_txt": lambda: txt.decode("utf-8"),
        "import_pdf": lambda: load_bytes(data, name),
        "import_txt": lambda: load_bytes(txt, "same.txt"),
    }, repeat)
    print(f"[{label}] {pdf.page_count} pages, {len(data) / 1024:.0f} KB, {len(text):,} characters of text")
    print(f"  text with paragraphs (read_pdf)        {m['extract']:8.1f} ms  "
          f"({m['extract'] / pdf.page_count:.1f} ms/page; first read cold {cold:.0f} ms)")
    print(f"    vs PDFium's bare text dump           {m['bare']:8.1f} ms  -> {m['extract'] / m['bare']:.1f}x")
    print(f"    vs the same text read from .txt      {m['from_txt']:8.3f} ms  -> "
          f"{m['extract'] / m['from_txt']:,.0f}x")
    print(f"  read_attachment (sniff, text, checks)  {m['attachment']:8.1f} ms")
    print(f"  draft import .pdf -> Draft             {m['import_pdf']:8.1f} ms  "
          f"({m['import_pdf'] / m['import_txt']:.1f}x importing the same text from .txt: {m['import_txt']:.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pdf", type=Path, help="measure this PDF instead of the generated ones")
    args = parser.parse_args()
    if args.pdf:
        measure(args.pdf.name, args.pdf.name, args.pdf.read_bytes(), args.repeat)
        return
    measure("embedded", "embedded.pdf", embedded_pdf(args.pages), args.repeat)
    measure("cid", "cid.pdf", cid_pdf(args.pages), args.repeat)


if __name__ == "__main__":
    main()
