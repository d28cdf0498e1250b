"""Find and mask personal data in text that came from citizens, however it is written.

``redact(text)`` masks mainland mobile and landline numbers, e-mail addresses, street addresses down to the house or
flat number, licence plates (津A·12345, :data:`draft.contacts.LICENCE_PLATE`), 身份证 numbers
(18-digit, also with X, and the old 15-digit ones), bank card numbers (Luhn), QQ/WeChat accounts
given after a cue word (Q群, 群号, 绿色泡泡 and 微: too), Telegram and platform handles (TG: @…, 飞机：…,
抖音号 …, 蓝色软件搜 …, a bare @handle, t.me/… links), web addresses written with 点 (www点kjwl点com), and
personal names: the submitter's own name (passed in by the caller), names after cue words (联系人：, 请联系,
我叫 …) and full names before 先生/女士/小姐 (刘建国先生), also written in pinyin (:mod:`draft.pinyin_names`: Liu Jianguo, LIU Jianguo, Jianguo Liu, L-i-u …). The e-mail and phone patterns, the messenger and platform cue words, Telegram links and spelled web
addresses are :mod:`draft.contacts`, shared with the portal's contact field and the notice reader, so that whatever they take
for contact data is masked here too.

Detection runs on a *normalised copy* (:func:`normalise`): zero-width and bidi controls and
combining marks dropped, NFKC (full-width and other compatibility forms to ASCII, ``⾦`` → ``金``), Cyrillic and
Greek letters drawn like Latin ones read as those,
runs of 汉字 digits (``一三九…``, ``〇``/``零``/``幺``/``两``, ``壹贰叁…``) and O/l between digits
read as ASCII digits. Numbers split by separators (``137.1234.5678``, ``1 3 5 1 2 …``,
``(022)2345-6789``) are read as the digit groups they are made of, and ``li.si(at)example.com``-style
addresses as e-mails. Every finding is then mapped back to the characters of the *original* text,
so masking replaces exactly what was typed, invisible characters in between included.

Call it only on citizen text. Policy text legitimately contains numbers that look like personal
data (the seed notice gives the office landline 022-63085581); ordinary numbers in policy text
(2024年9月25日, 20万美元, 9610/9710/1210, 1000亿元, 第十二条, 12.5%) never match.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import opencc

from draft.contacts import (
    COMPOUND_SURNAMES,
    EMAIL,
    LANDLINE_DIGITS,
    LICENCE_PLATE,
    MOBILE_DIGITS,
    ORDINARY_WORDS,
    OTHER_MESSENGER_CUE,
    PLATFORM_CUE,
    QQ_CUE,
    SURNAMES,
    TELEGRAM_LINK,
    WECHAT_CUE,
    address_spans,
    bare_name_spans,
    cued_name_spans,
    names_beside,
    spelled_web_addresses,
)
from draft.pinyin_names import SURNAMES as PINYIN_SURNAMES
from draft.pinyin_names import pinyin_name_spans, syllables

KIND_LABELS: dict[str, str] = {
    "email": "电子邮箱",
    "id_card": "身份证号码",
    "bank_card": "银行卡号",
    "mobile": "手机号码",
    "landline": "固定电话",
    "phone": "电话号码",
    "im_account": "即时通讯账号",
    "web_address": "网址",
    "name": "姓名",
    "address": "住址",
    "plate": "车牌号",
    "document": "证件号码",
    "credit_code": "统一社会信用代码",
    "order": "订单号或运单号",
}

_REPLACEMENTS: dict[str, str] = {
    "email": "【电子邮箱已隐去】",
    "id_card": "【身份证号码已隐去】",
    "bank_card": "【银行卡号已隐去】",
    "mobile": "【手机号码已隐去】",
    "landline": "【电话号码已隐去】",
    "phone": "【电话号码已隐去】",
    "im_account": "【账号已隐去】",
    "web_address": "【网址已隐去】",
    "name": "【姓名已隐去】",
    "address": "【住址已隐去】",
    "plate": "【车牌号已隐去】",
    "document": "【证件号码已隐去】",
    "credit_code": "【统一社会信用代码已隐去】",
    "order": "【单号已隐去】",
}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text: where (in the original), what it was, what replaced it."""

    kind: str
    start: int
    end: int
    original: str
    replacement: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


# -- normalisation ---------------------------------------------------------------------------------

_DASHES = "‐‑‒–—―−─━"
# Cyrillic and Greek letters drawn like Latin ones (Lіu with a Cyrillic і, а, е, о, р, с …): read as the Latin letter.
_LOOKALIKE_LETTERS = dict(zip("аеорсухіјѕһԁӏАВЕКМНОРСТХІЈЅοιαΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
                              "aeopcyxijshdlABEKMHOPCTXIJSoiaABEZHIKMNOPTYX"))
_CHAR_MAP = {**{d: "-" for d in _DASHES}, "・": "·", "•": "·", "‧": "·", "﹒": ".", **_LOOKALIKE_LETTERS}
_HAN_DIGITS = {
    **dict(zip("〇零一二三四五六七八九", "00123456789")),
    "幺": "1", "两": "2",
    **dict(zip("壹贰叁肆伍陆柒捌玖", "123456789")),
}
_LOOKALIKES = {"O": "0", "o": "0", "l": "1", "I": "1"}
_DIGITISH = "0-9" + "".join(_HAN_DIGITS)
_RUN_SEPARATORS = " .\\-/_·()\\[\\],，、"
_DIGIT_RUN = re.compile(f"[{_DIGITISH}](?:[{_RUN_SEPARATORS}]{{0,2}}[{_DIGITISH}])*")
_LOOKALIKE_IN_DIGITS = re.compile(r"(?<=\d)[OolI]+(?=\d)")
_MIN_RUN_DIGITS = 7
"""汉字 digits (and O/l between digits) are read as digits only in runs of at least this many digits:
二〇二四年 stays a year, CA1O2 stays a code."""


