"""Readable group labels: keywords without contact fragments or numbers, and a short title phrase.

Keywords never contain pieces of e-mail addresses, URLs or handles (``com``, ``example``, ``zhangwei2024``), tokens
that are only digits (phone or ID fragments, amounts), masked personal data (``张*``, ``138****``) or single
characters. Latin words are kept only when the draft uses them (OEM, B2B, DTC …) or they name a platform or trade
term everyone writes in Latin letters (亚马逊's ``amazon``, ``tiktok``, ``vat``…).

A title is a short readable phrase from the representative comment: its first clause that says something, once
greetings, quotations of the draft, contact details, addresses and names (also in pinyin) are taken out, cut at a natural break to at most
``TITLE_CHARS`` characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from draft.contacts import (
    COMPOUND_SURNAMES,
    EMAIL,
    LICENCE_PLATE,
    QQ_CUE,
    WECHAT_CUE,
    address_spans,
    cued_name_spans,
    dictionary_words,
)
from draft.pinyin_names import pinyin_name_spans

from .stopwords import _read_list

#: Latin words that are ordinary vocabulary in comments on cross-border e-commerce.
KNOWN_LATIN = frozenset(_read_list("latin_terms.txt"))
TITLE_CHARS = 24

_MASK = re.compile(r"[*＊×xX]{2,}|[*＊]")
_LATIN = re.compile(r"[a-z]")
# Contact details and personal data left out of titles (read after folding full-width forms, see _fold): URLs,
# e-mail addresses (also written out: wangjl 艾特 example 点 com), an account or number after a cue word
# (draft.contacts' WeChat/QQ cues, or 电话 / 邮箱 / 身份证 / 护照 …; 加 taken first, so that 加vx abc1 is the cue vx and
# its account, not the cue 加v and an account "x"), digit runs (masked ones, ID numbers ending in X and passport
# numbers included), numbers in Chinese numerals, licence plates, street addresses and masked names (王**).
_HANS_DIGIT = "零〇一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"
_CONTACT = re.compile(rf"https?://\S+|www\s*[.点]\s*\S+|{EMAIL.pattern}|"
                      r"[A-Za-z0-9_.\-]*\s*(?:@|艾特|\(at\)|\[at\])\s*[A-Za-z0-9\-]+(?:\s*(?:\.|点|dot)\s*[A-Za-z]{2,})+|"
                      r"[A-Za-z0-9\-]+(?:\s*(?:点|dot)\s*(?:com|cn|net|org))+|"
                      rf"(?:(?:加|➕|\+|添加)\s*)?(?:{WECHAT_CUE}|{QQ_CUE}|电话|手机|tel|传真|邮箱|联系人|联系方式|身份证|证件|"
                      r"护照|银行卡|卡号|账号|车牌)(?:号码|号)?[:：\s]*"
                      rf"(?:[A-Za-z0-9_\-*＊]+(?:[ .@][A-Za-z0-9_\-*＊]+)*|[{_HANS_DIGIT}][{_HANS_DIGIT}\s\-]{{5,}}[{_HANS_DIGIT}])|"
                      r"[A-Za-z]?[0-9*＊][0-9*＊\- ]{6,}[0-9*＊Xx]|"
                      rf"[{_HANS_DIGIT}][{_HANS_DIGIT}\s\-]{{5,}}[{_HANS_DIGIT}]|"
                      r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z]\s*[A-Za-z0-9]{5,6}|"
                      r"(?:家住|住在|住址|地址|住)?[:：\s]*[\u4e00-\u9fff]{1,6}(?:路|街|道|巷|里|村|小区|大厦|公寓)"
                      r"[0-9一二三四五六七八九十]+号[0-9A-Za-z一二三四五六七八九十\-门栋楼室层单元]*|"
                      r"[\u4e00-\u9fff]?[*＊]+[\u4e00-\u9fff]?", re.IGNORECASE)
# Common surnames: a name next to a contact detail, after a cue (联系人：李娜, 我叫王建国) or before a form of address
# (刘先生, 张总, 王经理) is left out of titles too.
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜" \
            "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GONE = "\x00"  # where a contact detail was
_PERSON = re.compile(rf"(?:联系人|姓名|署名|经办人|负责人|签名|落款|填表人|填报人)(?:[:：]\s*|\s+)[\u4e00-\u9fff]{{2,3}}|"
                     r"(?:我是|我叫|我姓|本人(?:是|叫|姓)?|鄙人)[\u4e00-\u9fff]{1,3}(?=[，,。！!\s：:（(；;\x00]|$)|"
                     rf"(?P<name>[{_SURNAMES}][\u4e00-\u9fff]?)(?:先生|女士|小姐|经理|老师|主任|书记|会长|秘书长|某+)|"
                     rf"[{_SURNAMES}]总(?![\u4e00-\u9fff])|"
                     rf"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}[\s:：，,（(]*(?={_GONE})")


def _person(m: re.Match[str]) -> str:
    """A name found by _PERSON, left out; a word before a form of address stays (高中老师, 任教老师: 高中 and 任教
    are words, 刘沛 is not)."""
    name = m.group("name")
    return m.group() if name and len(name) == 2 and not _is_name(name) else ""
_GREETING = re.compile(r"^(?:尊敬的[^，,：:。]{0,12}[，,：:]|各位领导[^，,：:]{0,4}[，,：:]|领导们?好[，,！!：:]?|您好[，,！!：:]?|"
                       r"你好[，,！!：:]?|[^，,：:。]{0,12}(?:局|处|领导)[：:]|"
                       r"[^，,：:。]{2,30}(?:公司|协会|商会|联合会|研究会|促进会)[\s（()）]*[：:])")
_BREAK = re.compile(r"[。！？!?；;\n]")
_SOFT_BREAK = re.compile(r"[，,、：:]")


@lru_cache(maxsize=200_000)
def is_label_term(term: str, allowed_latin: frozenset[str] = frozenset()) -> bool:
    """Whether ``term`` (a token, already normalised) may appear among a group's keywords (see the module
    docstring). ``allowed_latin``: normalised Latin words the draft uses."""
    if len(term) < 2 or term.isdigit() or _MASK.search(term):
        return False
    if any(ch in term for ch in "@./:\\_#&=%?"):
        return False
    if _LATIN.search(term):
        return term in KNOWN_LATIN or term in allowed_latin
    if all(ch in _HANS_DIGIT for ch in term) or term in _COURTESY or _is_name(term):
        return False
    return not any(ch.isdigit() for ch in term) and any(ch.isalnum() for ch in term)


#: Words of greetings and sign-offs (尊敬的领导…以上意见请予考虑，谢谢): they say nothing about a group's topic.
_COURTESY = frozenset(("尊敬", "领导", "领导们", "您好", "你好", "谢谢", "感谢", "考虑", "此致", "敬礼", "恳请", "百忙之中",
                       "予以", "衷心", "祝愿", "酌情"))


#: Characters seldom written outside a given name. jieba's dictionary tags many ordinary words as names (nr: 顾问,
#: 高峰, 周转, 白领, 雷达 …) beside real ones (李娜 438, 蒋丽莉), so a common word it tags nr counts as a name only when
#: its given name is made of these (明, 峰, 强, 军, 英, 华 … are left out: 黎明, 高峰, 高强, 陆军, 石英, 金华).
GIVEN_NAME_CHARS = frozenset("娜婷娟莉萍芳敏静磊伟勇艳杰涛鹏斌浩凯辉霞燕琳玲颖倩慧鑫晨欣怡俊豪帅毅瑞琪璐蕾薇菲妍娇婉"
                             "媛姗妮婕琦瑶瑾璇丽")


def _is_name(term: str) -> bool:
    """Whether ``term`` looks like a person's name: 2–3 Chinese characters starting with a common surname that
    jieba's dictionary does not know as an ordinary word (张伟, 刘洋, 王经理; not 高端, 高端化, 金融). Names in the
    dictionary count as names when rare (freq < 50) or when their given name is made of :data:`GIVEN_NAME_CHARS`
    (李娜, freq 438); place names unknown to it (白水镇) are lost as well."""
    if 3 <= len(term) <= 4 and term[:2] in _NAME_COMPOUND_SURNAMES:  # 欧阳明月 (jieba: 欧阳明 / 月), 上官婉儿
        return _surname_words().get(term, (0, "nr"))[1] == "nr"
    if not (2 <= len(term) <= 3 and term[0] in _SURNAMES and all("\u4e00" <= ch <= "\u9fff" for ch in term)):
        return False
    words = _surname_words()
    if len(term) == 3 and words.get(term[:2], (0, "nr"))[1] != "nr":
        return False  # an ordinary word and a suffix (高端化)
    known = words.get(term)
    if known is None:
        return True
    return known[1] == "nr" and (known[0] < 50 or all(ch in GIVEN_NAME_CHARS for ch in term[1:]))


#: Compound surnames (draft.contacts) that seldom begin an ordinary word: not 东方 (东方卫视), 西门 (西门子), 第五 (第五届),
#: 百里 (百里挑一), 南宫, 长孙, 钟离 …
_NAME_COMPOUND_SURNAMES = frozenset(COMPOUND_SURNAMES) - {"东方", "西门", "第五", "百里", "南宫", "长孙", "太史", "钟离",
                                                           "公冶", "闻人", "司徒", "宇文"}


def _surname_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary entries that start with a common surname (draft.contacts.dictionary_words, shared with
    redaction: read once per process, only when a keyword candidate starts with a surname)."""
    return dictionary_words()


