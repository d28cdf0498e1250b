"""Find and mask personal data in text that came from citizens.

``redact(text)`` masks mainland mobile and landline numbers, e-mail addresses, 18-digit 身份证
numbers, bank card numbers (Luhn), QQ/WeChat accounts given after a cue word, and personal names:
the names the caller knows (the submitter's own) and names after cue words (联系人：, 我叫 …).

Call it only on citizen text. Policy text legitimately contains numbers that look like personal
data (the seed notice gives the office landline 022-63085581); ordinary numbers in policy text
(2024年9月25日, 20万美元, 9610, 1000亿元, 第十二条) never match.

Detection runs on a copy with full-width digits and symbols mapped to ASCII one character to one,
so offsets stay valid and ``１３８…`` is caught too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

KIND_LABELS: dict[str, str] = {
    "email": "电子邮箱",
    "id_card": "身份证号码",
    "bank_card": "银行卡号",
    "mobile": "手机号码",
    "landline": "固定电话",
    "im_account": "即时通讯账号",
    "name": "姓名",
}

_REPLACEMENTS: dict[str, str] = {
    "email": "【电子邮箱已隐去】",
    "id_card": "【身份证号码已隐去】",
    "bank_card": "【银行卡号已隐去】",
    "mobile": "【手机号码已隐去】",
    "landline": "【电话号码已隐去】",
    "im_account": "【账号已隐去】",
}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text: where, what it was, what replaced it."""

    kind: str
    start: int
    end: int
    original: str
    replacement: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


_FULL_WIDTH = str.maketrans(
    {
        **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},  # ！…～ → !…~
        "　": " ",
        "—": "-",
        "–": "-",
    }
)

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

_NOT_AN_AMOUNT = r"(?!\s*(?:元|万|亿|美元|人民币))"  # 13000000000元 is money, not a phone
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ID_CARD = re.compile(_NOT_ALNUM_BEFORE + r"[1-9]\d{16}[0-9Xx]" + _NOT_ALNUM_AFTER)
_BANK_CARD = re.compile(
    _NOT_ALNUM_BEFORE + r"(?:\d{16,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1?\d{1,3})?)" + r"(?!\d)" + _NOT_AN_AMOUNT
)
_MOBILE = re.compile(
    _NOT_ALNUM_BEFORE + r"(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}" + r"(?!\d)" + _NOT_AN_AMOUNT
)
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z(])(?:\(0\d{2,3}\)[ -]?|0\d{2,3}[ -]?)[2-9]\d{6,7}(?:(?:-|转|ext\.?)\d{1,5})?(?!\d)"
)
_PHONE_CUE = re.compile(r"(?:电话|座机|手机|联系方式|tel|Tel|TEL|Phone|phone)\s*(?:号码)?[:\s]*([2-9]\d{6,7})(?!\d)")
_IM_CUE = re.compile(
    r"(?:QQ|qq|Qq)\s*(?:号码?)?[:\s]*([1-9]\d{4,11})(?!\d)"
    r"|(?:微信|vx|VX|wx|WX)\s*(?:号)?[:\s]*([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})(?![-_A-Za-z0-9])"
)

_COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "端木", "轩辕", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史", "申屠", "钟离", "闻人", "万俟", "濮阳", "第五"]
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢"
    "安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游"
    "辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_SURNAME_PATTERN = "(?:" + "|".join(_COMPOUND_SURNAMES) + "|[" + _SURNAMES + "])"