def invisible(ch: str) -> bool:
    """Zero-width, bidi and other format controls (Unicode Cf: U+200B…U+200F, U+202A…U+202E,
    U+2060…U+2069, U+FEFF, U+00AD …) and combining marks (variation selectors, the keycap of 1️⃣,
    the combining grapheme joiner): nothing a reader of Chinese text needs to read a number."""
    return unicodedata.category(ch) in ("Cf", "Mn", "Me")


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """One character as detection reads it ("" for an invisible one)."""
    if ch < "\x80":
        return ch
    if invisible(ch):
        return ""
    if ch in _CHAR_MAP:
        return _CHAR_MAP[ch]
    folded = unicodedata.normalize("NFKC", ch)
    return "".join(_CHAR_MAP.get(c, c) for c in folded)


@dataclass(frozen=True)
class Normalised:
    """A normalised copy of a text and, per character of the copy, where it came from in the original."""

    original: str
    text: str
    starts: tuple[int, ...] | None
    """Original offset of each character of ``text``; None when every character of ``text`` stands for
    the original character at the same offset (the common case: only one-for-one replacements)."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original characters behind ``text[start:end]`` (invisible ones in between included)."""
        if self.starts is None:
            return start, end
        return self.starts[start], self.starts[end - 1] + 1


def _digits_around(probe: str, start: int, end: int) -> int:
    before = re.match(r"\d*", probe[max(0, start - 19):start][::-1])
    after = re.match(r"\d*", probe[end:end + 19])
    return len(before.group()) + len(after.group()) if before and after else 0


_FOLD_TABLE: dict[int, str] = {}
"""``_fold`` of every character met so far, for ``str.translate`` (C speed for the common case)."""


def normalise(text: str) -> Normalised:
    """Drop invisible characters, apply NFKC, read runs of 汉字 digits as digits (see module docstring)."""
    one_for_one = True
    for ch in set(text):
        folded = _FOLD_TABLE.get(ord(ch))
        if folded is None:
            folded = _FOLD_TABLE[ord(ch)] = _fold(ch)
        one_for_one = one_for_one and len(folded) == 1
    starts: tuple[int, ...] | None = None
    if one_for_one:
        probe = text.translate(_FOLD_TABLE)
    else:  # a character dropped (zero-width) or expanded (㈠ → (一)): keep where each one came from
        pieces = [(i, _FOLD_TABLE[ord(ch)]) for i, ch in enumerate(text)]
        probe = "".join(folded for _, folded in pieces)
        starts = tuple(i for i, folded in pieces for _ in folded)
    chars: list[str] | None = None
    for m in _LOOKALIKE_IN_DIGITS.finditer(probe):
        if _digits_around(probe, m.start(), m.end()) + m.end() - m.start() >= _MIN_RUN_DIGITS:
            chars = chars or list(probe)
            for k in range(m.start(), m.end()):
                chars[k] = _LOOKALIKES[chars[k]]
    if chars:
        probe = "".join(chars)
    if any(c in probe for c in _HAN_DIGITS):
        chars = list(probe)
        for m in _DIGIT_RUN.finditer(probe):
            run = m.group()
            if sum(c.isdigit() or c in _HAN_DIGITS for c in run) >= _MIN_RUN_DIGITS:
                for k in range(m.start(), m.end()):
                    chars[k] = _HAN_DIGITS.get(chars[k], chars[k])
        probe = "".join(chars)
    return Normalised(text, probe, starts)


# -- numbers -----------------------------------------------------------------------------------------

