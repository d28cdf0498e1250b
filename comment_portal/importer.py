"""Import comments gathered outside the portal (letters, e-mail, phone, meetings) from CSV or XLSX.

Used by ``comment-portal import-comments`` and the staff import page. Columns (header row first; Chinese or
English names, any order, unknown columns ignored):

=============  ==================  ======================================================================
Chinese        English             value
=============  ==================  ======================================================================
意见内容       body / comment      required; 5–5,000 characters
对应条款       clause              clause key (``3.3.12``) or label as written (``12.``, ``(三)``, ``第十二条``,
                                   ``三、(三)``); empty, 整体 or 全文 = the whole draft
身份           submitter_type      个人 / 企业 / 社会组织 / 其他 (empty: 其他)
姓名或单位     name                optional
联系方式       contact             optional (private: never published)
渠道           channel             web / email / letter / phone / meeting or 网站 / 电子邮件 / 信函 / 电话 /
                                   座谈会 (empty: letter)
收到日期       received_on         YYYY-MM-DD (empty: today); not in the future
=============  ==================  ======================================================================

Bad rows are reported by row number as a spreadsheet shows it (the header is row 1; a cell with line
breaks is still one row) with the reason; good rows are stored and
committed in short transactions. Tokens are computed once per comment here (batched for big files), receipt codes as
for web comments.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from . import store
from .clock import LOCAL_TZ
from .sanitize import clean_text, visible_length
from .store import batches
from .store.rows import Clause, Consultation, StaffAccount
from .vocabulary import BODY_MAX, BODY_MIN, DEFAULT_STAFF_CHANNEL, IMPORTED_CONTACT_MAX, NAME_MAX, SUBMITTER_TYPES
from .window import received_on_error

#: Batches at least this big are tokenised with ``Tokenizer.tokenize_many`` (all cores).
BATCH_TOKENIZE = 200
#: Rows tokenised per step of the progress bar (each step starts the worker processes again).
TOKEN_STEP = 2500

COLUMNS = {
    "body": ("意见内容", "意见", "内容", "body", "comment", "text"),
    "clause": ("对应条款", "条款", "clause", "clause_key"),
    "submitter_type": ("身份", "提交人身份", "submitter_type", "type", "identity"),
    "name": ("姓名或单位", "姓名", "单位", "name", "organisation", "organization"),
    "contact": ("联系方式", "contact"),
    "channel": ("渠道", "来源渠道", "channel"),
    "received_on": ("收到日期", "日期", "received_on", "received", "date"),
}
CHANNEL_ALIASES = {
    "web": "web", "网站": "web", "网站在线提交": "web", "网上": "web", "在线": "web",
    "email": "email", "e-mail": "email", "邮件": "email", "电子邮件": "email", "邮箱": "email",
    "letter": "letter", "信函": "letter", "来信": "letter", "信件": "letter",
    "phone": "phone", "电话": "phone",
    "meeting": "meeting", "座谈会": "meeting", "会议": "meeting", "座谈": "meeting",
}
WHOLE_DRAFT_WORDS = {"", "整体", "全文", "总体", "对整体", "征求意见稿整体", "whole", "-"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (a message for staff, in Chinese)."""


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class ImportResult:
    inserted: list[dict[str, Any]] = field(default_factory=list)  # id, receipt_code, line
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0


def _norm(text: Any) -> str:
    return unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()