def label_terms(terms: Sequence[str], allowed_latin: Iterable[str] = (), top: int | None = None) -> list[str]:
    allowed = allowed_latin if isinstance(allowed_latin, frozenset) else frozenset(allowed_latin)
    kept = [t for t in terms if is_label_term(t, allowed)]
    return kept[:top] if top is not None else kept


def _cut(phrase: str) -> str:
    if len(phrase) <= TITLE_CHARS:
        return phrase
    cut = phrase[:TITLE_CHARS]
    soft = [m.start() for m in _SOFT_BREAK.finditer(cut)]
    if soft and soft[-1] >= TITLE_CHARS // 2:
        return cut[:soft[-1]]
    return cut + "…"


_EMPTY_QUOTES = re.compile(r"[“”\"'‘’「」『』《》（）()【】\[\]]")
_PUNCT_RUN = re.compile(r"[，,、：:；;\s]*[，,、：:；;][，,、：:；;\s]*")
# A cue word whose contact detail or name was taken out (联系人：王经理 → 联系人).
_CUE_LEFT = re.compile(r"^(?:联系人?|意见人|提出人|提交人|反映人|户名|联系电话|电话|手机|手机号|邮箱|微信|微信号|联系方式|身份证号?|传真|地址|住址)$")
# Who is writing (我是跨境电商从业者，…): not what the comment says.
_INTRODUCTION = re.compile(r"^(?:作为|(?:我|我们|本人|本公司|我公司|我司|我会|本会)(?:是|系|作为))[^，,]{0,24}$")
_REFERENCE = re.compile(r"^(?:关于|对于|针对|原文|征求意见稿|文件|计划|第\s*[0-9一二三四五六七八九十]+\s*[条项款部分]|本条|这一?条)"
                        r"(?:[^，,]{0,4}?(?:说|写|写道|提到|提出|规定|中|里|的))?$")