_PROVINCES = frozenset(re.findall(r"\d\d", "11121314152122233132333435363741424344454650515253546162636465718182"))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit_ok(number: str) -> bool:
    """Whether an 18-character 身份证 number carries the right check digit (GB 11643)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def looks_like_id_card(number: str) -> bool:
    """An 18-character number from a real province with a valid check digit, or (a mistyped digit)
    with a real birth date; a 15-digit (pre-1999) number from a real province with a real birth date."""
    if number[:2] not in _PROVINCES:
        return False
    if len(number) == 18 and number[:17].isdigit() and number[17] in "0123456789Xx":
        return id_check_digit_ok(number) or _real_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if len(number) == 15 and number.isdigit():
        return _real_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


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


def _bank_card(digits: str) -> bool:
    """16–19 digits, a card-issuer prefix (3/4/5/6, or 955x of the big banks' old cards) and Luhn:
    9610/9710/9810/1210 written in a row passes Luhn by chance, its prefix does not."""
    return 16 <= len(digits) <= 19 and (digits[0] in "3456" or digits.startswith("955")) and luhn_ok(digits)


# 13000000000元 is money, not a phone; 万分感谢, 万望, 元旦 after a number are words, and a number after a contact cue word
# (电话, 卡号 …) is never money.
_AMOUNT_AFTER = re.compile(r"\s*(?:元(?![旦宵])|万(?![分望一幸])|亿|美元|人民币|块(?![钱]?[\u4e00-\u9fff]))")
_CONTACT_CUE_BEFORE = re.compile(r"(?:电话|手机|座机|联系|拨打|致电|号码|卡号|账号|银行卡|tel|phone)[^\d]{0,4}$", re.IGNORECASE)


def _money(probe: str, start: int, end: int) -> bool:
    """Whether the number ``probe[start:end]`` is an amount of money (see _AMOUNT_AFTER)."""
    return _AMOUNT_AFTER.match(probe, end) is not None and not _CONTACT_CUE_BEFORE.search(probe, max(0, start - 8), start)
_LOCAL_DIGITS = re.compile(r"[2-9]\d{6,7}")
_PHONE_CUE_BEFORE = re.compile(r"(?:电话|座机|手机|热线|联系方式|号码|tel|phone)[^\d]{0,6}$", re.IGNORECASE)

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_ID_CARD = re.compile(_NOT_ALNUM_BEFORE + r"(?:[1-8]\d{16}[0-9Xx]|[1-8]\d{14})" + _NOT_ALNUM_AFTER)
_BANK_CARD = re.compile(_NOT_ALNUM_BEFORE + r"\d{16,19}(?!\d)")
_MOBILE = re.compile(_NOT_ALNUM_BEFORE + r"(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z(])(?:\(0\d{2,3}\)[ -]?|0\d{2,3}[ -]?)[2-9]\d{6,7}(?:(?:-|转|ext\.?)\d{1,5})?(?!\d)"
)
# A phone number in Hong Kong, Macau, Taiwan or abroad, after its country code (+852 9123 4567, +1 (626) 555-0142,
# +7 916 123-45-67, 00886 912 345 678, (852) 6123-4567): the + or 00 says a phone number follows; 7–12 digits after it.
_FOREIGN_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)[ ]?(?!86(?!\d))\(?\d{1,3}\)?|\((?:852|853|886)\))"
    r"(?P<number>(?:[ .\-]{0,2}\(?\d{1,4}\)?){2,6})(?!\d)"
)
_REGION_PHONE = re.compile(r"(?<![0-9+])(?:85[23][ \-]?\d{4}[ \-]?\d{4}|886[ \-]?9\d{2}[ \-]?\d{3}[ \-]?\d{3})(?!\d)")
"""A Hong Kong, Macau or Taiwan number with its country code and no + (香港手机852-91234567), in a text naming the region."""
_REGIONS = ("香港", "澳门", "台湾", "港澳", "HK", "Hong Kong", "Macau", "Taiwan")
_PHONE_CUE = re.compile(r"(?:电话|座机|手机|联系方式|tel|Tel|TEL|Phone|phone)\s*(?:号码)?[:\s]*([2-9]\d{6,7})(?!\d)")
_IM_CUE = re.compile(
    QQ_CUE + r"\s*(?:号码?|群号?|邮箱|账号)?\s*(?:是|为)?[:\s]*([1-9](?:[ .\-]?\d){4,11})(?!\d)"
    r"|" + WECHAT_CUE + r"\s*(?:号)?\s*(?:详聊|详谈|咨询|了解|好友|搜一搜|搜索|搜)?\s*(?:是|为)?[:\s]*"
    r"([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})(?![-_A-Za-z0-9])"
)
# A handle on another messenger or platform: after its cue and 号 / ID / a colon / 搜 / @ (TG: @kjwl666, 飞机：@hwc_hr,
# 抖音号 kj_zhang88, 蓝色软件搜 tk_shop_zr: 飞机 and 软件 are ordinary words, so the cue alone is not enough), or an
# @handle anywhere (not an e-mail address's @).
_HANDLE = r"@?([A-Za-z0-9_][A-Za-z0-9_.\-]{2,29}(?<![.\-]))(?![A-Za-z0-9_])"
_OTHER_ACCOUNT = re.compile(
    rf"(?:{OTHER_MESSENGER_CUE}|{PLATFORM_CUE})\s*"
    r"(?:(?:号码?|账号|ID|id)\s*(?:是|为)?\s*:?|(?:是|为)?\s*:|搜索?\s*:?|(?=@))\s*" + _HANDLE
    + r"|(?<![A-Za-z])(?:TG|tg|[Tt]elegram)\s+(?=[A-Za-z0-9_]*[A-Za-z])" + _HANDLE
    + r"|(?<![A-Za-z0-9._%+\-])@([A-Za-z][A-Za-z0-9_]{2,29})(?![A-Za-z0-9_@.])"
)

# The number of an identity document other than the 身份证, or of a car, after its name (护照号E12345678, 港澳通行证
# C12345678, 社保卡号…, 车架号LSVAA…): letters and digits, five digits at least, so 护照办理 or 驾照考试 stay.
# Also a Hong Kong, Macau or Taiwan identity card after 身份证 / 台胞证 (香港身份证 A123456(3), 台湾身份证字号 A123456789,
# its bracketed check digit too) and a passport or ID card named in English (passport number is E12345678).
_DOCUMENT_DIGITS = r"((?=(?:[A-Za-z]*\d){5})[A-Za-z0-9]{6,20}(?:\s?\([0-9A]\))?)(?![A-Za-z0-9])"
_DOCUMENT_NUMBER = re.compile(
    r"(?:护照|通行证|居住证|签证|社保卡|医保卡|社会保障卡|驾驶证|驾照|军官证|学生证|学号|工号|车架号|车辆识别代?码|车辆识别代号|"
    r"身份证|身分證|台胞证|"
    r"VIN(?<![A-Za-z]VIN))\s*(?:号码|编号|字号|号|码)?\s*(?:是|为)?[:\s]*" + _DOCUMENT_DIGITS
)
_DOCUMENT_NUMBER_EN = re.compile(
    r"(?i:passport|id\s?card|identity\s+card)(?:\s+(?i:number|no\.?)|\s*#)?(?:\s+(?i:is))?[:\s]*" + _DOCUMENT_DIGITS
)
# A parcel's number after its name (顺丰单号SF1402367718542, EMS运单 EE123456789CN, tracking number …): anyone can look
# it up on the carrier's page, which shows the recipient. An order's number (订单号：4300…) only in a sentence that says
# it is the writer's (我, 本人): an order number alone is a shop's record, not a person (the main corpus keeps two).
# Six digits at least.
_ORDER_NUMBER = re.compile(
    r"(?:(?:快递单|运单|物流单|包裹|追踪|跟踪|查询|面单)号?码?|(?<![清菜名账报关订])单号码?|(?i:tracking|waybill|parcel)"
    r"(?:\s*(?:number|no\.?|#|id))?|(?P<order>订单号?码?|(?i:order)(?:\s*(?:number|no\.?|#|id))?))"
    r"\s*(?:是|为|(?i:is))?[:\s]*((?=(?:[A-Za-z\-]*\d){6})[A-Za-z0-9][A-Za-z0-9\-]{6,29}[A-Za-z0-9])(?![A-Za-z0-9])"
)
# A waybill number whose form names its carrier, with no cue (SF1402367718542, JDVA01234567890, EE123456789CN: the
# UPU form of EMS and post parcels, two letters, nine digits, a country).
_CARRIER_WAYBILL = re.compile(
    r"(?<![A-Za-z0-9])(?:SF\d{12,13}|JD[A-Z]{0,4}\d{10,13}|(?:YT|JT)\d{13}|"
    r"[A-Z]{2}\d{9}(?:CN|HK|MO|TW|US|GB|DE|JP|KR|RU|SG|AU|CA|FR|IT|NL|ES))(?![A-Za-z0-9])"
)
_FIRST_PERSON = re.compile(r"我|本人|(?i:\bmy\b)")
_SENTENCE = re.compile(r"[^。！？!?\n]*")


def _writers_order(probe: str, start: int, end: int) -> bool:
    """Whether the sentence around ``probe[start:end]`` says the order (or account) is the writer's (我, 本人)."""
    begin = max(probe.rfind(c, 0, start) for c in "。！？!?\n") + 1
    sentence = _SENTENCE.match(probe, end)
    return bool(_FIRST_PERSON.search(probe, begin, sentence.end() if sentence else end))


_DATE_START = re.compile(r"(?:19|20)\d\d-\d{1,2}-\d{1,2}(?!\d)")
_ORDER_WORDS = ("单", "racking", "rder", "aybill", "arcel", "RACKING", "RDER", "AYBILL", "ARCEL")
_CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# A sole proprietor's (个体工商户: a person) unified social credit code: 92, a six-digit area code, nine characters and
# a check character (GB 32100), in either case and in groups (92 1201 16 MA06 ABCD 1Y). A company's (91…) names a
# legal person and stays, like its name when it agreed to be named.
_SOLE_PROPRIETOR_CODE = re.compile(r"(?<![0-9A-Za-z])9[ \-]?2(?:[ \-]?[0-9A-Za-z]){16}(?![0-9A-Za-z])")
# After its name (信用代码, 营业执照 …) a 92… code is masked even with a mistyped check character.
_CUED_SOLE_PROPRIETOR_CODE = re.compile(
    r"(?:信用代码|营业执照|执照号|注册号)[^0-9A-Za-z\n]{0,6}(9[ \-]?2(?:[ \-]?[0-9A-Za-z]){16})(?![0-9A-Za-z])")


def sole_proprietor_code(text: str) -> bool:
    """Whether ``text`` (separators allowed) is a 个体工商户's credit code with a valid check character."""
    code = re.sub(r"[ \-]", "", text).upper()
    if len(code) != 18 or not code[2:8].isdigit() or any(c not in _CREDIT_CODE_CHARS for c in code):
        return False
    total = sum(_CREDIT_CODE_CHARS.index(c) * w for c, w in zip(code, _CREDIT_CODE_WEIGHTS))
    return _CREDIT_CODE_CHARS[-total % 31] == code[17]

# A nickname on a platform: after its cue and @ (微博@津门跨境老赵; not an office's or a medium's account, 抖音@天津商务),
# or in quotes after 搜 / 号 / 昵称 in a sentence that
# says it is the writer's (小红书搜“天津跨境小鹿姐”就能找到我; 抖音搜“跨境电商政策” is a search, not a person).
_NICKNAME = re.compile(
    rf"(?P<mine>我的|本人的?)?(?:{PLATFORM_CUE})\s*(?P<account>号|ID|id|账号|昵称)?\s*(?:@(?P<at>[\u4e00-\u9fffA-Za-z0-9_\-]{{2,20}})"
    r"|(?:搜索?|是|为|叫)?\s*:?\s*[“\"「『](?P<quoted>[^”\"」』\n]{2,20})[”\"」』]"
    # (or after a colon without quotes, after 号/ID/昵称 or 我的: 我的抖音号：津品小马; 我觉得抖音：直播带货很好 stays)
    r"|(?:是|为|叫)?\s*:\s*(?P<plain>[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9_\-]{1,19}))"
)
_NICKNAME_GATE = re.compile("[@“\"「『:]")
_OFFICIAL_ACCOUNT = re.compile("商务|政务|发布|官方|官微|海关|政府|协会|商会|集团|公司|日报|新闻|电视|广播|[局委办厅署]")

# A licence plate after its name with the province in pinyin (车牌 jin A 3K9Z1, 车牌号：Jin B·12345): letters and digits,
# two digits at least (a 汉字 province is draft.contacts.LICENCE_PLATE, cue or not).
_PINYIN_PLATE = re.compile(
    r"(?:车牌|牌照|(?i:licen[cs]e\s+plate|plate))\s*(?:号码?|(?i:number|no\.?))?\s*(?:是|为|(?i:is))?[:\s]*"
    r"((?i:jing|jin|hu|yu|ji|yun|liao|hei|xiang|wan|lu|xin|su|zhe|gan|e|gui|meng|shan|jin|min|yue|qing|zang|chuan|ning|qiong)"
    r"\s?[A-Z]\s?[·.\-]?\s?(?=(?:[A-Z]?\s?){0,4}\d\s?(?:[A-Z]?\s?){0,4}\d)(?:[A-Z0-9]\s?){4,5}[A-Z0-9])(?![A-Za-z0-9])"
)

# An account after 加我 and a colon (加我：tj-liu88): the messenger left unnamed.
_ADD_ME = re.compile(r"加我\s*(?:好友)?\s*:\s*" + _HANDLE)

# Digit groups joined by separators: ``137.1234.5678``, ``1 3 5 1 2 3 4 5 6 7 8``, ``(022)2345-6789``.
_GROUP = re.compile(r"\d+")
# Possessive digit runs, started only at a run's first digit: a match can only continue after a whole run of digits,
# and backtracking into one made a comment of 5,000 digits take over a second (quadratic).
# A line break may split a number too (text read from a PDF: 138\n0011\n2345).
_GROUPED_RUN = re.compile(f"(?<!\\d)\\d++(?:[{_RUN_SEPARATORS}\\r\\n]{{1,3}}\\d++)+(?:[Xx](?![0-9A-Za-z]))?")


def _number_kind(digits: str, probe: str, start: int, end: int) -> str | None:
    """What a run of digit groups read as one number is (None: nothing personal)."""
    if (len(digits) in (15, 18)) and looks_like_id_card(digits):
        return "id_card"
    if not digits.isdigit():
        return None
    money = _money(probe, start, end)
    if _bank_card(digits) and not money:
        return "bank_card"
    if MOBILE_DIGITS.fullmatch(digits) and not money:
        return "mobile"
    if LANDLINE_DIGITS.fullmatch(digits):
        return "landline"
    if _LOCAL_DIGITS.fullmatch(digits) and _PHONE_CUE_BEFORE.search(probe, max(0, start - 12), start):
        return "landline"
    return None


def _grouped_numbers(probe: str) -> Iterator[tuple[int, int, str]]:
    """Numbers written as separated digit groups.

    Consecutive one-digit groups are read as one group (``1 3 5 1 …``); otherwise every group must
    have at least two digits, so decimals in a list (``13.5 14.2 15.1``) never join into a phone
    number. From each group, the longest run of following groups that reads as personal data wins.
    """
    for run in _GROUPED_RUN.finditer(probe):
        groups: list[tuple[int, int, int]] = []  # (start, end, number of one-digit groups merged) in probe
        for g in _GROUP.finditer(probe, run.start(), run.end()):
            single = g.end() - g.start() == 1
            # (a group of merged one-digit groups holds as many digits as groups: counting them again each time
            # made a run of spaced digits quadratic)
            if single and groups and groups[-1][2]:
                groups[-1] = (groups[-1][0], g.end(), groups[-1][2] + 1)
            else:
                groups.append((g.start(), g.end(), 1 if single else 0))
        x_end = run.end() if probe[run.end() - 1] in "Xx" else None
        i = 0
        while i < len(groups):
            best: tuple[int, int, str] | None = None
            digits = ""
            for j in range(i, len(groups)):
                start, end, merged = groups[j]
                part = re.sub(r"\D", "", probe[start:end])
                if len(part) < 2 and j > i and len(digits) in (14, 17):
                    # 12010119900307457 5: a lone last digit (or X) completes a 身份证 number
                    stop = x_end if x_end and j == len(groups) - 1 else end
                    if looks_like_id_card(digits + probe[start:stop].strip()):
                        best = (j, stop, "id_card")
                    break
                if part == "0" and digits == "86" and probe[start - 1:end + 1] == "(0)":
                    digits += part  # +86 (0)22 2345 6789: the area code's 0, bracketed after the country code
                    continue
                if len(part) < 2 or len(digits) + len(part) > 19:
                    break
                digits += part
                if j == i and merged < 2:
                    continue  # one plain number: the contiguous detectors read it
                options = [(digits + probe[x_end - 1], x_end)] if x_end and j == len(groups) - 1 else []
                for candidate, stop in [*options, (digits, end)]:
                    kind = _number_kind(candidate, probe, groups[i][0], stop)
                    if kind:
                        best = (j, stop, kind)
                        break
            if best is None:
                i += 1
                continue
            start = groups[i][0]
            if start and probe[start - 1] in "([" and probe.find(")]"[probe[start - 1] == "["], start, best[1]) > 0:
                start -= 1  # (022)2345-6789: the area code's bracket goes with it
            yield start, best[1], best[2]
            i = best[0] + 1


# -- e-mail ----------------------------------------------------------------------------------------

_TLDS = (
    "com|cn|net|org|gov|edu|info|biz|io|co|me|top|xyz|vip|site|club|online|tech|mobi|name|pro|asia|hk|mo|tw|"
    "jp|kr|sg|uk|us|de|fr|ru|au|ca|it|nl|es|eu|in"
)
_SPELLED_AT = r"(?:\s*@\s*|\s*[(\[{]\s*(?:at|a|@|#)\s*[)\]}]\s*|\s+at\s+|\s*#\s*|\s*(?:艾特|圈\s*a)\s*)"
_BRACKETED_DOT = r"\s*[(\[{]\s*(?:dot|\.|点)\s*[)\]}]\s*"
_SPELLED_DOT = rf"(?:\s*\.\s*|{_BRACKETED_DOT}|\s+dot\s+|\s*[。点]\s*)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_LOCAL_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9])?"
#: Spelled-out dots at most in each part of an address. Bounded: with ``*`` a text of 5,000 characters like
#: ``a . a . a …`` (a comment's maximum) took 0.7 s, 20,000 took 12 s (each word start scanned the whole chain).
_SPELLED_PARTS = 6
_EMAIL_SPELLED = re.compile(
    rf"(?<![A-Za-z0-9._%+-]){_LOCAL_PART}(?:(?:\s+\.\s+|{_BRACKETED_DOT}|\s+dot\s+){_LOCAL_PART}){{0,{_SPELLED_PARTS}}}"
    + _SPELLED_AT + _LABEL + f"(?:{_SPELLED_DOT}{_LABEL}){{0,{_SPELLED_PARTS}}}?" + _SPELLED_DOT
    + f"(?:{_TLDS})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
"""``li.si(at)example.com``, ``zhao at example dot com``, ``wu . lei @ example . org``, ``a#b.com``,
``a艾特b点com``, ``a 圈a b 点 com``: only with a known top-level domain, so ``at the port`` never reads as an address.
(A dot in the name part must be spaced on both sides or spelled, so ``3.1. li at example dot com`` keeps its 3.1.)"""

_EMAIL_LETTERS = re.compile(
    rf"(?<![A-Za-z0-9._%+-])(?:[A-Za-z0-9][ \t]){{2,40}}[A-Za-z0-9]{_SPELLED_AT}{_LABEL}"
    + f"(?:{_SPELLED_DOT}{_LABEL}){{0,{_SPELLED_PARTS}}}?" + _SPELLED_DOT + f"(?:{_TLDS})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
"""An address whose name is spelled letter by letter (``h u a n g l e i @ 163 . com``): the letters go with the mask."""
_EMAIL_LETTERS_GATE = re.compile(r"@|艾特|圈|[Aa][Tt]")

# -- addresses and names -----------------------------------------------------------------------------
# (draft.contacts: shared with group titles, analysis.labels)


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# What people type around their name in a 姓名 field: a bracketed remark, a phone number or an e-mail address, a second
# form after / or 、, a form of address or a resident's word (刘建国（个人）, 刘建国 138…, 刘建国/刘先生, 刘建国先生, 市民刘建国).
_FIELD_EXTRA = re.compile(r"[(\[【<][^)\]】>]*[)\]】>]|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+|\d[\d\s\-]{4,}\d")
_FIELD_SPLIT = re.compile(r"[/、,;|]")
_FIELD_AFFIX = re.compile(r"^(?:市民|居民|村民|个人|本人)|(?:先生|女士|小姐|同志)$")
_FIELD_PUNCTUATION = re.compile(r"[。!?:]+$")


def field_name(name: str) -> str:
    """The name in what was typed into a 姓名 field (see _FIELD_EXTRA), folded as detection reads text (NFKC, no
    invisible characters); spaces between its parts kept."""
    folded = _FIELD_EXTRA.sub(" ", "".join(_fold(ch) for ch in name))
    parts = [_FIELD_PUNCTUATION.sub("", p.strip()) for p in _FIELD_SPLIT.split(folded)]
    for part in parts:
        han = re.sub(r"[\s·.]+", "", part)
        if re.fullmatch(r"[\u4e00-\u9fff]{3,}", han):
            part = _FIELD_AFFIX.sub("", han)
        if len(re.sub(r"[\s·.]+", "", part)) >= 2:
            return part
    return parts[0] if parts else ""


def field_names(name: str) -> list[str]:
    """What a 姓名 field holds: ``name`` itself, then every further part after / or 、 that is a full 汉字 name of its own
    (吕志刚、吕志强: two people behind one comment), not a form of address (刘建国/刘先生)."""
    first = plain_name(name)
    names = [name]
    for part in _FIELD_SPLIT.split(_FIELD_EXTRA.sub(" ", "".join(_fold(ch) for ch in name)))[1:]:
        han = re.sub(r"[\s·.]+", "", _FIELD_PUNCTUATION.sub("", part.strip()))
        if (re.fullmatch(r"[\u4e00-\u9fff]{2,4}", han) and han != first and han not in names
                and not _FIELD_AFFIX.search(han) and looks_like_personal_name(han)):
            names.append(han)
    return names


def plain_name(name: str) -> str:
    """A name as typed, read as detection reads text: :func:`field_name` without spaces or dots (刘 建 国 is 刘建国)."""
    return re.sub(r"[\s·.]+", "", field_name(name))


@lru_cache(maxsize=65536)
def looks_like_personal_name(name: str, vocabulary: str = "") -> bool:
    """Whether a 姓名 field holds a personal name worth masking in its submitter's own text.

    A name is 2–4 汉字: a common surname (or compound surname) and a given name of one or two
    characters, not an ordinary word (a small built-in list) and not a word of the draft
    (``vocabulary``: the draft's text); or two or three capitalised Latin words (``Li Hua``).
    ``跨境电商``, ``高质量`` (in the draft) or ``Amazon`` typed as a name are not names.
    """
    plain = plain_name(name)
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", plain):
        plain = _to_simplified().convert(plain)  # 劉建國 typed in traditional characters is 刘建国
        surname = next((s for s in COMPOUND_SURNAMES if plain.startswith(s)), plain[0])
        if surname not in COMPOUND_SURNAMES and surname not in SURNAMES:
            return False
        if not 1 <= len(plain) - len(surname) <= 2:
            return False
        return plain not in ORDINARY_WORDS and plain not in vocabulary
    words = field_name(name).split()
    if re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}", " ".join(words)):
        return True
    # liu jianguo, LIU JIANGUO: a pinyin surname and given name in one case (Amazon Global is no pinyin)
    lower = [w.lower() for w in words]
    return (2 <= len(lower) <= 3 and all(w.isascii() and w.isalpha() and syllables(w) for w in lower)
            and (lower[0] in PINYIN_SURNAMES or lower[-1] in PINYIN_SURNAMES))


_NAME_GAP = frozenset(" \t\r\n\u3000·.-_*")
_NAME_GAP_MAX = 2


@lru_cache(maxsize=65536)
def _name_forms(plain: str) -> tuple[str, ...]:
    """刘建国 and 劉建國: the forms a 汉字 name is looked for in (whichever of them the 姓名 field holds)."""
    simplified = _to_simplified().convert(plain)
    return tuple(dict.fromkeys([plain, simplified, _to_traditional().convert(simplified)]))


def _name_spans(probe: str, name: str) -> list[tuple[int, int]]:
    """Where a name is written in a normalised text: its characters, optionally split by up to two
    spaces or dots each (刘 建 国), in simplified or traditional characters (劉建國); Latin names by words.
    A plain scan: one compiled regex per submitter would cost far more than the search."""
    plain = plain_name(name)
    if len(plain) < 2:
        return []
    if plain.isascii():
        words = r"\s+".join(map(re.escape, field_name(name).split()))
        return [m.span() for m in re.finditer(rf"(?<![A-Za-z]){words}(?![A-Za-z])", probe, re.IGNORECASE)]
    spans = []
    for form in _name_forms(plain):
        i = probe.find(form[0])
        while i >= 0:
            k = i + 1
            for ch in form[1:]:
                gap = 0
                while gap < _NAME_GAP_MAX and k < len(probe) and probe[k] in _NAME_GAP:
                    k += 1
                    gap += 1
                if k >= len(probe) or probe[k] != ch:
                    break
                k += 1
            else:
                spans.append((i, k))
                i = probe.find(form[0], k)
                continue
            i = probe.find(form[0], i + 1)
    return spans


def mask_name(name: str) -> str:
    """Mask a personal name for staff views: 张三 → 张*, 张小祥 → 张*祥, 欧阳明华 → 欧阳*华, John Smith → J***.

    Public outputs never show an individual's name at all, not even masked.
    """
    name = name.strip()
    if not name:
        return ""
    if not re.search(r"[\u4e00-\u9fff]", name):
        return name[0] + "***"
    surname = next((s for s in COMPOUND_SURNAMES if name.startswith(s) and len(name) > 2), name[0])
    rest = name[len(surname):]
    if len(rest) <= 1:
        return surname + "*"
    return surname + "*" * (len(rest) - 1) + rest[-1]


class NameIndex:
    """Known personal names, indexed by their first two characters (as :func:`plain_name` reads them).

    For checks over many texts against many names (a report may have thousands of submitters, and one
    regex alternation of all their names is far too slow). Matches in the normalised text.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._by_prefix: dict[str, list[str]] = {}
        for name in sorted({plain_name(n) for n in names if len(plain_name(n)) >= 2}, key=len, reverse=True):
            self._by_prefix.setdefault(name[:2], []).append(name)

    def __bool__(self) -> bool:
        return bool(self._by_prefix)

    def names(self) -> list[str]:
        return [n for names in self._by_prefix.values() for n in names]

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """Non-overlapping occurrences (original offsets), longest name first at each position."""
        norm = normalise(text)
        for start, end in self.find_in(norm.text):
            yield norm.span(start, end)

    def find_in(self, probe: str) -> Iterator[tuple[int, int]]:
        """Non-overlapping occurrences in an already normalised text (its offsets)."""
        i, end = 0, len(probe) - 1
        while i < end:
            for name in self._by_prefix.get(probe[i:i + 2], ()):
                if probe.startswith(name, i):
                    yield i, i + len(name)
                    i += len(name)
                    break
            else:
                i += 1


# A full name in Latin letters after an English title (Mr. Daniel Hoffmann, Dr. Anna Müller): a given name and a family
# name, so a title and a surname alone (Mr. Smith), like 王先生, stay.
_LATIN_TITLES = ("Mr", "Ms", "Miss", "Dr", "Prof", "MR", "MS", "MISS", "DR", "PROF")
_TITLED_LATIN_NAME = re.compile(
    r"(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?[ \t]+([A-Z][a-z\u00e0-\u00ff]+(?:[ \t-][A-Z][a-z\u00e0-\u00ff]+){1,2})"
    r"(?![A-Za-z])"
    # (in capitals: MR. DANIEL HOFFMANN)
    r"|(?<![A-Za-z])(?:MR|MRS|MS|MISS|DR|PROF)\.?[ \t]+([A-Z]{2,}(?:[ \t-][A-Z]{2,}){1,2})(?![A-Za-z])"
)

_CONTACT_KINDS = frozenset(["mobile", "landline", "phone", "email", "id_card", "bank_card", "im_account"])
"""What a name right beside is taken for its owner's (王建华 186…): see draft.contacts.names_beside."""

# -- finding -----------------------------------------------------------------------------------------

_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_DIGITS = re.compile(r"\d")

def _spans(probe: str, names: Iterable[str] | NameIndex, mask_names: bool) -> list[tuple[int, int, str]]:
    """Candidate spans in the normalised text."""
    spans: list[tuple[int, int, str]] = []
    if _ASCII_ALNUM.search(probe):  # every number and address has some; most comments have none at all
        if "@" in probe:
            spans += [(m.start(), m.end(), "email") for m in EMAIL.finditer(probe)]
        spans += [(m.start(), m.end(), "email") for m in _EMAIL_SPELLED.finditer(probe)]
        if _EMAIL_LETTERS_GATE.search(probe):
            spans += [(m.start(), m.end(), "email") for m in _EMAIL_LETTERS.finditer(probe)]
        if _DIGITS.search(probe):
            spans += _number_spans(probe)
        for m in _IM_CUE.finditer(probe):
            group = 1 if m.group(1) else 2
            spans.append((m.start(group), m.end(group), "im_account"))
        for m in _OTHER_ACCOUNT.finditer(probe):
            group = next(g for g in (1, 2, 3) if m.group(g))
            spans.append((m.start(group), m.end(group), "im_account"))
        spans += [(m.start(), m.end(), "im_account") for m in TELEGRAM_LINK.finditer(probe)]
        if "点" in probe:
            spans += [(start, end, "web_address") for start, end in spelled_web_addresses(probe)]
        spans += [(m.start(), m.end(), "plate") for m in LICENCE_PLATE.finditer(probe)]
        spans += [(m.start(1), m.end(1), "document") for m in _DOCUMENT_NUMBER.finditer(probe)]
        if "assport" in probe or "ASSPORT" in probe or "ard" in probe or "ARD" in probe:
            spans += [(m.start(1), m.end(1), "document") for m in _DOCUMENT_NUMBER_EN.finditer(probe)]
        spans += [(m.start(), m.end(), "order") for m in _CARRIER_WAYBILL.finditer(probe)]
        if any(w in probe for w in _ORDER_WORDS):
            spans += [(m.start(2), m.end(2), "order") for m in _ORDER_NUMBER.finditer(probe)
                      if not _money(probe, m.start(2), m.end(2)) and not _DATE_START.match(m.group(2))
                      and (not m.group("order") or _writers_order(probe, m.start(2), m.end(2)))]
        if "9" in probe:
            spans += [(m.start(), m.end(), "credit_code") for m in _SOLE_PROPRIETOR_CODE.finditer(probe)
                      if sole_proprietor_code(m.group())]
            spans += [(m.start(1), m.end(1), "credit_code") for m in _CUED_SOLE_PROPRIETOR_CODE.finditer(probe)]
        spans += [(m.start(1), m.end(1), "im_account") for m in _ADD_ME.finditer(probe)]
        if "牌" in probe or "late" in probe:
            spans += [(m.start(1), m.end(1), "plate") for m in _PINYIN_PLATE.finditer(probe)]
    for m in _NICKNAME.finditer(probe) if _NICKNAME_GATE.search(probe) else ():
        if m.group("at"):
            if not _OFFICIAL_ACCOUNT.search(m.group("at")):
                spans.append((m.start("at"), m.end("at"), "im_account"))
        else:
            part = "quoted" if m.group("quoted") else "plain"
            if part == "plain" and not (m.group("mine") or m.group("account")):
                continue
            if _writers_order(probe, m.start(part), m.end(part)):
                spans.append((m.start(part), m.end(part), "im_account"))
    spans += [(start, end, "address") for start, end in address_spans(probe)]
    own = [] if isinstance(names, NameIndex) or not mask_names else [n for name in names for n in field_names(name)]
    if mask_names and isinstance(names, NameIndex):  # many names: exact matches only, through the prefix index
        spans += [(start, end, "name") for start, end in names.find_in(probe)]
    for name in own:
        spans += [(start, end, "name") for start, end in _name_spans(probe, name)]
    # Names the text itself marks as a person's (联系人王建国, 刘建国先生, Liu Jianguo): also in an organisation's name
    # field (mask_names False), where the organisation's own name stays as written.
    contacts = [(start, end) for start, end, kind in spans if kind in _CONTACT_KINDS]
    spans += [(start, end, "name") for start, end in [*cued_name_spans(probe), *names_beside(probe, contacts)]]
    spans += [(start, end, "name") for start, end in bare_name_spans(probe)]
    if _LATIN_LETTER.search(probe):  # a name in pinyin; the submitter's own in every form (not an index's many)
        latin = list(pinyin_name_spans(probe, own))
        if any(title in probe for title in _LATIN_TITLES):
            latin += [m.span(1) if m.group(1) else m.span(2) for m in _TITLED_LATIN_NAME.finditer(probe)]
        # and its 汉字 twin in brackets beside it (Li Xiaofeng（李晓峰）, 李晓峰（Li Xiaofeng）)
        spans += [(start, end, "name") for start, end in [*latin, *names_beside(probe, latin)]]
    return spans


def _number_spans(probe: str) -> list[tuple[int, int, str]]:
    spans = list(_grouped_numbers(probe))
    spans += [(m.start(), m.end(), "id_card") for m in _ID_CARD.finditer(probe) if looks_like_id_card(m.group())]
    for m in _BANK_CARD.finditer(probe):
        if _bank_card(m.group()) and not _money(probe, m.start(), m.end()):
            spans.append((m.start(), m.end(), "bank_card"))
    spans += [(m.start(), m.end(), "mobile") for m in _MOBILE.finditer(probe) if not _money(probe, m.start(), m.end())]
    spans += [(m.start(), m.end(), "landline") for m in _LANDLINE.finditer(probe)]
    spans += [(m.start(1), m.end(1), "landline") for m in _PHONE_CUE.finditer(probe)]
    if ("85" in probe or "886" in probe) and any(region in probe for region in _REGIONS):
        spans += [(m.start(), m.end(), "phone") for m in _REGION_PHONE.finditer(probe)]
    if "+" in probe or "00" in probe or "(8" in probe:
        spans += [(m.start(), m.end(), "phone") for m in _FOREIGN_PHONE.finditer(probe)
                  if 7 <= sum(c.isdigit() for c in m.group("number")) <= 12]
    return spans


def _select(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, longest first (a number read as a whole beats a part of it). The spans chosen so far are
    kept in order, so only the two beside a candidate can overlap it (a text of 1,600 names took 0.9 s comparing each
    with all)."""
    starts: list[int] = []
    chosen: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        k = bisect.bisect_left(starts, start)
        if (k and chosen[k - 1][1] > start) or (k < len(starts) and starts[k] < end):
            continue
        starts.insert(k, start)
        chosen.insert(k, (start, end, kind))
    return chosen


def find_personal_data(
    text: str, *, names: Iterable[str] | NameIndex = (), mask_names: bool = True
) -> list[Finding]:
    """Personal data in ``text`` without changing it (see :func:`redact`); offsets are into ``text``."""
    norm = normalise(text)
    findings = []
    for start, end, kind in _select(_spans(norm.text, names, mask_names)):
        start, end = norm.span(start, end)
        findings.append(Finding(kind, start, end, text[start:end], _REPLACEMENTS[kind]))
    return findings


def redact(
    text: str, *, names: Iterable[str] | NameIndex = (), identity: str = "masked"
) -> tuple[str, list[Finding]]:
    """Mask personal data in citizen text; return the masked text and what was masked.

    ``names`` are personal names to mask wherever they occur in this text: pass the submitter's own
    name (see :func:`looks_like_personal_name`), never everyone's. A :class:`NameIndex` matches its
    names exactly (no spaced or traditional forms), for checks against many names. ``identity="full"`` leaves
    ``names`` as written (for an organisation's name field); a name the text marks as a person's (联系人王建国) and
    everything else is still masked.
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