def _header_map(header: list[Any]) -> dict[str, int]:
    wanted = {alias.lower(): name for name, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = wanted.get(_norm(cell).lower().replace(" ", ""))
        if name and name not in found:
            found[name] = i
    if "body" not in found:
        raise ImportFileError("表头中没有“意见内容”列（也可写 body 或 comment）。第1行应为表头，例如：意见内容,对应条款,身份,姓名或单位,"
                           "联系方式,渠道,收到日期。")
    return found


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, else Big5 (traditional). GB18030 decodes almost any
    bytes, so private-use characters in its result mean the guess was wrong."""
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" or not _PRIVATE_USE.search(text):
            return text
    raise ImportFileError("无法识别文件编码，请另存为 UTF-8 编码的 CSV（Excel：另存为“CSV UTF-8”）。")


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(data)
    # A long cell is that row's problem (parse_row rejects bodies over the limit), not the whole file's.
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    row = 0
    try:
        # Rows as a spreadsheet numbers them (a cell with line breaks is still one row), header = row 1.
        for row, record in enumerate(reader, start=1):
            yield row, record
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式错误（第{row + 1}行附近）：{exc}") from None


class _FormulaWithoutValue:
    def __str__(self) -> str:
        return "（公式）"


#: Stands for a formula cell whose result was never computed (see ``_xlsx_rows``).
FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


#: What one import reads at most: more rows are refused (split the file), columns after the 50th are ignored,
#: and an .xlsx may unpack to at most 200 MB (a 20 MB upload of repeated cells can unpack to gigabytes).
MAX_ROWS = 10_000
MAX_COLUMNS = 50
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
_XML_PARTS = (".xml", ".rels", ".vml")
_RESAVE = "请在 Excel 中打开后另存为 .xlsx 再导入"


def check_xlsx_package(data: bytes) -> None:
    """Refuse a workbook before openpyxl reads it: not a zip, unpacking too large, or any XML part that is
    not well formed (a truncated file) or declares a DTD or entities (entity expansion, external entities).

    openpyxl parses worksheets and shared strings with defusedxml's ``iterparse`` when defusedxml is installed
    (a dependency), but the workbook part with lxml when lxml is present; this check parses every part with
    defusedxml first, so no XML reaches openpyxl that defusedxml would not accept.
    """
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportFileError("无法打开这个 Excel 文件，请确认它是 .xlsx 格式（不是 .xls），且未损坏。") from None
    if sum(p.file_size for p in parts) > MAX_XLSX_UNPACKED:
        raise ImportFileError(f"Excel 文件解压后超过 {MAX_XLSX_UNPACKED // (1024 * 1024)} MB，无法导入；"
                              f"请拆分为多个文件（每个最多 {MAX_ROWS:,} 行）分批导入。")
    with archive:
        for part in parts:
            if not part.filename.lower().endswith(_XML_PARTS):
                continue
            try:
                with archive.open(part) as stream:
                    for _event, element in iterparse(stream, forbid_dtd=True, forbid_entities=True,
                                                     forbid_external=True):
                        element.clear()
            except DefusedXmlException:
                raise ImportFileError(f"Excel 文件中含有不允许的 XML 声明（DTD 或实体，位于 {part.filename}），"
                                      f"为安全起见未导入；{_RESAVE}。") from None
            except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
                raise ImportFileError(f"Excel 文件已损坏（{part.filename} 不完整或格式错误），{_RESAVE}。") from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # installed as a dependency; never parse a workbook without it
        raise ImportFileError("服务器缺少 defusedxml 组件，暂不能导入 Excel 文件，请联系系统管理员（或改用 CSV 文件）。")
    check_xlsx_package(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - whatever openpyxl raises on a malformed package: one message, no traceback
        raise ImportFileError("无法打开这个 Excel 文件，请确认它是 .xlsx 格式（不是 .xls），且未损坏。") from None
    try:
        if not book.worksheets:
            raise ImportFileError("Excel 文件中没有工作表：请把意见放在第一个工作表中，第1行为表头。")
        sheet, raw = book.worksheets[0], formulas.worksheets[0]
        for ws in (sheet, raw):
            ws.reset_dimensions()  # read-only mode trusts the file's <dimension>, which may be stale
        # A formula cell without a cached result (files written by scripts, never opened in Excel) reads as
        # empty: mark it, so the row is reported instead of silently skipped as blank.
        pairs = zip(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS),
                    raw.iter_rows(values_only=True, max_col=MAX_COLUMNS))
        n = 0
        try:
            for n, (record, written) in enumerate(pairs, start=1):
                yield n, [
                    FORMULA_WITHOUT_VALUE if value is None and isinstance(cell, str) and cell.startswith("=") else value
                    for value, cell in zip(record, written)
                ]
        except (IndexError, KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile, EOFError, OSError,
                SyntaxError) as exc:  # e.g. a shared-string index past the end of the table
            raise ImportFileError(f"Excel 文件内容有误，第{n + 1}行附近无法读取（{type(exc).__name__}），{_RESAVE}。") from None
    finally:
        book.close()
        formulas.close()


def _suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(f"不支持的文件类型“{suffix or filename}”：请上传 .csv 或 .xlsx 文件。")
    return suffix


def read_rows(data: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    """(line number, cells) for every row of a CSV or XLSX file, the header included."""
    suffix = _suffix(filename)
    return _capped(_csv_rows(data) if suffix == ".csv" else _xlsx_rows(data))


def check_file(data: bytes, filename: str) -> None:
    """What can be refused at once, before a job is queued: the file type, a CSV's encoding, an .xlsx package
    that is not safe to open (see :func:`check_xlsx_package`). The rows are read by the import job."""
    if _suffix(filename) == ".csv":
        _decode(data)
    else:
        check_xlsx_package(data)


def _capped(found: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    """At most MAX_ROWS rows after the header (refused beyond: nothing is imported), MAX_COLUMNS cells each."""
    for line, record in found:
        if line > MAX_ROWS + 1:
            raise ImportFileError(f"文件超过 {MAX_ROWS:,} 行（表头除外），未导入任何意见：请拆分为多个文件分批导入。")
        yield line, record[:MAX_COLUMNS]


class ClauseIndex:
    """Finds a clause from what people write in a spreadsheet: its key or its label."""

    def __init__(self, clauses: list[Clause]):
        self.keys = {clause.key for clause in clauses}
        self.by_label: dict[str, list[Clause]] = {}
        self.by_path: dict[str, str] = {}
        by_key = {clause.key: clause for clause in clauses}
        for clause in clauses:
            label = self._label(clause.label or "")
            if label:
                self.by_label.setdefault(label, []).append(clause)
            path, parent = [label], clause.parent_key
            while parent:
                path.insert(0, self._label(by_key[parent].label or ""))
                parent = by_key[parent].parent_key
            self.by_path[self._path("".join(path))] = clause.key

    @staticmethod
    def _label(text: str) -> str:
        text = _norm(text).replace(" ", "")
        return text.rstrip("、.:：,，")

    @staticmethod
    def _path(text: str) -> str:
        return re.sub(r"[、.:：,，\s]", "", _norm(text))

    def find(self, value: Any) -> str | None:
        """The clause key; None for the whole draft; raises ValueError with the reason."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # Excel stores 12 as 12.0
        text = _norm(value)
        if text in WHOLE_DRAFT_WORDS:
            return None
        found = self.by_label.get(self._label(text), [])
        if re.fullmatch(r"\d+(\.\d+)*", text):
            # A bare number is what people (and Excel, for 1.) write for an item label: 12 means 12.;
            # it is also a key when the draft has one (1 = 一、). Both different: ask instead of guessing.
            as_key = text if text in self.keys else None
            labelled = found[0].key if len(found) == 1 else None
            if as_key and labelled and as_key != labelled:
                raise ValueError(f"条款“{text}”既可指条款键 {as_key}，也可指编号为“{text}.”的条款（{labelled}），"
                                 f"请写成“{text}.”或写条款键（如 {labelled}）")
            if as_key or labelled:
                return as_key or labelled
        elif text in self.keys:
            return text
        if len(found) == 1:
            return found[0].key
        if self._path(text) in self.by_path:
            return self.by_path[self._path(text)]
        if found:
            keys = "、".join(clause.key for clause in found[:4])
            raise ValueError(f"条款“{text}”对应多个条款（{keys}），请写条款键（如 {found[0].key}）或带上级编号（如 三、(三)）")
        raise ValueError(f"找不到条款“{text}”")


def _date(value: Any, today: date, consultation: Consultation | None = None) -> str:
    if value is None or value == "":
        return today.isoformat()
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, (int, float)) or re.fullmatch(r"\d{5}", _norm(value)):
        # An Excel date serial in a cell formatted as General (45573 = 2024-10-08).
        serial = int(float(value))
        if not 20000 <= serial <= 80000:
            raise ValueError(f"收到日期“{value}”格式不正确，应为 YYYY-MM-DD")
        day = date(1899, 12, 30) + timedelta(days=serial)
    else:
        text = _norm(value)
        match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
        if not match:
            raise ValueError(f"收到日期“{text}”格式不正确，应为 YYYY-MM-DD")
        try:
            day = date(*(int(g) for g in match.groups()))
        except ValueError:
            raise ValueError(f"收到日期“{text}”不存在") from None
    problem = received_on_error(day, consultation, today)
    if problem:
        raise ValueError(problem)
    return day.isoformat()