def readable_title(text: str, quoted_spans: Sequence[tuple[int, int]] = (), fallback_terms: Sequence[str] = ()) -> str:
    """A short readable phrase naming what ``text`` says (``quoted_spans``: (start, end) of quotations of the draft
    in ``text``, left out); the fallback terms joined with 、 when nothing readable is left."""
    parts, at = [], 0
    for start, end in sorted(quoted_spans):
        parts.append(text[at:start])
        parts.append("，")
        at = max(at, end)
    parts.append(text[at:])
    plain = LICENCE_PLATE.sub(_GONE, _without_names(_fold("".join(parts))))
    plain = _PERSON.sub(_person, _CONTACT.sub(_GONE, plain)).replace(_GONE, "")
    plain = " ".join(plain.split())
    plain = _GREETING.sub("", plain).strip()
    for sentence in _BREAK.split(plain):
        sentence = _PUNCT_RUN.sub("，", _EMPTY_QUOTES.sub("", sentence))
        clauses = [c for c in (c.strip(" —-") for c in sentence.split("，")) if c and not _CUE_LEFT.match(c)]
        while clauses and (_REFERENCE.match(clauses[0]) or _INTRODUCTION.match(clauses[0]) and len(clauses) > 1 or _hans(clauses[0]) < 2):
            clauses.pop(0)
        phrase = "，".join(clauses)
        if _hans(phrase) >= 4:
            return _cut(phrase)
    return "、".join(fallback_terms[:3])


def _without_names(text: str) -> str:
    """``text`` without the names and addresses redaction masks (draft.contacts, draft.pinyin_names: Liu Jianguo,
    联系人：赵 丽 华, 同事陈志强、周美玲, 李红霞教授, 小区3号楼2单元501), and a title right after a name."""
    spans = pinyin_name_spans(text) if _LATIN_LETTER.search(text) else []
    spans += cued_name_spans(text) + address_spans(text)
    at = len(text)
    for start, end in sorted(spans, reverse=True):
        if end > at:  # (overlapping: the longer span, taken first from the right, already went)
            continue
        after = _TITLE_AFTER_NAME.match(text, end)
        text = text[:start] + _GONE + text[after.end() if after else end:]
        at = start
    return text


_LATIN_LETTER = re.compile("[A-Za-z]")
_TITLE_AFTER_NAME = re.compile(r"\s*(?:先生|女士|小姐|老师|经理|主任|教授|律师|博士|总)")


def _fold(text: str) -> str:
    """Full-width letters, digits and signs as ASCII (NFKC), character by character where the fold is one
    character, so that ＴＥＬ：１３８… reads as TEL:138…"""
    return "".join(f if len(f := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text) \
        if _NEEDS_FOLD.search(text) else text


_NEEDS_FOLD = re.compile("[\uff01-\uff5e\u3000]")


def _hans(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
