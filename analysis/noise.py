"""Adverts and off-topic messages: proposed to staff (疑似广告 / 与征求意见无关) with the evidence, never dropped.

:func:`noise_reason` answers for one comment; :func:`noise_flags` does a whole consultation at once and also uses
what the other comments talk about (a word many comments use is on topic even when the draft never says it).

- **advert**: contact bait (WeChat/QQ handles in their disguises — 薇信, 威❤, V信, ➕V, 扣扣, 绿色泡泡, Q群, spaced or
  Chinese-numeral digits (壹叁捌…) —, Telegram and @handles, 小红书搜“…”, phone numbers, URLs (www点…点com),
  e-mail addresses, 私信/滴滴我/看主页/扫码进群) together with selling or recruiting language (代办, 代开发票, 低价出售,
  转让, 招聘, 日结, 包过, 一件代发, 刷单…), or a messenger cue with its account (加Q群 998877665), or a lot of selling
  language alone; never when the text argues about the draft (建议…, 第12条, 本计划) and sells nothing but the
  contact (a company leaving its phone).
- **off_topic** (only with a draft): the comment's words are not the draft's, not the domain's (cross-border trade, e-commerce,
  policy-making) and not what the consultation's other comments discuss, or it is a personal grievance (my parcel,
  my landlord, noise at night; with three words only when none is related: 家门口的小桥坏了没人修) with little of
  either, or a short personal grievance that borrows the draft's words
  (跨境电商平台上买的进口奶粉是假货，我要维权), or it uses more words of other public services (地铁, 物业, 退休金:
  data/other_domains_zh.txt) than of the draft and its domain, short or not, a word only the draft uses and not the
  domain (滨海新区, 申请, 办理) counting half; or it is a test message or a bare greeting (测试, 123, asdf, 你好，在吗？). A comment about cross-border trade
  (出口, 海外仓, 海关 …) is off topic only as a personal grievance: a strong cue (我买的, 我的包裹, 噪音, 投诉无门) or
  two weak ones (我家, 小区, 限行, 工资: a business tells its own story with them), never for the colloquial words
  around one word of the trade (食品出口的标签翻译没人管…). Other short comments, anything naming
  the draft or a clause, and text mostly in Latin letters (English, pinyin: the vocabulary cannot tell) are never
  off topic.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from draft.contacts import (
    EMAIL,
    PLATFORM_CUE,
    QQ_CUE,
    TELEGRAM_NAME,
    TELEGRAM_NICKNAME,
    TOP_LEVEL_DOMAINS,
    WECHAT_CUE,
    spelled_web_addresses,
)
from draft.model import Draft

from .normalize import _NEEDS_NFKC, _to_simplified, _traditional
from .stopwords import _read_list
from .tokenize import Tokenizer, default_tokenizer


def _word_list(name: str) -> frozenset[str]:
    return frozenset(_read_list(name))


ADVERT = "advert"
OFF_TOPIC = "off_topic"
#: What staff see for each reason.
LABELS = {ADVERT: "疑似广告", OFF_TOPIC: "与征求意见无关"}

_CN_DIGITS = "零〇一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"
_DIGITS = r"[0-9零〇一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]"
_SEP = r"[\s\-－—_.·,，]{0,3}"

# Messaging apps and the spellings used to get past keyword filters: draft.contacts' cue words (what redaction
# masks: 绿色泡泡, Q群 and 群号 are among them), plus advert cues that name no account of their own, so they stay here:
# 加我 / ➕我 (bait: "add me"), 电话同微 / 同号 (the phone number is also the WeChat account; the number itself counts as
# a number), and 扣 right before digits (扣12345678), too loose for redaction (扣10000元 is a deduction) but fine next
# to selling words.
_WECHAT = re.compile(rf"{WECHAT_CUE}|(?:加|➕|\+|添加)\s*我|电话同微|同号|"
                     r"(?<![\u4e00-\u9fff])[薇威]\s*:?\s*(?=[a-z][a-z0-9_\-]{3,})")
_QQ = re.compile(rf"{QQ_CUE}|\b扣\s*\d")
# Other messengers and where to find the seller: Telegram (draft.contacts' TG, or 纸飞机 / 电报 before 号 or a colon),
# an @handle, a search on another platform (draft.contacts' platforms, and 淘宝 / 公众号: 小红书搜“…”, 蓝色软件搜 …).
_OTHER_ACCOUNT = re.compile(rf"{TELEGRAM_NAME}|{TELEGRAM_NICKNAME}号?\s*:|(?<![a-z0-9._-])@[a-z][a-z0-9_]{{2,}}|"
                            r"(?<![a-z])(?:whatsapp|skype|line\s*id)(?![a-z])|"
                            rf"(?:{PLATFORM_CUE}|淘宝|公众号)\s*搜")
_WECHAT_SERVICE = re.compile(r"微信(?=公众号|视频号|小程序|支付)")
_HANDLE = re.compile(r"[:：\s@]\s*([a-z][a-z0-9_\-]{3,19})")
# Any long run of digits, spaced or in Chinese numerals (一三八…): broader than draft.contacts' phone numbers on
# purpose, as a disguised phone, a QQ number or an order number in an advert are all contact bait here.
_LONG_NUMBER = re.compile(rf"{_DIGITS}(?:{_SEP}{_DIGITS}){{6,}}")
# A web address: a scheme, www, or a name before a top-level domain (draft.contacts' list); one written with 点 is
# draft.contacts' spelled_web_addresses. The name's run of letters is matched once, from its first character
# (possessive, after a lookbehind): unanchored, a comment of 5,000 digits tried every start (0.4 s).
_URL = re.compile(r"https?://|www\s*[.点]|"
                  rf"(?<![a-z0-9\-])[a-z0-9\-]++\.(?:{'|'.join(sorted(TOP_LEVEL_DOMAINS))})\b")
_GOV_URL = re.compile(r"gov\.cn|\.gov\b")
_BAIT = re.compile(r"(?:私信|私聊|私我|滴滴我|加我|联系我|详情咨询|欢迎咨询|欢迎来电|欢迎合作|详聊|"
                   r"看主页|见简介|点击链接|有意者|有需要的|咨询请|请联系|"
                   r"简历发送|报名网址|扫码(?:进群|加|添加|关注|领|报名|咨询|联系)|扫下方|二维码|进群|加群|入群|详询|私戳|戳我|踢我|[见看]我?的?(?:头像|昵称)|评论区|置顶|主页|"
                   r"点击.{0,4}链接|私信回复|关注.{0,2}公众号|的扣\s*[16](?![0-9分元万千百%个])|"
                   r"\b(?:contact us|dm me|add (?:me|wechat|whatsapp)))")
# Selling, recruiting and money-for-service words (each distinct hit counts once).
_SELLING = ("代办", "代开", "代写", "开票", "税点", "出售", "低价", "转让", "招聘", "聘请", "诚招", "急招", "高薪", "日结",
            "兼职", "月入", "日赚", "包过", "包吃住", "包教包会", "包就业", "价格优惠", "价格实惠", "价格便宜",
            "价格可议", "全网最低", "最低价", "免费领取", "免费试用", "先到先得", "名额有限", "一件代发",
            "货源", "代理记账", "刷单", "补单", "测评", "返款", "刷好评", "贷款", "放款", "无抵押", "利息低", "额度高",
            "双清包税", "包税", "招商", "加盟", "诚招代理", "套餐",
            "不过退款", "包教", "面议", "待遇", "火热", "报名", "干货", "资料包", "带货达人",
            "打爆", "九成新", "当天到账",
            "当天放款", "最快当天", "零基础", "0基础", "零库存", "扶持到位", "利润丰厚", "欢迎老板", "老板们", "各位老板",
            "有需要", "专业提供", "专业办理", "专业做", "专业注册", "专业翻译", "专业代",
            "外包", "佣金", "代运营", "代发", "特价", "诚聘", "在家可做", "在家就能", "下款", "免费领",
            "一条龙", "全包", "量大从优", "包出单", "包开通", "全额退款", "不封号", "防关联", "出租", "垫资",
            "秒批", "代注册", "一站式", "价格透明", "招募", "零投资", "躺赚",
            # English adverts
            "for sale", "cheap", "best price", "lowest price", "discount", "free trial", "we offer")
# A comment about the draft: a proposal, a stance, a reference to the draft or a clause.
_POLICY = re.compile(r"(?:建议|希望(?!.{0,4}(?:咨询|合作|联系))|应当|应该|第\s*[0-9一二三四五六七八九十百]+\s*[条项款部分章节]|"
                     r"本条|该条|条款|本计划|计划|征求意见|意见稿|政策|政府|商务局|补贴|扶持政策|监管|我们协会|我会|"
                     r"支持.{0,6}(?:发展|计划|政策)|是否|能否|为什么)")
# A personal grievance: things that go wrong in one's own life, not in a policy.
_GRIEVANCE = re.compile(r"(?:我家|我们家|我买的|我在.{0,12}买|买的|网购|我的.{0,4}?(?:快递|包裹)|"
                        r"我的(?:手机|医保|社保|孩子|车)|"
                        r"楼下|楼上|邻居|小区|物业|房东|押金|噪音|扰民|睡不着|臭|灰尘|粉尘|垃圾|拖欠|工资|社保|医保|"
                        r"挂号|学区|上学|停车|限行|红绿灯|公交|宽带|断网|退款|退货被拒|不给退|"
                        r"假货|投诉|维权无门|谁来管|管一管|管管|没人(?:管|修|处理)|[也都]不管|哪个部门|找哪|"
                        r"菜价|物价|公务员考试|转移手续)")
# Grievance cues that a business describing its own trade uses too (我家种小站稻, 小区门口的跨境体验店, 买家投诉很多,
# 货车限行, 工资开到一万): in a comment about cross-border trade (:data:`_CROSS_BORDER`) one of them alone is no grievance.
# 投诉 followed by what became of it (投诉无门, 投诉后没人处理) is the writer's own complaint, so stays a cue.
_WEAK_GRIEVANCE = frozenset(("我家", "我们家", "小区", "投诉", "限行", "停车", "公交", "工资", "社保", "医保", "退款",
                             "押金", "宽带", "断网", "物价", "菜价", "没人管", "没人修", "没人处理", "也不管", "都不管"))
_OWN_COMPLAINT = re.compile(r"投诉(?:无门|后|了|也|过|没|不|无果)|(?:找谁|去|我要|向.{1,8})投诉")
# Words that make a comment one about cross-border trade (parts of words: 出口 in 出口退税, 货仓 in 集货仓). Not 国际
# alone (estates and schools: 梅岭国际, 麓山国际实验学校; 国际快递 is: _CROSS_BORDER_PHRASE), 物流 (a domestic parcel's) nor a bare 仓 (老粮仓镇): in real
# citizen messages on other matters they took 29 of 2,500 off-topic flags away.
_CROSS_BORDER_PHRASE = re.compile("国际(?:快递|物流|货运|运输|小包|贸易|订单|客户|买家|航线)")  # (国际 alone is no anchor)
_CROSS_BORDER = ("跨境", "电商", "外贸", "海外仓", "货仓", "仓储", "仓库", "保税", "综保", "口岸", "出口", "进口", "海关",
                 "通关", "报关", "清关", "退税", "海外", "国外", "境外", "外汇", "结汇", "收汇", "海运", "空运", "航线",
                 "班列", "货代", "集装箱", "港口", "天津港")
# Words of the domain beyond the draft's own text: cross-border trade, e-commerce, logistics, policy-making.
_DOMAIN = _word_list("domain_zh.txt")
# Words that make any word holding them one of the domain's (跨境电商平台, 物流园区, 集货仓 cut as 货仓)
_DOMAIN_PARTS = ("跨境", "电商", "外贸", "物流", "仓", "保税", "口岸")
# Too general to tell a topic (they occur in complaints and in policy comments alike).
_GENERIC = _word_list("generic_zh.txt")
# Words of other public services (地铁, 物业, 退休金, 挂号…): more of them than of the draft's words is off topic.
_OTHER_DOMAINS = _word_list("other_domains_zh.txt")
# Mostly Latin letters (English, pinyin): the vocabulary cannot tell, so such a comment is never called off topic.
_LATIN_LETTERS = re.compile(r"[a-z]", re.IGNORECASE)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
MIN_OFF_TOPIC_TOKENS = 4
#: A comment with more words than this that mostly uses the consultation's vocabulary is on topic.
MAX_BORROWING_TOKENS = 12


@dataclass(frozen=True)
class NoiseFlag:
    """Why a comment looks like noise: ``reason`` (``advert`` / ``off_topic``) and the evidence, in Chinese for
    staff (``联系方式：微信号``, ``推销用语：代办、低价``, ``与本征求意见稿内容无关（3/9 个词相关）``)."""

    reason: str
    evidence: tuple[str, ...]

    @property
    def label(self) -> str:
        return LABELS[self.reason]

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "label": self.label, "evidence": list(self.evidence)}


# Characters put between the letters of a word to get past keyword filters (亚🔥马🔥逊, 加🌹薇🌹信, 微.信, zero-width
# spaces): pictographs and invisible characters go everywhere, punctuation only between two Chinese characters.
# ➕ ❤ ♥ ☎ are kept: they are cues themselves (➕V, 微❤, ☎️ followed by a number).
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u2663\u2666-\u2763\u2765-\u2794\u2796-\u27bf\u2b00-\u2bff"
                    "\ufe0f\u200b-\u200d\u2060]")
_FILLER = re.compile(r"(?<=[\u4e00-\u9fff])[.·*~|/_\-]+(?=[\u4e00-\u9fff])")


def _plain(text: str) -> str:
    """NFKC, traditional → simplified and lower case, each only when the text needs it (see normalize.canonical)."""
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    if _traditional().search(text):
        text = _to_simplified().convert(text)
    return text.lower()


def _unfilled(plain: str) -> str:
    """``plain`` without the filler put between letters (:data:`_EMOJI`, :data:`_FILLER`); read for adverts only."""
    if _EMOJI.search(plain):
        plain = _EMOJI.sub("", plain)
    if _FILLER.search(plain):
        plain = _FILLER.sub("", plain)
    return plain


_ADJACENT_DIGITS = re.compile(r"[0-9]{2}")
SPACED_NUMBER = "逐位隔开的号码"
#: Numbers written to get past filters: nobody leaves a phone for follow-up that way.
_DISGUISED_NUMBERS = ("用汉字书写的号码", SPACED_NUMBER)
#: Contact details that only someone touting for business leaves (a phone number and an e-mail are not).
_STRONG_CONTACTS = frozenset(("微信号", "QQ号", "网址", "招揽联系的用语", "其他联系账号", *_DISGUISED_NUMBERS))
# A comment that complains about adverts may quote one («加微信代办出口退税、包过»): it is read without its quotations.
_ABOUT_ADVERTS = re.compile(r"广告|骗|上当|虚假|诈骗|短信|辟谣|举报|打击|乱象|泛滥|有人在|有人发|群里发")
_QUOTED = re.compile(r"“[^”]{0,80}”|「[^」]{0,80}」|\"[^\"]{0,80}\"")


def _contacts(plain: str) -> list[str]:
    # draft.contacts reads the ASCII colon (V:, Q:); _plain folds full-width forms only when the text needs it
    # otherwise, and a full-width colon alone does not (V：abc)
    cues = _WECHAT_SERVICE.sub("", plain.replace("：", ":"))  # 微信公众号 (the draft names it) is no account
    found = []
    if _WECHAT.search(cues):
        found.append("微信号")
    if _QQ.search(cues):
        found.append("QQ号")
    numbers = _LONG_NUMBER.findall(plain)
    if any(sum(ch in _CN_DIGITS for ch in n) >= 5 for n in numbers):
        found.append("用汉字书写的号码")
    elif any(not _ADJACENT_DIGITS.search(n) for n in numbers):  # 1 3 9 — 0 0 0 0 — 1 2 1 2
        found.append(SPACED_NUMBER)
    elif numbers:
        found.append("电话号码")
    urls = _URL.findall(plain)
    if "点" in plain:
        urls += [plain[start:end] for start, end in spelled_web_addresses(plain)]
    if urls and not all(_GOV_URL.search(plain[plain.find(u):plain.find(u) + 40]) for u in urls):
        found.append("网址")
    if "@" in plain and EMAIL.search(plain):  # (EMAIL alone scans every start of a long run of digits)
        found.append("电子邮箱")
    if _OTHER_ACCOUNT.search(cues):
        found.append("其他联系账号")
    if _BAIT.search(plain):
        found.append("招揽联系的用语")
    return found


def advert_evidence(text: str, plain: str | None = None) -> tuple[str, ...] | None:
    """The evidence that ``text`` is an advert, or None (``plain``: :func:`_plain` of it, when computed already)."""
    plain = _unfilled(plain if plain is not None else _plain(text))
    policy = _POLICY.search(plain)
    if policy and _ABOUT_ADVERTS.search(plain) and _QUOTED.search(plain):
        plain = _QUOTED.sub("“”", plain)
    contacts = _contacts(plain)
    selling = [w for w in _SELLING if w in plain]
    if "出租" in selling and plain.count("出租") == plain.count("出租车"):
        selling.remove("出租")
    strong_contact = [c for c in contacts if c in _STRONG_CONTACTS]
    if policy:
        # A comment on the draft may leave a phone number or mention recruiting; an advert dressed as one needs
        # both a messaging handle or bait and plenty of selling.
        is_advert = bool(strong_contact) and len(selling) >= 2
    else:
        # without selling words: a handle beside strong contact cues, a messenger cue with a number (加Q群
        # 998877665, 群号：776655443; not an e-mail domain beside a phone number in a letter's closing), or a
        # number disguised from filters (幺三八 二二零零…, 1 3 9 — 0 0 0 0…)
        number = any(c in contacts for c in ("电话号码", *_DISGUISED_NUMBERS))
        messenger = any(c in contacts for c in ("微信号", "QQ号", "其他联系账号"))
        handle = _HANDLE.search(plain) is not None
        is_advert = bool(contacts) and (bool(selling) or handle and bool(strong_contact) or number and messenger
                                        or any(c in contacts for c in _DISGUISED_NUMBERS))
    if not is_advert:
        return None
    evidence = []
    if contacts:
        evidence.append("联系方式：" + "、".join(contacts))
    if selling:
        evidence.append("推销或招揽用语：" + "、".join(selling[:5]))
    return tuple(evidence)


def _draft_vocabulary(draft: Draft | None, tokenizer: Tokenizer) -> frozenset[str]:
    if draft is None:
        return frozenset()
    texts = (draft.title, draft.preamble, *(t for c in draft.walk() for t in (c.heading, c.body)))
    return _vocabulary(texts, tokenizer)


@lru_cache(maxsize=8)
def _vocabulary(texts: tuple[str, ...], tokenizer: Tokenizer) -> frozenset[str]:
    words = set(tokenizer.user_terms)
    for text in texts:
        words.update(tokenizer.tokenize(text))
    return frozenset(words)


_MENTIONS_DRAFT = re.compile(r"第\s*[0-9一二三四五六七八九十百]+\s*[条项款]|本条|条款|本计划|这个计划|该计划|征求意见|意见稿|"
                             r"倍增计划")
# What every advert has: contact details or bait (a digit run, Latin letters, a messaging app, 私信 / 看主页 …).
_HINT_WORDS = re.compile("电话|手机|www|http|WWW|HTTP|v信|V信|vx|VX|Vx|wx|WX|qq|QQ|扣扣|企鹅|私信|私聊|私我|滴滴|加我|"
                         "联系我|请联系|详情咨询|欢迎咨询|咨询请|来电|主页|简介|链接|有意|有需要|@|➕|Q群|q群|群号|进群|加群|"
                         "入群|扫码|扫下方|二维码|泡泡|TG|纸飞机|飞机号|飞机:|飞机：|电报|私戳|戳我|踢我|头像|昵称|评论区|置顶|"
                         "搜|点com|点cn|详询|注公众号|注微信公众号|扣1|扣１|☎|\\+86|WhatsApp|whatsapp|Whatsapp|WHATSAPP|Skype|skype")  # literals only: an alternation of plain words is searched fast
_HINT_WECHAT = re.compile("[微薇威徽][信❤♥心]")
_HINT_CAPITAL_DIGIT = re.compile("[壹贰叁肆伍陆柒捌玖]")  # 壹叁捌… (a number in capital numerals)
_HINT_CAPITAL_NUMBER = re.compile("[壹贰叁肆伍陆柒捌玖][零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖]{2}")
# (character classes spelled out rather than counted with {n}: found faster)
_HINT_DIGITS = re.compile(r"[0-9０-９][0-9０-９][0-9０-９][0-9０-９][0-9０-９]|[0-9][\s\-][0-9][\s\-][0-9]")
_HINT_DIGIT_GROUPS = re.compile(r"[0-9][0-9][0-9][ \-][0-9][0-9][0-9]")  # 139 2222 0000 (looked for apart: most
# comments have digits, few a space or a dash)
# 一八六 一二三四 … (a number in Chinese numerals; not from 一, which starts many words)
_HINT_CN_NUMBER = re.compile("[零〇幺二三四五六七八九][零〇一二三四五六七八九幺][零〇一二三四五六七八九幺][零〇一二三四五六七八九幺]")
_HINT_PICTOGRAPH = re.compile("[\U0001F000-\U0001FAFF]")  # 亚🔥马🔥逊
_HINT_HANDLE = re.compile(r"[a-zA-Z][a-zA-Z][0-9_]|[0-9_][a-zA-Z][a-zA-Z]")
_HINT_DOMAIN = re.compile(r"[a-zA-Z0-9]\.[a-zA-Z][a-zA-Z]")  # a bare domain name (duliz.top)
_ANY_DIGIT = re.compile(r"[0-9０-９]")
_ANY_WORD3 = re.compile(r"[a-zA-Z0-9_][a-zA-Z0-9_][a-zA-Z0-9_]")


def _maybe_advert(text: str) -> bool:
    """A cheap first look: every advert holds contact details or bait (a messaging app, a digit run, a handle,
    私信 / 看主页, any 搜 (a platform to search: only 小红书搜, 抖音搜 and 软件搜 got through, not 闲鱼搜 or 推特搜), a run
    of Chinese numerals, pictographs (亚🔥马🔥逊) …). Several simple patterns are much faster than one with every
    alternative."""
    return bool(_HINT_WORDS.search(text) or _HINT_WECHAT.search(text)
                or (_HINT_CAPITAL_DIGIT.search(text) and _HINT_CAPITAL_NUMBER.search(text))
                or (_ANY_DIGIT.search(text) and (_HINT_DIGITS.search(text) or (" " in text or "-" in text)
                                                 and _HINT_DIGIT_GROUPS.search(text)))
                or _HINT_CN_NUMBER.search(text) or _HINT_PICTOGRAPH.search(text)
                or (_ANY_WORD3.search(text) and _HINT_HANDLE.search(text))
                or ("." in text and _HINT_DOMAIN.search(text) is not None))


class _Relatedness:
    """How related each word is to the consultation: 1 (the draft's or the domain's), 0.5 (common among the
    consultation's comments), 0 (neither), None (too general or too short to tell); ``weights`` maps the words
    seen so far (fill it with :meth:`learn`, then look words up with ``weights.get``). Pickles as its two word
    sets, so worker processes can judge chunks of comments."""

    def __init__(self, vocabulary: frozenset[str], common: frozenset[str] = frozenset()) -> None:
        self.vocabulary, self.common = vocabulary, common
        self.weights: dict[str, float | None] = {}
        #: the draft's words (weight 1) that are no words of the domain: 滨海新区, 申请, 办理
        self.draft_only = frozenset(t for t in vocabulary if len(t) >= 2 and t not in _GENERIC and _draft_only(t))

    def __getstate__(self) -> dict[str, frozenset[str]]:
        return {"vocabulary": self.vocabulary, "common": self.common}

    def __setstate__(self, state: dict[str, frozenset[str]]) -> None:
        self.__init__(state["vocabulary"], state["common"])  # type: ignore[misc]

    def learn(self, words: Iterable[str]) -> None:
        for token in words:
            if token in self.weights:
                continue
            if token in _GENERIC or len(token) < 2:
                got = None
            elif token in self.vocabulary or token in _DOMAIN or any(d in token for d in _DOMAIN_PARTS):
                got = 1.0
            else:
                got = 0.5 if token in self.common else 0.0
            self.weights[token] = got


def _draft_only(token: str) -> bool:
    """A word of the draft that is no word of the domain (滨海新区, 申请, 办理; not 跨境电商平台, 补贴)."""
    return token not in _DOMAIN and not any(part in token for part in _DOMAIN_PARTS)


def _mostly_latin(text: str) -> bool:
    latin = len(_LATIN_LETTERS.findall(text))
    return latin * 4 >= len(text) and latin > len(_CHINESE.findall(text))  # (most texts: few letters, no 2nd scan)


def off_topic_evidence(text: str, tokens: Sequence[str], relatedness: _Relatedness,
                       plain: str | None = None) -> tuple[str, ...] | None:
    """The evidence that a comment is off topic, or None."""
    weights = [w for w in map(relatedness.weights.get, tokens) if w is not None]
    if not weights:
        return None
    share = sum(weights) / len(weights)
    # more words of other public services than of the draft and its domain (地铁四号线什么时候通车？), even short
    # (looked for with isdisjoint first: most comments have none); a word only the draft uses, not the domain
    # (滨海新区, 申请, 办理: any public service's), counts half, so 滨海新区的地铁… and 公租房申请条件 are off topic
    # (share - related / 2n < 0.45 first: the rule cannot flag otherwise, as draft_only <= related)
    if share < 0.75 and share - (related := weights.count(1.0)) / 2 / len(weights) < 0.45 and not (
            _OTHER_DOMAINS.isdisjoint(tokens)) and len(
            other := [t for t in tokens if t in _OTHER_DOMAINS and relatedness.weights.get(t) != 1.0]) > related / 2:
        draft_only = sum(map(relatedness.draft_only.__contains__, tokens))
        if len(other) > related - draft_only / 2 and (sum(weights) - draft_only / 2) / len(weights) < 0.45:
            plain = plain if plain is not None else _plain(text)
            if _MENTIONS_DRAFT.search(plain) or _mostly_latin(text):
                return None
            return (f"与征求意见稿及本次意见的用词关联很少（{len(weights)} 个实词中 {sum(weights):g} 个相关）",
                    "其他公共事务的用词：" + "、".join(dict.fromkeys(other[:4])))
    if len(weights) < MIN_OFF_TOPIC_TOKENS and not (len(weights) == MIN_OFF_TOPIC_TOKENS - 1 and share == 0):
        return None
    # Related only through words common among the comments (none of the draft's or the domain's): a flood of one
    # complaint (小区物业乱收停车费…) makes its own words common, so its grievance words decide (below).
    flood = share >= 0.45 and weights.count(1.0) < 0.2 * len(weights)
    if not flood and (share >= 0.75 or share >= 0.45 and len(weights) > MAX_BORROWING_TOKENS):
        return None
    plain = plain if plain is not None else _plain(text)
    if _MENTIONS_DRAFT.search(plain):
        return None
    grievance = _GRIEVANCE.findall(plain)
    # A short comment mostly in the consultation's words is off topic only as a personal grievance borrowing them
    # (跨境电商平台上买的进口奶粉是假货，我要维权): two grievance words, in the first person, and no proposal or stance;
    # one related only through common words needs the two grievance words.
    if share >= 0.45 and len(set(grievance)) < 2 or share >= 0.45 and not flood and (
            "我" not in plain or _POLICY.search(plain)):
        return None
    if not (share < 0.2 and len(weights) >= MIN_OFF_TOPIC_TOKENS or grievance) or _mostly_latin(text):
        return None  # (3 words, none related: off topic only with a grievance, 我们老家的路坏了好几年没人修)
    cues = set(grievance)
    if not (len(cues) >= 2 or cues - _WEAK_GRIEVANCE or "投诉" in cues and _OWN_COMPLAINT.search(plain)) and (any(
            part in token for token in tokens for part in _CROSS_BORDER) or _CROSS_BORDER_PHRASE.search(plain)):
        # about cross-border trade: off topic only as a personal grievance (my parcel held by customs), not for one
        # weak cue (我家种小站稻，想卖到国外去) nor for the colloquial words around one word of the trade
        # (食品出口的标签翻译没人管，都是乱翻的，外国人看不懂)
        return None
    evidence = [f"与征求意见稿及本次意见的用词关联很少（{len(weights)} 个实词中 {sum(weights):g} 个相关）"]
    if grievance:
        evidence.append("个人诉求用语：" + "、".join(dict.fromkeys(grievance[:4])))
    return tuple(evidence)


# A test message or a bare greeting: nothing but 测试 / 试一下 / 能不能提交 / 你好 / 在吗, keyboard runs (asdf) and
# counting digits (123), once punctuation, spaces and pictographs are gone. Not 666 or +1 (agreement: analysis.support).
_CONTENT_FREE = re.compile(r"(?:测试|测一下|试试|试一下|试一试|一下|你好|您好|大家好|在吗|在不在|有人吗|能不能提交|"
                           r"能否提交|可以提交吗|提交|看看|test(?:ing)?|hello|hi|asdf|qwer|zxcv|hjkl|sdfg|fdsa|"
                           r"[0-9]*(?:012|123|234|345|456|567|678|789)[0-9]*)+", re.IGNORECASE)
_NOT_A_WORD = re.compile(r"[\W_]+")
CONTENT_FREE_MAX_CHARS = 24


def _content_free(text: str) -> bool:
    return len(text) <= CONTENT_FREE_MAX_CHARS and _CONTENT_FREE.fullmatch(_NOT_A_WORD.sub("", text)) is not None


def _flag(text: str, tokens: Sequence[str], relatedness: _Relatedness | None) -> NoiseFlag | None:
    if not text or not text.strip():
        return None
    plain = None
    if _maybe_advert(text):
        plain = _plain(text)
        evidence = advert_evidence(text, plain)
        if evidence:
            return NoiseFlag(ADVERT, evidence)
    if relatedness is None:  # without a draft, "nothing to do with the draft" cannot be judged
        return None
    if _content_free(text):
        return NoiseFlag(OFF_TOPIC, ("没有意见内容（测试或问候）",))
    evidence = off_topic_evidence(text, tokens, relatedness, plain)
    return NoiseFlag(OFF_TOPIC, evidence) if evidence else None


def _tokenizer(draft: Draft | None, tokenizer: Tokenizer | None) -> Tokenizer:
    if tokenizer is not None:
        return tokenizer
    from .terms import tokenizer_for_draft

    return tokenizer_for_draft(draft) if draft is not None else default_tokenizer()


def noise_flag(text: str, draft: Draft | None = None, *, tokens: Sequence[str] | None = None,
               tokenizer: Tokenizer | None = None) -> NoiseFlag | None:
    """:func:`noise_reason` with the evidence staff are shown."""
    tokenizer = _tokenizer(draft, tokenizer)
    if tokens is None:
        tokens = tokenizer.tokenize(text or "")
    relatedness = None
    if draft is not None:
        relatedness = _Relatedness(_draft_vocabulary(draft, tokenizer))
        relatedness.learn(tokens)
    return _flag(text, tokens, relatedness)


def noise_reason(text: str, draft: Draft | None = None) -> str | None:
    """``"advert"``, ``"off_topic"`` or None for one comment (see the module docstring).

    >>> noise_reason("代开各类发票，税点低，加微信 fp8866")
    'advert'
    """
    flag = noise_flag(text, draft)
    return flag.reason if flag else None


#: A word used by at least this share of a consultation's comments (and by 3 of them) counts as half on topic.
COMMON_SHARE = 0.01


def consultation_relatedness(tokens: Sequence[Sequence[str]], draft: Draft | None,
                             tokenizer: Tokenizer) -> _Relatedness | None:
    """What :func:`flags_for` weighs words with: the draft's words, and the words used by at least
    ``COMMON_SHARE`` of the consultation's comments (and by 3); None without a draft."""
    if draft is None:
        return None
    df = Counter(chain.from_iterable(map(set, tokens)))
    floor = max(3, COMMON_SHARE * len(tokens))
    # (no words learnt here: flags_for learns its own comments' words, and a pickled copy for the workers leaves
    # them behind anyway; learning every distinct word here cost the main process ~0.03 s at 100k for nothing)
    return _Relatedness(_draft_vocabulary(draft, tokenizer), frozenset(t for t, n in df.items() if n >= floor))


def flags_for(texts: Sequence[str], tokens: Sequence[Sequence[str]],
              relatedness: _Relatedness | None) -> list[NoiseFlag | None]:
    """The noise flag of each comment, given the consultation's :func:`consultation_relatedness`."""
    if relatedness is not None:
        relatedness.learn(chain.from_iterable(tokens))
    return [_flag(text, toks, relatedness) for text, toks in zip(texts, tokens)]


def noise_flags(texts: Sequence[str], draft: Draft | None = None, *, tokens: Sequence[Sequence[str]] | None = None,
                tokenizer: Tokenizer | None = None) -> list[NoiseFlag | None]:
    """:func:`noise_flag` for every comment of a consultation; words common among them count as half on topic."""
    tokenizer = _tokenizer(draft, tokenizer)
    if tokens is None:
        tokens = tokenizer.tokenize_many(list(texts)) if draft is not None else [()] * len(texts)
    return flags_for(texts, tokens, consultation_relatedness(tokens, draft, tokenizer))
