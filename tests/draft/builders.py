"""Fixture files built by code: .docx with real Word list numbering, and PDFs of a text.

python-docx cannot write numbering definitions, so the .docx parts are written here by hand
(the minimum Word needs: content types, relationships, document, styles, numbering). PDFs are
typeset with reportlab in the Adobe CID font STSong-Light (built into every PDF reader, nothing
embedded), A4, 三号 type, a first-line indent, and page numbers “— N —” in the footer, so the
text comes back from the PDF wrapped into lines with page numbers between them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from draft.markers import match_marker

#: The fixture files kept as files (texts as published, a LibreOffice PDF).
FIXTURES = Path(__file__).parent / "fixtures"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"


@dataclass(frozen=True)
class Lvl:
    fmt: str
    text: str
    start: int = 1
    restart: int | None = None
    suffix: str | None = None
    style: str | None = None
    legal: bool = False

    def xml(self, ilvl: int) -> str:
        parts = [f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{self.start}"/><w:numFmt w:val="{self.fmt}"/>']
        if self.restart is not None:
            parts.append(f'<w:lvlRestart w:val="{self.restart}"/>')
        if self.style:
            parts.append(f'<w:pStyle w:val="{self.style}"/>')
        if self.legal:
            parts.append("<w:isLgl/>")
        if self.suffix:
            parts.append(f'<w:suff w:val="{self.suffix}"/>')
        parts.append(f"<w:lvlText w:val={quoteattr(self.text)}/><w:lvlJc w:val=\"left\"/></w:lvl>")
        return "".join(parts)


@dataclass(frozen=True)
class Num:
    abstract: int
    starts: tuple[tuple[int, int], ...] = ()      # (ilvl, startOverride)
    levels: tuple[tuple[int, Lvl], ...] = ()      # (ilvl, replacement level)


def numbering_xml(abstracts: dict[int, list[Lvl]], nums: dict[int, Num]) -> str:
    body = []
    for aid, levels in abstracts.items():
        body.append(f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>')
        body.extend(lvl.xml(i) for i, lvl in enumerate(levels))
        body.append("</w:abstractNum>")
    for nid, num in nums.items():
        body.append(f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{num.abstract}"/>')
        overrides: dict[int, str] = {}
        for ilvl, start in num.starts:
            overrides[ilvl] = overrides.get(ilvl, "") + f'<w:startOverride w:val="{start}"/>'
        for ilvl, lvl in num.levels:
            overrides[ilvl] = overrides.get(ilvl, "") + lvl.xml(ilvl)
        body.extend(f'<w:lvlOverride w:ilvl="{i}">{x}</w:lvlOverride>' for i, x in sorted(overrides.items()))
        body.append("</w:num>")
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W_NS}">{"".join(body)}</w:numbering>'


def styles_xml(styles: dict[str, tuple[str | None, int | None, int | None]]) -> str:
    """``{style_id: (based_on, num_id, ilvl)}`` as paragraph styles (plus Normal)."""
    out = ['<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>']
    for sid, (based, num_id, ilvl) in styles.items():
        numpr = ""
        if num_id is not None or ilvl is not None:
            numpr = "<w:pPr><w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "") + (
                f'<w:numId w:val="{num_id}"/>' if num_id is not None else "") + "</w:numPr></w:pPr>"
        basedon = f'<w:basedOn w:val="{based}"/>' if based else ""
        out.append(f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{sid}"/>{basedon}{numpr}</w:style>')
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">{"".join(out)}</w:styles>'


def p(text: str = "", num: int | None = None, ilvl: int | None = None, style: str | None = None,
      runs: str | None = None) -> str:
    """A paragraph; ``runs`` replaces the plain run with raw run XML (tracked changes, fields …)."""
    ppr = ""
    if style or num is not None or ilvl is not None:
        numpr = ""
        if num is not None or ilvl is not None:
            numpr = "<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "") + (
                f'<w:numId w:val="{num}"/>' if num is not None else "") + "</w:numPr>"
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + numpr + "</w:pPr>"
    content = runs if runs is not None else (f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else "")
    return f"<w:p>{ppr}{content}</w:p>"


def table(rows: list[list[str]]) -> str:
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{p(c)}</w:tc>" for c in row) + "</w:tr>" for row in rows)
    return f"<w:tbl>{cells}</w:tbl>"


def docx(body: list[str] | str, numbering: str | None = None, styles: str | None = None) -> bytes:
    body_xml = body if isinstance(body, str) else "".join(body)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" '
                f'xmlns:r="{R_NS}"><w:body>{body_xml}<w:sectPr/></w:body></w:document>')
    overrides = [("/word/document.xml", f"{CT_MAIN}.document.main+xml")]
    rels = []
    if styles is not None:
        overrides.append(("/word/styles.xml", f"{CT_MAIN}.styles+xml"))
        rels.append(("rId1", f"{REL}/styles", "styles.xml"))
    if numbering is not None:
        overrides.append(("/word/numbering.xml", f"{CT_MAIN}.numbering+xml"))
        rels.append(("rId2", f"{REL}/numbering", "numbering.xml"))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides) + "</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
                 f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
                + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{x}"/>' for i, t, x in rels) + "</Relationships>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", doc_rels)
        if styles is not None:
            archive.writestr("word/styles.xml", styles)
        if numbering is not None:
            archive.writestr("word/numbering.xml", numbering)
    return buffer.getvalue()


def word_lists(lines: list[str], lists: dict[str, tuple[int, int]], nums: dict[int, Num], *,
               style_of: dict[str, str] | None = None) -> tuple[list[str], dict[int, Num]]:
    """Paragraphs for ``lines`` whose typed numbers become Word list numbers.

    ``lists`` maps a numbering style of :mod:`draft.markers` (``cn_dun`` for 一、) to the
    ``(numId, ilvl)`` that numbers it; the label is cut from the text. With ``style_of``, a
    style's paragraphs get that paragraph style instead of direct numbering (the style carries
    the list, as Word's heading lists do). A level-0 list that starts again at 1 gets a new
    ``w:num`` restarting it (Word's 重新开始编号), as an author would; deeper levels rely on
    Word's own rules. Returns the paragraphs and ``nums`` with those restarts added.
    """
    paragraphs: list[str] = []
    nums = dict(nums)
    current = {style: num for style, (num, _) in lists.items()}
    seen: set[str] = set()
    next_id = 100
    for line in lines:
        marker = match_marker(line)
        if marker is None or marker.style not in lists:
            paragraphs.append(p(line))
            continue
        base, ilvl = lists[marker.style]
        if ilvl == 0 and marker.segment == "1" and marker.style in seen:
            nums[next_id] = Num(abstract=nums[base].abstract, starts=((0, 1),))
            current[marker.style] = next_id
            next_id += 1
        seen.add(marker.style)
        text = line[len(line) - len(marker.rest):] if marker.rest else ""
        if style_of and marker.style in style_of:
            paragraphs.append(p(text, style=style_of[marker.style]))
        else:
            paragraphs.append(p(text, num=current[marker.style], ilvl=ilvl))
    return paragraphs, nums


# -- PDF ----------------------------------------------------------------------------------------

def text_pdf(text: str, *, size: float = 16, page_numbers: bool = True, header: str = "") -> bytes:
    """``text`` typeset as an A4 PDF, one paragraph per line, wrapped by reportlab; runs of
    tab-separated lines become a ruled table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=size, leading=size * 1.75,
                           wordWrap="CJK", firstLineIndent=2 * size)

    def furniture(canvas, document) -> None:
        canvas.setFont("STSong-Light", 12)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 15 * mm, f"— {document.page} —")
        if header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 20 * mm, header)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm,
                                 topMargin=37 * mm, bottomMargin=35 * mm, invariant=True)
    story: list = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            grid = [r + [""] * (width - len(r)) for r in rows]
            story.append(Table(grid, style=[("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                            ("FONT", (0, 0), (-1, -1), "STSong-Light", size * 0.75)]))
            rows.clear()

    for line in text.splitlines():
        if "\t" in line.strip("\t "):    # a tab-separated row becomes a ruled table
            rows.append([c.strip() for c in line.split("\t")])
            continue
        flush()
        if line.strip():
            story.append(Paragraph(escape(line.strip()), style))
    flush()
    document.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()


def image_pdf(pages: int = 2) -> bytes:
    """A 'scanned' PDF: each page only a drawn picture, no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as pdf_canvas

    buffer = io.BytesIO()
    canvas = pdf_canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for _ in range(pages):
        for i in range(40):
            canvas.rect(60, 760 - i * 18, 200 + (i * 37) % 260, 9, fill=1, stroke=0)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