def _cell(record: list[Any], columns: dict[str, int], name: str) -> Any:
    i = columns.get(name)
    if i is None or i >= len(record):
        return None
    return record[i]


def parse_row(record: list[Any], columns: dict[str, int], clauses: ClauseIndex, today: date,
              consultation: Consultation | None = None) -> dict[str, Any]:
    """One spreadsheet row → comment fields; raises ValueError with the reason (in Chinese)."""
    if any(cell is FORMULA_WITHOUT_VALUE for cell in record):
        raise ValueError("含有未计算结果的公式单元格，请在 Excel 中打开并保存该文件（或把公式改为数值）后重新导入")
    body = clean_text(str(_cell(record, columns, "body") or ""))
    shown = visible_length(body)
    if not shown:
        raise ValueError("意见内容为空")
    if shown < BODY_MIN or len(body) > BODY_MAX:
        raise ValueError(f"意见内容需在{BODY_MIN}至{BODY_MAX}字之间（当前{shown if shown < BODY_MIN else len(body)}字）")
    submitter_type = _norm(_cell(record, columns, "submitter_type")) or "其他"
    if submitter_type not in SUBMITTER_TYPES:
        raise ValueError(f"身份“{submitter_type}”不是 {' / '.join(SUBMITTER_TYPES)} 之一")
    channel_text = _norm(_cell(record, columns, "channel"))
    channel = CHANNEL_ALIASES.get(channel_text.lower(), None) if channel_text else DEFAULT_STAFF_CHANNEL
    if channel is None:
        raise ValueError(f"渠道“{channel_text}”无法识别，应为 网站 / 电子邮件 / 信函 / 电话 / 座谈会")
    name = clean_text(str(_cell(record, columns, "name") or ""), multiline=False)
    contact = clean_text(str(_cell(record, columns, "contact") or ""), multiline=False)
    if len(name) > NAME_MAX:
        raise ValueError(f"姓名或单位超过{NAME_MAX}字")
    if len(contact) > IMPORTED_CONTACT_MAX:
        raise ValueError(f"联系方式超过{IMPORTED_CONTACT_MAX}字")
    return {
        "body": body,
        "clause_key": clauses.find(_cell(record, columns, "clause")),
        "submitter_type": submitter_type,
        "name": name,
        "contact": contact,
        "channel": channel,
        "received_on": _date(_cell(record, columns, "received_on"), today, consultation),
    }


