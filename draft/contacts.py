"""What contact data looks like: one definition for every module that looks for it.

The portal's contact field (``comment_portal.public.forms``), the notice's e-mail (:mod:`draft.notice`), the
redaction of citizen text before publication (``exports.redact``) and advert detection (``analysis.noise``) must
agree: anything one of them takes for an e-mail address, a phone number or a messenger account, redaction has to
mask, or it reaches the public report. The patterns live here because ``draft`` is the lowest layer all of them
may import (``exports`` and ``analysis`` import ``draft``; ``comment_portal`` imports all three), and it is pure.
``analysis.noise`` adds advert cues that are not contact data (加我, 电话同微, any long number) and
``tests/analysis/test_noise_contacts_redacted.py`` checks that redaction masks the accounts it finds; group titles
(``analysis.labels``) leave out what these patterns find.

They read ASCII digits, ``@`` and ``.``: callers fold full-width forms first (NFKC).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

EMAIL_LOCAL = r"[A-Za-z0-9_%+-][A-Za-z0-9._%+-]*"
EMAIL_DOMAIN = r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
EMAIL = re.compile(EMAIL_LOCAL + "@" + EMAIL_DOMAIN)
"""An e-mail address as written: ``wang.jl+cbec@mail.example.com.cn``, ``12345678@qq.com``; domain labels may
begin or end with ``-`` (not deliverable, still somebody's address as typed)."""

COUNTRY_CODE = r"(?:(?:00|\+)?86)"
MOBILE_DIGITS = re.compile(COUNTRY_CODE + r"?1[3-9]\d{9}")
"""A mainland mobile number as its digits, optionally after +86 / 0086."""
AREA_CODE = r"(?:" + COUNTRY_CODE + r"0?|0)[1-9]\d{1,2}"
"""A mainland area code: with its 0 (``022``, ``0571``), or after +86 with or without it (``+86 22``)."""
LANDLINE_DIGITS = re.compile(AREA_CODE + r"[2-9]\d{6,7}")
"""A landline as its digits: area code and a 7–8 digit number, which never begins with 0 or 1 (those are
service numbers: 110, 12345)."""

_WECHAT_WORDS = (r"[微薇威徽危维胃卫魏嶶]\s*[信❤♥💗💕心芯]|[Vv]\s*[信❤♥xX]|wx|WX|weixin|WeChat|wechat|WECHAT|"
                 r"绿色?泡泡")
WECHAT_CUE = (rf"(?:{_WECHAT_WORDS}|(?:加|➕|\+|添加)\s*(?:[Vv]|微|薇|威)|(?<![A-Za-z0-9])[Vv](?=\s*:)|"
              r"(?<![\u4e00-\u9fff])微(?=\s*:))")
"""Words that announce a WeChat account, in the spellings used to get past keyword filters (薇❤, V信, ➕V, V:, 微:,
绿色泡泡 / 绿泡泡: its green icon)."""
QQ_CUE = (r"(?:(?<![A-Za-z])[Qq]\s*[Qq]|扣\s*扣|企鹅|球球|(?<![A-Za-z0-9])[Qq](?=\s*:)|扣(?=\s*:)|"
          r"(?<![A-Za-z0-9])[Qq](?=\s*群)|群号)")
"""Words that announce a QQ number (QQ, Q Q, 扣扣, 企鹅, Q:, 扣:, Q群, 群号). QQ not inside a Latin word, but right after
digits (手机13812345678QQ87654321) and before letters (qqmail, QQabc123: advert detection and titles take it for
contact data there too)."""
TELEGRAM_NAME = r"(?<![A-Za-z])(?:TG|Tg|tg|[Tt]elegram)(?![A-Za-z])"
"""Telegram by its name (TG, Telegram), not inside a Latin word."""
TELEGRAM_NICKNAME = r"(?:电报|纸?飞机)"
"""Telegram by its nicknames (电报, 飞机 / 纸飞机: its paper-plane icon): ordinary words too, so a reader takes them
for a cue only before ``号`` / ``:`` / ``@``."""
OTHER_MESSENGER_CUE = rf"(?:{TELEGRAM_NAME}|{TELEGRAM_NICKNAME})"
"""Words that announce a Telegram account (:data:`TELEGRAM_NAME`, :data:`TELEGRAM_NICKNAME`)."""
PLATFORM_CUE = (r"(?:微博|抖音|快手|小红书|视频号|[Bb]站|闲鱼|推特|[Tt]ik[Tt]ok|(?<![A-Za-z])(?:[Ii]nstagram|[Ff]acebook)|"
                r"[蓝红黄绿黑白]色?软件|软件(?=\s*搜))")
"""Platforms a seller is to be found on, by a handle after ``号`` / ``ID`` / ``:`` (抖音号：…, 小红书ID …) or a search
(小红书搜 …, 蓝色软件搜 …: the app named by its colour). A plain 软件 only before 搜: ``推荐使用软件：WPS`` names a product."""
TELEGRAM_LINK = re.compile(r"(?:https?://)?(?<![A-Za-z0-9.])(?:t|telegram)\.me/[A-Za-z0-9_+/-]+", re.IGNORECASE)
"""A Telegram link to a person or group (t.me/kjwl666, https://telegram.me/joinchat/…)."""
PROVINCE_ABBREVIATIONS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LICENCE_PLATE = re.compile(
    rf"[{PROVINCE_ABBREVIATIONS}]\s?[A-Z](?:\s?[·.\-]?\s?)(?=(?:[A-Z]?\s?){{0,4}}\d\s?(?:[A-Z]?\s?){{0,4}}\d)"
    r"(?:[A-Z0-9]\s?){4,5}[A-Z0-9](?![A-Za-z0-9])"
)
"""A mainland licence plate: a province's abbreviation, the city's letter, then five characters (six on a new-energy
plate), letters and digits with at least two digits, as people write it (津A·12345, 津 B 9X7Z8, 津AD12345, 津A 12345).
Upper-case letters only: 新A轮 or 苏e is no plate."""
_ADDRESS_CHAIN = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9-]++(?:\s*+(?:\.|点)\s*+[A-Za-z0-9-]++)*+")
_ADDRESS_DOT = re.compile(r"\s*(?:\.|点)\s*")
TOP_LEVEL_DOMAINS = frozenset(["com", "cn", "net", "org", "top", "xyz", "vip", "cc", "io", "shop", "club", "info", "me"])


def spelled_web_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Where a web address is written with ``点`` for (one of) its dots, to get past link filters (www点kjwl点com,
    kjwl点cn): labels joined by dots, one of them a ``点``, beginning with www or ending with a top-level domain, and
    no government site (tianjin点gov点cn). An address written with dots (mofcom.gov.cn) names an organisation and is
    left to the reader. One scan of the text: chains of labels never overlap."""
    for m in _ADDRESS_CHAIN.finditer(text):
        if "点" in m.group():
            labels = _ADDRESS_DOT.split(m.group().lower())
            if (labels[0] == "www" or labels[-1] in TOP_LEVEL_DOMAINS) and "gov" not in labels:
                yield m.span()