# Words that start with a surname character and often follow 我是 / 本人 without being names.
_NOT_NAMES = ("江苏", "江西", "安徽", "甘肃", "宁夏", "武清", "宁河", "商户", "商家", "华人", "华侨", "常住", "本地")
_NAME_CUE = re.compile(
    r"(?:联系人|姓名|我叫|本人|我是|署名|提出人)[:\s]*"
    r"(?!" + "|".join(_NOT_NAMES) + ")"
    r"(" + _SURNAME_PATTERN + r"[\u4e00-\u9fff]{1,2})"
    r"(?=[,，。.;；、\s:()（）!！?？]|电话|手机|联系|邮箱|身份证|$)"
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit_ok(number: str) -> bool:
    """Whether an 18-character 身份证 number carries the right check digit (GB 11643)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _plausible_birth_date(number: str) -> bool:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def looks_like_id_card(number: str) -> bool:
    """A valid check digit, or (a mistyped digit) an ID-shaped number with a real birth date."""
    return id_check_digit_ok(number) or _plausible_birth_date(number)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_name(name: str) -> str:
    """Mask a personal name: 张三 → 张*, 张小祥 → 张*祥, 欧阳明华 → 欧阳*华, John Smith → J***."""
    name = name.strip()
    if not name:
        return ""
    if not re.search(r"[\u4e00-\u9fff]", name):
        return name[0] + "***"
    surname = next((s for s in _COMPOUND_SURNAMES if name.startswith(s) and len(name) > 2), name[0])
    rest = name[len(surname):]
    if not rest:
        return surname + "*"
    if len(rest) == 1:
        return surname + "*"
    return surname + "*" * (len(rest) - 1) + rest[-1]


class NameIndex:
    """Known personal names, indexed by their first two characters.

    Build it once per report and pass it to :func:`redact` for every comment: a report may have
    thousands of submitters, and one regex alternation of all their names is far too slow.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._by_prefix: dict[str, list[str]] = {}
        for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
            self._by_prefix.setdefault(name[:2], []).append(name)

    def __bool__(self) -> bool:
        return bool(self._by_prefix)

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """Non-overlapping occurrences, longest name first at each position."""
        i, end = 0, len(text) - 1
        while i < end:
            for name in self._by_prefix.get(text[i:i + 2], ()):
                if text.startswith(name, i):
                    yield i, i + len(name)
                    i += len(name)
                    break
            else:
                i += 1


def _spans(text: str, names: Iterable[str] | NameIndex, mask_names: bool) -> list[tuple[int, int, str]]:
    """Candidate spans in priority order (earlier kinds win overlaps)."""
    probe = text.translate(_FULL_WIDTH)
    spans: list[tuple[int, int, str]] = []
    spans += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(probe)]
    spans += [(m.start(), m.end(), "id_card") for m in _ID_CARD.finditer(probe) if looks_like_id_card(m.group())]
    for m in _BANK_CARD.finditer(probe):
        digits = re.sub(r"\D", "", m.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            spans.append((m.start(), m.end(), "bank_card"))
    spans += [(m.start(), m.end(), "mobile") for m in _MOBILE.finditer(probe)]
    spans += [(m.start(), m.end(), "landline") for m in _LANDLINE.finditer(probe)]
    spans += [(m.start(1), m.end(1), "landline") for m in _PHONE_CUE.finditer(probe)]
    for m in _IM_CUE.finditer(probe):
        group = 1 if m.group(1) else 2
        spans.append((m.start(group), m.end(group), "im_account"))
    if mask_names:
        index = names if isinstance(names, NameIndex) else NameIndex(names)
        spans += [(start, end, "name") for start, end in index.finditer(text)]
        spans += [(m.start(1), m.end(1), "name") for m in _NAME_CUE.finditer(probe)]
    return spans


def _select(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    chosen: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, kind))
    return sorted(chosen)


def find_personal_data(
    text: str, *, names: Iterable[str] | NameIndex = (), mask_names: bool = True
) -> list[Finding]:
    """Personal data in ``text`` without changing it (see :func:`redact`)."""
    findings = []
    for start, end, kind in _select(_spans(text, names, mask_names)):
        original = text[start:end]
        replacement = mask_name(original) if kind == "name" else _REPLACEMENTS[kind]
        findings.append(Finding(kind, start, end, original, replacement))
    return findings


def redact(
    text: str, *, names: Iterable[str] | NameIndex = (), identity: str = "masked"
) -> tuple[str, list[Finding]]:
    """Mask personal data in citizen text; return the masked text and what was masked.

    ``names`` are personal names known to belong to submitters (masked wherever they occur),
    as strings or, when redacting many texts, a :class:`NameIndex` built once;
    with ``identity="full"`` names are left as written, everything else is still masked.
    """
    findings = find_personal_data(text, names=names, mask_names=identity != "full")
    out = []
    last = 0
    for f in findings:
        out.append(text[last:f.start])
        out.append(f.replacement)
        last = f.end
    out.append(text[last:])
    return "".join(out), findings