def _tokens(bodies: list[str], consultation: Consultation) -> list[list[str]]:
    from .tokens import tokenize, tokenize_many

    if len(bodies) >= BATCH_TOKENIZE:
        return tokenize_many(bodies, consultation)
    return [tokenize(b, consultation) for b in bodies]


def _identity(fields: dict[str, Any]) -> tuple[Any, ...]:
    return (store.comments.body_hash(fields["body"]), fields["clause_key"], fields["channel"], fields["received_on"],
            fields["name"] or None, fields["contact"] or None)


def _skip_already_stored(db: Database, consultation_id: int, parsed: list[tuple[int, dict[str, Any]]],
                         result: ImportResult) -> list[tuple[int, dict[str, Any]]]:
    """Importing the same file twice must not double the comments: a row identical to a stored comment
    (text, clause, channel, date received, name, contact) is reported and skipped. Identical rows within
    one file are kept: two people may send the same letter."""
    stored = store.comments.stored_identities(db, consultation_id, sorted({store.comments.body_hash(f["body"]) for _, f in parsed}))
    kept = []
    for line, fields in parsed:
        earlier = stored.get(_identity(fields))
        if earlier is None:
            kept.append((line, fields))
        else:
            result.errors.append(RowError(line, f"与已有的意见{earlier}完全相同（可能是重复导入），未再次导入"))
    result.errors.sort(key=lambda e: e.line)
    return kept


class ImportStopped(Exception):
    """Storing stopped part-way on an unexpected error; ``result`` holds what was stored before (committed)."""

    def __init__(self, result: ImportResult):
        super().__init__("import stopped part-way")
        self.result = result


def import_comments(
    db: Database,
    consultation: Consultation,
    data: bytes,
    filename: str,
    *,
    now: datetime,
    staff: StaffAccount | None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    """Parse, validate and store. Good rows are stored in short transactions (a few hundred rows each, with
    their audit row), so comment POSTs never wait behind a big file; ``progress(stage, done, total)`` reports
    the stages ``read``, ``tokens`` and ``store``. Stopping part-way raises :class:`ImportStopped`: the rows
    stored so far stay, and importing the same file again skips them."""
    from .store.consultations import clauses_of

    step = progress or (lambda stage, done, total: None)
    step("read", 0, 0)
    today = now.astimezone(LOCAL_TZ).date()
    index = ClauseIndex(clauses_of(db, consultation.id))
    result = ImportResult()
    columns: dict[str, int] | None = None
    parsed: list[tuple[int, dict[str, Any]]] = []
    for line, record in read_rows(data, filename):
        if columns is None:
            columns = _header_map(record)
            continue
        if all(_norm(cell) == "" for cell in record):
            continue  # blank lines between entries are not errors
        result.total_rows += 1
        try:
            parsed.append((line, parse_row(record, columns, index, today, consultation)))
        except ValueError as exc:
            result.errors.append(RowError(line, str(exc)))
    if columns is None:
        raise ImportFileError("文件是空的：第1行应为表头，例如：意见内容,对应条款,身份,姓名或单位,联系方式,渠道,收到日期。")
    step("read", result.total_rows, result.total_rows)
    parsed = _skip_already_stored(db, consultation.id, parsed, result)
    if not parsed:
        return result
    bodies = [fields["body"] for _, fields in parsed]
    tokens: list[list[str]] = []
    for start in range(0, len(bodies), TOKEN_STEP):
        step("tokens", start, len(bodies))
        tokens += _tokens(bodies[start:start + TOKEN_STEP], consultation)
    step("tokens", len(bodies), len(bodies))
    records = [(line, dict(fields, tokens=toks)) for (line, fields), toks in zip(parsed, tokens)]
    bad_rows = [{"line": e.line, "reason": e.reason} for e in result.errors]
    pending: list[dict[str, Any]] = []

    def store_chunk(db: Database, chunk: Sequence[tuple[int, dict[str, Any]]]) -> None:
        stored = store.comments.import_rows(db, consultation.id, [fields for _, fields in chunk], staff=staff,
                                            now=now, filename=filename, bad_rows=bad_rows if not result.inserted
                                            and not pending else [])
        pending.extend({"id": r.id, "receipt_code": r.receipt_code, "line": line}
                       for (line, _), r in zip(chunk, stored))

    def committed(done: int) -> None:
        result.inserted.extend(pending)
        pending.clear()
        step("store", done, len(records))

    step("store", 0, len(records))
    try:
        batches.paced(db, records, store_chunk, progress=committed)
    except Exception as exc:
        raise ImportStopped(result) from exc
    return result


def result_dict(result: ImportResult) -> dict[str, Any]:
    """An import's result as JSON-safe values (kept with its job)."""
    return {"total_rows": result.total_rows, "inserted": result.inserted,
            "errors": [{"line": e.line, "reason": e.reason} for e in result.errors]}


def template_csv() -> bytes:
    """An example file staff can download and fill in (UTF-8 with BOM, so Excel opens it correctly)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["意见内容", "对应条款", "身份", "姓名或单位", "联系方式", "渠道", "收到日期"])
    writer.writerow(["建议明确海外仓认定标准和补贴申报流程。", "12.", "企业", "天津某某贸易有限公司", "022-12345678", "信函",
                     "2024-10-08"])
    writer.writerow(["希望加强跨境电商人才培养。", "", "个人", "", "", "电子邮件", "2024-10-09"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
