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

Street addresses (:func:`address_spans`) and the 汉字 names a text marks as a person's (:func:`cued_name_spans`: after
联系人、同事、市民 …, before 先生/教授 …, on a letter's signature lines; :func:`names_beside` a phone number) live here
too, so that group titles leave out what redaction masks.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

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

_WECHAT_WORDS = (r"[微薇威徽危维胃卫魏嶶]\s*[信❤♥💗💕心芯]|[Vv]\s*(?:[❤♥💗💕]\s*)?[信❤♥xX]|wx|WX|weixin|WeChat|wechat|WECHAT|"
                 r"绿色?泡泡")
WECHAT_CUE = (rf"(?:{_WECHAT_WORDS}|(?:加|➕|\+|添加)\s*(?:[Vv]|微|薇|威)|(?<![A-Za-z0-9])[Vv](?=\s*:)|"
              r"(?<![\u4e00-\u9fff])微(?=\s*:))")
"""Words that announce a WeChat account, in the spellings used to get past keyword filters (薇❤, V信, v❤x, ➕V, V:, 微:,
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


# -- addresses -------------------------------------------------------------------------------------

_ADDRESS_NUMBER = "[0-9一二三四五六七八九十百零〇两]+"
_ADDRESS_UNIT = "(?:号楼|号院|栋|幢|座|楼|门|单元|层|室|户|号|院|排)"
_FLAT_IN_HANS = "[〇零一二三四五六七八九]{3,4}"
"""A flat number in 汉字 digits (六〇二), too short a run for normalise to read as digits."""
_FLAT_TRIPLE = r"\d{1,3}-\d{1,2}-\d{3,4}"
"""Building-entrance-flat as people write it after an estate's name (芳水园7-3-201)."""
# A house on a road: the road's name (hanzi, not across 区/市/县… or 住在/地址), 路/街/巷/胡同/弄/道 (not 通道, 车道 …),
# a number and 号, then any building, entrance, unit, floor and flat (35号3门401, 18号2号楼3单元502室). A flat in a
# housing estate, down to the flat (阳光小区3号楼2单元401室; a building or a staircase alone, 恒大雅苑26栋, 领御小区9栋3单元,
# holds many homes and stays). The district and the road named alone (友谊路, 滨海新区, 园区) stay.
_NOT_A_FLAT_AFTER = r"(?![\d年月日万亿元米平家个人户套间名层栋座幢次份位多余%.\-])"
"""What follows a number that counts or dates something (1000平方米, 2024年, 3000多家) rather than numbering a flat."""
_STREET_ADDRESS = re.compile(
    r"(?:(?![区县市省镇乡村住在址是为于到的和与及、])[\u4e00-\u9fff]){1,6}(?:大街|大道|路|街|巷|胡同|弄|"
    # a road ending in 道 (most of Tianjin's: 多伦道, 鞍山西道), not a passage, channel or lane (绿色通道1号, 1号车道)
    r"(?<![通渠频车跑赛轨管隧街知报航坡栈铁步味人门主公水便])道"
    # a lane (Tianjin's 里: 幸福里14号), not 这里, 公里, 家里, 村里 …
    r"|(?<![这那哪心城家村区市县厂店园手眼夜公千万百邻故表内外屋院楼局处所])里(?=\d))"
    rf"{_ADDRESS_NUMBER}号院?(?:[-\s]?(?:{_ADDRESS_NUMBER}|[A-Za-z]\d*){_ADDRESS_UNIT}?)*"
    r"|(?:(?![区县市省镇乡村住在址是为于到的和与及、])[\u4e00-\u9fff]){1,8}(?:小区|花园|家园|公寓|新村|新城|大厦|公馆|苑|园|里)"
    rf"\s*(?:(?:{_ADDRESS_NUMBER}(?:号楼|栋|幢|座)|[A-Z]\s?座)(?:[-\s]?{_ADDRESS_NUMBER}(?:单元|门))?[-\s]?"
    rf"(?:\d{{3,4}}(?:室|号|户)?|{_FLAT_IN_HANS}(?:室|号|户)?|{_ADDRESS_NUMBER}(?:室|户))|{_FLAT_TRIPLE})(?!\d)"
    # building, entrance and flat, wherever they are (12栋3门402, 三号楼二门六〇二): specific enough on their own
    rf"|{_ADDRESS_NUMBER}(?:号楼|栋|幢|座)[-\s]?{_ADDRESS_NUMBER}(?:单元|门)[-\s]?"
    rf"(?:\d{{3,4}}(?:室|号|户)?|{_FLAT_IN_HANS}(?:室|号|户)?|{_ADDRESS_NUMBER}(?:室|户))(?!\d)"
    # a building and a flat (5号楼1203, 三号楼一二零三), a tower and a room (南京路某某大厦1801): not 2号楼3层, 大楼1000平方米, 3号楼2024年
    rf"|{_ADDRESS_NUMBER}(?:号楼|栋|幢)[-\s]?(?:\d{{3,4}}|{_FLAT_IN_HANS}(?![〇零一二三四五六七八九]))(?:室|号)?{_NOT_A_FLAT_AFTER}"
    r"|(?:(?![区县市省镇乡村住在址是为于到的和与及、])[\u4e00-\u9fff]){0,8}(?:大厦|公寓|大楼|写字楼)\s*\d{3,4}(?:室|号)?"
    + _NOT_A_FLAT_AFTER
)
# A house in a village: its team, group or row and number after the village (小街村三队45号, 徐庄子村东区十八排六号).
_VILLAGE_HOUSE = re.compile(
    rf"[村庄屯](?:[东西南北中]?区|[东西南北]头)?(?P<house>{_ADDRESS_NUMBER}(?:队|组|排|巷|条|社){_ADDRESS_NUMBER}号(?:院)?)"
)


_ADDRESS_GATE = re.compile(rf"{_ADDRESS_NUMBER[:-1]}\s*(?:号|栋|幢|座|单元|门|队|组|排|巷|条|社)|\d-\d|[A-Z]\s?座|"
                           r"(?:大厦|公寓|大楼|写字楼)\s*\d")
"""A number and an address unit (or a dash between digits, or a lettered tower): every address pattern holds one, and
most texts have none (部门, 座谈) and skip the patterns, whose leading run of 汉字 is tried at every position."""


_ADDRESS_UNIT_CHAR = re.compile("[号栋幢座元门队组排巷条社厦寓楼-]")
# A flat written in English: a flat or apartment and its number (Flat 1203, Apt. 801), a room, suite or unit with its
# building (Room 1502, Building 3); three digits at least, no quantity after it (unit 100 pieces), a room alone
# (meeting in Room 301) stays.
_LATIN_FLAT = re.compile(
    r"(?<![A-Za-z])(?:(?i:flat|apt\.?|apartment)|(?P<room>(?i:room|rm\.?|suite|unit)))\s*#?\s*\d{3,5}[A-Za-z]?"
    r"(?![\dA-Za-z])(?!\s*(?i:%|pieces|pcs|units|usd|dollars|yuan|rmb|kg|sqm|sq|m2))"
    r"(?(room)\s*,?\s*(?i:building|bldg\.?|block|tower)\s*#?\s*[0-9A-Za-z]{1,3}(?![\dA-Za-z]))"
)
_LATIN_FLAT_GATE = re.compile(r"[RrFfAaSsUu][OoMmLlPpUuNn]")
"""Two letters a flat's English word begins with (ro, rm, fl, ap, su, un): cheaper than the words case-insensitively."""
_BEFORE_GATE, _AFTER_GATE = 24, 40
"""How far an address reaches before and after the number and unit the gate found (a road or estate of at most 8
汉字, its suffix and number; building, entrance, flat)."""


_HERITAGE_AFTER = re.compile(r"[^，,。；;！!？?\n我家住寄收]{0,8}?(?:历史风貌建筑|风貌建筑|历史建筑|历史文化|文物保护|文保单位|故居|旧居|旧址|"
                             r"纪念馆|博物馆)")
"""What says that the house numbered before it, in the same clause, is a historic building (明星里8号一幢有着丰富历史
文化积淀的建筑, 明星里8号这样的历史风貌建筑): its number is on the city's heritage list, nobody's home address. Not when
the writer's home, a parcel or a flat comes in (寄到友谊路35号3门401我家里那栋楼也是历史建筑): see :func:`_heritage`."""
_INSTITUTION_AFTER = re.compile(r"的?(?:(?![我你他她家住寄收])[\u4e00-\u9fff]){0,6}?(?:集团|公司|职业学校|学校|学院|大学|中学|小学|幼儿园|医院|卫生院|"
                                r"垃圾站|小区|市场|商场|酒店|宾馆|银行|法院|派出所|人民政府)(?![\u4e00-\u9fff]{0,2}[宿住])")
"""An institution or a whole estate right after the house number (星沙螺丝塘路9号华中集团, 黄茶路89号华泰职业学校食堂,
翊武东路410号垃圾站, 城南路100号南苑小区): the number is that institution's or estate's, a public address, nobody's home
(an estate alone stays too, see :data:`_STREET_ADDRESS`); not its dormitory (煤建公司宿舍)."""
_HOME_BEFORE = re.compile("[住家寄收送到]")
_FLAT_UNIT = re.compile("门|单元|室|户|号\\D*\\d{3}")


def _heritage(probe: str, start: int, end: int) -> bool:
    """Whether the street address ``probe[start:end]`` is a historic building's or an institution's: heritage words
    follow in its clause or an institution right after it, it numbers no flat, and no word before it says it is where
    somebody lives or gets mail."""
    return bool(_HERITAGE_AFTER.match(probe, end) or _INSTITUTION_AFTER.match(probe, end)) \
        and not _FLAT_UNIT.search(probe, start, end) and not _HOME_BEFORE.search(probe, max(0, start - 4), start)


def address_spans(probe: str) -> list[tuple[int, int]]:
    """Street addresses, flats and village houses, looked for only around what :data:`_ADDRESS_GATE` finds: the
    patterns begin with a run of 汉字 that the regex engine would try at every position of a long text."""
    windows: list[list[int]] = []
    spans = [m.span() for m in _LATIN_FLAT.finditer(probe)] if _LATIN_FLAT_GATE.search(probe) else []
    if not _ADDRESS_UNIT_CHAR.search(probe):  # (one character class: cheaper than the gate's numbers first)
        return spans
    for m in _ADDRESS_GATE.finditer(probe):
        start, end = max(0, m.start() - _BEFORE_GATE), m.end() + _AFTER_GATE
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    for start, end in windows:
        spans += [m.span() for m in _STREET_ADDRESS.finditer(probe, start, end) if not _heritage(probe, *m.span())]
        spans += [m.span("house") for m in _VILLAGE_HOUSE.finditer(probe, start, end)]
    return spans


# -- names -----------------------------------------------------------------------------------------

COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "端木", "轩辕", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史", "申屠", "钟离", "闻人", "万俟", "濮阳", "第五"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢"
    "安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游"
    "辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝阎"
)
#: The surnames in traditional characters (opencc s2t; a test checks): 联系人：劉建國 is a name too.
SURNAMES_TRADITIONAL = ("劉叢吳呂喬單嚴塗婁孫宮寧嶽師張應於時楊榮欒歐湯溫畢盧竇範簡紀繆羅聶莊華萬葉蔣藍蘆蘇蘭衛許謝譚費賀賈趙車"
                         "農連遊遲邊鄒鄔鄧鄭鄺錢鍾閆閔閻關陳陸陽鞏韋韓項顏顧餘饒馬馮駱魯鮑麥黃黨齊龍龐龔")
COMPOUND_SURNAMES_TRADITIONAL = ["歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅", "獨孤", "南宮", "西門", "澹臺",
                                  "鍾離", "聞人", "濮陽"]
_SURNAME_PATTERN = ("(?:" + "|".join(COMPOUND_SURNAMES + COMPOUND_SURNAMES_TRADITIONAL) + "|["
                    + SURNAMES + SURNAMES_TRADITIONAL + "])")
# Words that start with a surname character and often follow 我是 / 本人 without being names.
_NOT_NAMES = ("江苏", "江西", "安徽", "甘肃", "宁夏", "武清", "宁河", "商户", "商家", "华人", "华侨", "常住", "本地")
# A name may be split by a space, a dot, a dash or a star between its characters (赵 丽 华, 孙.海.涛, 孙·海涛, 程-志-远).
_NAME_AFTER_CUE = _SURNAME_PATTERN + r"(?:[ \t·.\-_*]{0,2}[\u4e00-\u9fff]){1,2}"
# What follows a name: punctuation, a contact detail, or a verb of saying (联系人王建国表示, 市民张秀英反映)
_SAYING = "说|认为|表示|指出|反映|提出|建议|希望|沟通|介绍|提到|告诉|也|都|等"
_NAME_END = r"(?=[,，。.;；、\s:()（）!！?？]|电话|手机|联系|邮箱|身份证|" + _SAYING + "|$)"
_CUE_WORDS = (r"(?:联系人|聯繫人|聯絡人|(?:请|可|可以|欢迎|或)联系|姓名|我叫|本人|我是|署名|提出人|意见人|提交人|反映人|建议人|填表人|经办人|"
              r"负责人|签名|落款|户名|开户名|收款人|经营者|法定代表人|法人代表|法人|业主|店主|个体工商户|个体户|名字叫|名字是|名叫|"
              r"鄙人|发件人|收件人|寄件人|收货人|投诉人|举报人|签字|"
              r"审核人|审批人|复核人|核稿人|制表人|填报人|签发人|起草人|执笔人|联络人|对接人)[:\s]*"
              # (是 / 为 only after a cue that names a role: 法人代表是马国庆; 本人是高中生 says what, not who)
              r"(?:(?<=代表|表人|责人|营者|系人|姓名|名字)[是为][:\s]*)?")
# A name after a cue, or a 汉字 surname with the given name as Latin initials (联系人：刘 J.G., 姓名：王JG): one scan.
_NAME_CUE = re.compile(
    _CUE_WORDS + r"(?!" + "|".join(_NOT_NAMES) + ")(?:(" + _NAME_AFTER_CUE + ")" + _NAME_END
    + "|(?P<initials>" + _SURNAME_PATTERN + r"[ \t]*(?:[A-Z]\.?[ \t]?[A-Z]\.?|[A-Z]\.))(?![A-Za-z0-9])"
    # a name in parts joined by a middle dot, as Uyghur, Kazakh or foreign names are written (阿卜杜拉·买买提)
    + r"|(?P<dotted>[\u4e00-\u9fff]{2,6}·[\u4e00-\u9fff]{2,8})" + _NAME_END + ")"
)
# Any role of a person before a colon (申请人：, 留言人：, 来电人：, 联络员：, 企业代表：): the colon says a name follows.
_ROLE_CUE = re.compile(r"(?:[\u4e00-\u9fff]{0,3}(?:人|员)|代表)[ \t]*:[ \t]*(" + _NAME_AFTER_CUE + ")" + _NAME_END)
_ROLE_COLON = re.compile(r"(?:人|员|代表)[ \t]*:")

_WEAK_CUES = frozenset(["我是", "本人", "鄙人"])
"""Cue words also said of a company or a place: a name in parts (阿卜杜拉·买买提) only after a stronger one."""
# Weaker cues: a person's relation to the writer (同事, 邻居 …), a resident (市民), or a position (秘书长 韩志刚). The name
# must end at punctuation, a list word or a verb of saying, and be no common word (和企业, 儿子高考: _related_name).
_RELATION_WORDS = ("同事", "同学", "朋友", "邻居", "丈夫", "妻子", "爱人", "老公", "老伴", "父亲", "母亲", "儿子", "女儿", "市民",
                   "村民", "居民", "秘书长", "会长", "理事长", "董事长", "经理", "主任",
                   # family, partners and people at work (h15: 岳父潘德胜, 我妹妹韦丽娟, 老板汪建军让我)
                   "岳父", "岳母", "公公", "婆婆", "哥哥", "姐姐", "弟弟", "妹妹", "表哥", "表姐", "表弟", "表妹", "堂哥",
                   "堂弟", "侄子", "侄女", "外甥", "舅舅", "叔叔", "姑姑", "老板", "合伙人", "业务员", "师傅", "徒弟")
_RELATION_WORD = re.compile("|".join(_RELATION_WORDS))
_RESIDENTS = ("市民", "村民", "居民")
_DOING = "在|让|带|跟|给|做|开|一起|负责|讲|是"
_RELATION_CUE = re.compile(
    r"(?:同事|同学|朋友|邻居|丈夫|妻子|爱人|老公(?!司)|老伴|父亲|母亲|儿子|女儿|市民|村民|居民|"
    r"秘书长|会长|副会长|理事长|董事长|总经理|经理|副经理|主任|副主任|"
    r"岳父|岳母|公公|婆婆|哥哥|姐姐|弟弟|妹妹|表哥|表姐|表弟|表妹|堂哥|堂弟|侄子|侄女|外甥|舅舅|叔叔|姑姑|老板(?!娘)|合伙人|业务员|"
    r"师傅|徒弟)[:\s]*(?:叫|名叫)?"
    # (a name is followed by punctuation, a list word, a verb of saying or what a person does next: 儿子崔浩然在…,
    # 老板汪建军让我…, 老伴严国庆一起写的)
    r"(?P<name>" + _NAME_AFTER_CUE + r")(?=[,，。;；、\s:()（）!！?？]|和|" + _SAYING + "|" + _DOING + "|$)"
)
# More names in a list after a name (陈志强、周美玲都认为 …, 张伟和李娜).
_NAME_LIST = re.compile(
    r"[ \t]*(?:、|和|与|及|,|，)[ \t]*(" + _SURNAME_PATTERN + r"[\u4e00-\u9fff]{1,2})(?=[,，。;；、\s()（）!！?？]|都|也|等|$)"
)
_RELATION_DROP = re.compile("[ \t·.\\-_*]")
# A full name before a form of address (刘建国先生, 李娜女士): the surname alone (王先生) says too little to mask. Before a
# title (教授, 经理 …) only a name of three characters or more (李红霞教授): 高中老师, 项目经理 are words.
_FORM_OF_ADDRESS = re.compile("先生|女士|小姐|教授|老师|经理|主任|律师|博士|同志|会长|秘书长")
_LONG_NAME_TITLES = frozenset(["教授", "老师", "经理", "主任", "律师", "博士", "同志", "会长", "秘书长"])
#: Last characters of a school, a class or a unit before a title (师附中老师, 高二的老师, 项目副主任): no given name.
_NOT_GIVEN_NAME_END = frozenset("中学校的副级年班部院所组科处室局区县市镇村")
#: Surname characters that are more often a word before a name (感谢李娜女士, 张先生和李女士, 向刘建国先生).
_BEFORE_A_NAME = frozenset("和向于谢时同")


def _titled_names(probe: str) -> Iterator[tuple[int, int]]:
    """The longest name (4 characters with a compound surname, 3, 2) right before each 先生/女士/小姐."""
    for m in _FORM_OF_ADDRESS.finditer(probe):
        end = m.start()
        for size in (4, 3, 2) if m.group() not in _LONG_NAME_TITLES else (4, 3):
            word = probe[max(0, end - size):end]
            surname = word[:2] if size == 4 else word[:1]
            if (len(word) == size and re.fullmatch(r"[\u4e00-\u9fff]+", word) and word[0] not in _BEFORE_A_NAME
                    and (surname in COMPOUND_SURNAMES if size == 4 else surname in SURNAMES)
                    and (_cued_name(word) if m.group() in ("先生", "女士", "小姐") else _weakly_cued_name(word))
                    and (size == 2 or word[-1] not in _NOT_GIVEN_NAME_END)):
                yield end - size, end
                break
#: Ordinary words a submitter might type as a "name" that still pass the surname test.
ORDINARY_WORDS = frozenset(re.findall(r"\S+",
    "高质量 高水平 高标准 高新区 金融 安全 方便 管理 成本 周边 黄金 龙头 文化 万家 江苏 江西 安徽 宁夏 甘肃 平台 商家 商户 "
    "华人 华侨 常住 本地 时间 程序 国家 全国 全市 全面 全部 应当 应该 和平 明确 明年 明天 公司 公众 公开 "
    "东方 南方 西方 北方 东部 西部 南部 北部 东北 西南 东南 西北 百姓 老百姓 匿名 无名 网友 市民 群众 居民 个人 本人 "
    "关于 关注 关键 关心 关系 方面 方式 方法 方案 方向 建议 项目 简单 单位 向前 向上 于是 任何 任务 任意 文件 文明 司法 连续 车辆 车间 吉祥 "
    "谢谢 祝好 贺信 贾某 王某 张某 李某 刘某 周一 周二 周三 周四 周五 周六 周日 周末 常用 常年 全天 白天 晚上 同号 "
    "万分感谢 万望"))


#: Last characters of an office or organisation a cue word can precede (请联系商务局, 可联系海关).
_ORGANISATION_ENDINGS = frozenset("局处厅委办部会所院司馆站科队署关台室组")


def _cued_name(word: str) -> bool:
    """A word after a cue (联系人：, 请联系 …) is taken for a name unless it is an ordinary word or an office."""
    return word not in ORDINARY_WORDS and word[-1] not in _ORGANISATION_ENDINGS


@lru_cache(maxsize=1)
def dictionary_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary entries that start with a common surname: word → (frequency, part of speech). Read from its
    dict.txt (~63,000 words, ~0.1 s) once per process, and only when a name candidate without a strong cue is met;
    jieba itself is not imported."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return {}
    words = {}
    with open(os.path.join(os.path.dirname(spec.origin), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            if line[0] in SURNAMES or line[:2] in COMPOUND_SURNAMES:
                word, freq, tag = line.split()[:3]
                words[word] = (int(freq), tag)
    return words


_COMMON = 20
"""A dictionary word this frequent is a word, not a name (jieba's dictionary holds rare junk: 马国 2, 司员 4)."""


def known_word(word: str) -> bool:
    """Whether jieba's dictionary knows ``word`` (or, for three characters, its first two) as a common word that is no
    name: 高考, 高中生, 方便, 周末 (not 王伟, 李娜, tagged nr; not 马国庆, whose 马国 is rare)."""
    words = dictionary_words()
    for part in (word, word[:2]) if len(word) == 3 else (word,):
        entry = words.get(part)
        if entry and entry[0] >= _COMMON and not entry[1].startswith("nr"):
            return True
    return False


def _weakly_cued_name(word: str) -> bool:
    """A name where the text says less than 联系人： (after 我是, 同事, beside a phone number, on a signature line …):
    also no common word of jieba's dictionary (儿子高考，, 我是高中生，)."""
    return _cued_name(word) and word[0] not in _BEFORE_A_NAME and "某" not in word and not known_word(word)


def _related_name(word: str) -> bool:
    """A name after a relation or in a list (同事陈志强、周美玲): a surname with a form of address (市民王女士, 同事王总)
    names nobody there, and staff wording that says so must not be held back."""
    return _weakly_cued_name(word) and not _TITLE_ENDING.search(word)


def _plain_cued(word: str) -> str:
    return _RELATION_DROP.sub("", word)


# 姓王名建国; a full name in brackets after a nickname (小李（李晓明）, 老王(王建国)).
_SPLIT_NAME = re.compile(r"姓(" + _SURNAME_PATTERN + r")[,，\s]*名([\u4e00-\u9fff]{1,2})(?=[,，。;；、\s()（）!！?？]|$)")
_NICKNAME_NAME = re.compile(r"[小老]" + _SURNAME_PATTERN + r"[ \t]*[(（][ \t]*(" + _SURNAME_PATTERN
                            + r"[\u4e00-\u9fff]{1,2})[ \t]*[)）]")


# Names listed after a count of people and a colon (合伙人有三位：任小兵、石慧、龚卫红): two names at least.
_COUNTED_LIST = re.compile(r"[0-9一二两三四五六七八九十]+(?:位|个人|名|人)[^\n:]{0,4}:[ \t]*(" + _SURNAME_PATTERN
                           + r"[\u4e00-\u9fff]{1,2})(?=[ \t]*[、,，和与及])")
# A name the text says wrote or gave the comment (本意见由“阎春花”提出).
_BY_NAME = re.compile(r"由[ \t]*[“\"「『]?(" + _NAME_AFTER_CUE + r")[”\"」』]?[ \t]*(?=提出|提交|反映|撰写|执笔|填写|起草|签字|签名)")


def _more_names(probe: str, end: int) -> Iterator[tuple[int, int]]:
    """Names listed right after a name that ends at ``end`` (陈志强、周美玲, 张伟和李娜)."""
    while (m := _NAME_LIST.match(probe, end)) and _related_name(m.group(1)):
        yield m.span(1)
        end = m.end(1)


def _cued_names(probe: str) -> Iterator[tuple[int, int]]:
    """Names the text marks as a person's: after a cue (联系人：王建国, 意见人：赵 丽 华), after a relation or a position
    (同事陈志强, 市民张秀英, 秘书长 韩志刚), and the names listed after one of them."""
    for m in _NAME_CUE.finditer(probe):
        if m.group("initials"):
            yield m.span("initials")
        elif m.group("dotted"):
            if probe[m.start():m.start() + 2] not in _WEAK_CUES:  # 我是天津·滨海的企业: a place
                yield m.span("dotted")
        elif (_weakly_cued_name if probe[m.start():m.start() + 2] in _WEAK_CUES else _cued_name)(_plain_cued(m.group(1))):
            yield m.span(1)
            yield from _more_names(probe, m.end(1))
    if ":" in probe and _ROLE_COLON.search(probe):
        yield from (m.span(1) for m in _ROLE_CUE.finditer(probe) if _weakly_cued_name(_plain_cued(m.group(1))))
    if "名" in probe:
        yield from (m.span() for m in _SPLIT_NAME.finditer(probe))
    if "(" in probe or "（" in probe:
        yield from (m.span(1) for m in _NICKNAME_NAME.finditer(probe) if _weakly_cued_name(m.group(1)))
    if ":" in probe:
        for m in _COUNTED_LIST.finditer(probe):
            more = list(_more_names(probe, m.end(1)))
            if more and _related_name(m.group(1)):
                yield m.span(1)
                yield from more
    if "由" in probe:
        yield from (m.span(1) for m in _BY_NAME.finditer(probe) if _beside_name(_plain_cued(m.group(1))))
    if not _RELATION_WORD.search(probe):  # (a search for the words alone is far cheaper than the scan)
        return
    for m in _RELATION_CUE.finditer(probe):
        name = _plain_cued(m.group("name"))
        # (after 市民 / 居民 a full name of three characters: 居民阳光 is a word)
        resident = probe[m.start():m.start() + 2] in _RESIDENTS
        if _related_name(name) and (3 if resident else 2) <= len(name) <= 4:
            yield m.span("name")
            yield from _more_names(probe, m.end("name"))


# A name right beside a phone number, an e-mail address or an ID number, with no cue word (王建华 186…, 电话138…（李明轩）,
# 钟丽华/136…):
# a word of two or three 汉字 standing alone (not the end of a longer word), before it or in brackets or after a space.
_NAME_BEFORE_CONTACT = re.compile(r"(?<![\u4e00-\u9fff])(" + _SURNAME_PATTERN + r"[\u4e00-\u9fff]{1,2})[ \t:：<(（/]*$")
_NAME_AFTER_CONTACT = re.compile(
    r"[ \t]*[(（][ \t]*(" + _SURNAME_PATTERN + r"[\u4e00-\u9fff]{1,2})[ \t]*[)）]"
    r"|(?:[ \t]+|[ \t]*/[ \t]*)(" + _SURNAME_PATTERN + r"[\u4e00-\u9fff]{1,2})(?=[ \t]*(?:[,，。;；\n]|$))"
)


def names_beside(probe: str, contacts: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Names right before or after the ``contacts`` (spans of ``probe``: phone numbers, e-mail addresses …)."""
    for start, end in contacts:
        if (m := _NAME_BEFORE_CONTACT.search(probe, max(0, start - 8), start)) and _beside_name(m.group(1)):
            yield m.span(1)
        if (m := _NAME_AFTER_CONTACT.match(probe, end)) and _beside_name(m.group(1) or m.group(2)):
            yield m.span(1 if m.group(1) else 2)


def _beside_name(word: str) -> bool:
    """A surname with a form of address (王先生, 曹总) is no full name; 周末, 常用 are words."""
    return (_weakly_cued_name(word) and word[-1] not in _NOT_GIVEN_NAME_END
            and not _TITLE_ENDING.search(word))


_TITLE_ENDING = re.compile("(?:先生|女士|小姐|总|经理|老师|主任)$")


# A letter signed with a name on a line of its own (…此致 / 敬礼！/ 李卫东 / 2024年10月5日): one of the last three lines,
# only a name (after a position: 秘书长 韩志刚), below a closing formula or an organisation, or above a date. Also after
# the organisation on the same line (天津市跨境电子商务协会 王建国, …有限公司（盖章） 刘洋 2024.10.8): at the line's end
# or before a date.
_ORGANISATION = (r"[\u4e00-\u9fff()（）]{2,30}?(?:公司|协会|商会|联合会|研究会|促进会|中心|集团|委员会|研究院|事务所|"
                 r"合作社|商行|工作室)(?:[ \t]*[(（][^)）\n]{1,6}[)）])?")
_STAFF_WORDS = frozenset(["高管", "董事", "监事", "股东", "员工", "职工", "全体", "同仁", "党委", "党支部", "工会"])
"""Who signs for an organisation without naming anybody (天津某某有限公司 高管, 某某协会 党支部)."""
_SIGNATURE_NAME = re.compile(
    # (a date may come first: 2024.10.09 宋佳琪; a remark in brackets after: 宋佳琪（个人意见）)
    r"[ \t]*(?P<date>(?:\d{4}|[〇零一二三四五六七八九]{4})[年.\-/]\S*[ \t]+)?"
    r"(?:(?P<organisation>" + _ORGANISATION + r")[ \t]+)?"
    r"(?P<position>(?:秘书长|副?会长|理事长|董事长|总经理|副?经理|副?主任|负责人|法人代表|代表)[ \t:：]*)?"
    r"(?P<name>" + _NAME_AFTER_CUE + r")(?:[ \t]*[(（][^)）\n]{1,10}[)）])?[ \t]*[,，。.!！]?[ \t]*"
    # (a whole date after: 2024年10月8日, 2024.10.8; not a year before more words: 李宁 2024年推出的新品)
    r"(?P<date_after>(?<=[ \t])(?:\d{4}|[〇零一二三四五六七八九]{4})[ \t]*[年.\-/][ \t]*(?:\d{1,2}|[〇一二三四五六七八九十]{1,2})"
    r"[ \t]*[月.\-/][ \t]*(?:\d{1,2}|[〇一二三四五六七八九十]{1,3})[ \t]*日?[ \t]*)?"
)
_CLOSING = re.compile(r"此致|敬礼|谢谢|以上(?:意见|建议)|特此|供参考|请予|盼复|妥否|(?:公司|协会|商会|联合会|研究会|促进会|中心|集团)\s*$|"
                      r"(?i:regards|sincerely|best wishes|thanks|yours)\W*$")
_DATE_LINE = re.compile(r"\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*[年.\-/]")


def _signature_names(probe: str) -> Iterator[tuple[int, int]]:
    """Names on a letter's signature lines (see _SIGNATURE_NAME)."""
    lines = [m for m in re.finditer(r"[^\n]+", probe) if m.group().strip()]
    for k in range(max(0, len(lines) - 3), len(lines)):
        m = _SIGNATURE_NAME.fullmatch(probe, lines[k].start(), lines[k].end())
        if not m:
            continue
        name = _plain_cued(m.group("name"))
        if not (2 <= len(name) <= 4 and _beside_name(name)):
            continue
        if m.group("organisation") and name in _STAFF_WORDS:
            continue  # (天津某某有限公司 高管: who signs, not a name)
        if k == 0 and not (m.group("organisation") and m.group("date_after")):
            continue  # (a first line is a title or a greeting, unless it is a whole signature: organisation, name, date)
        if m.group("date_after") and not m.group("organisation"):
            continue  # (a name and a date alone on a line: only the date-first form above is a signature)
        if m.group("position") or m.group("date") or m.group("organisation") or _CLOSING.search(lines[k - 1].group()) \
                or (k + 1 < len(lines) and _DATE_LINE.match(lines[k + 1].group())):
            yield m.span("name")


#: Characters common in given names (written from general knowledge): a surname followed by two of them, in no word of
#: jieba's dictionary, is read as a name even without a cue (赵振宇开着货车, 听做海外仓的郭淑芬讲).
GIVEN_NAME_CHARACTERS = frozenset(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞辉建国志文海晓宇振淑芬栋东凯浩然德胜兰梅雪博雨桐豪佳琪慧兵卫"
    "春花婷燕亮斌波宁琳晨欣颖倩洁莉君彬峰俊鑫坤龙健锋旭琴薇蕾婧璐瑶怡萱涵钰铭昊睿轩泽秋菊凤霖")
_PLACE_AFTER = frozenset("苑园市镇馆店厂楼场村庄乡区县路街道湾城港院校厦府里巷")
"""What follows a place or a shop named like a person (金鹏佳苑, 明伟花园): no name ends there."""
_FAMOUS = 100
"""A three-character name this frequent in jieba's dictionary is a public figure or a thing (毛泽东 8994, 白玉兰 270;
王建国 12, 陈志强 3)."""
_BEFORE_PLACE_NAME = frozenset("路街道巷")
"""A road's last character: what follows it is a house, a shop or a tree on that road (文溪路吉丽洁洗涤中心)."""
_NAME_BEFORE_WORDS = frozenset("的是叫给找问让被跟与")
"""Before a surname that is also a word (于, 和, 同 …): what makes it a surname (报关的于海涛)."""
_MEMORIAL = re.compile("纪念馆|纪念堂|纪念碑|故居|旧居|旧址|铜像|雕像|塑像|陵园|墓")
"""What is named after a public figure (周恩来邓颖超纪念馆, 李叔同故居): the name before it is nobody's personal data."""


@lru_cache(maxsize=1)
def _jieba_bigrams() -> tuple[tuple[str, int, str], ...]:
    """(word, frequency, tag) of every two-character word of jieba's dictionary, read once per process and only when
    a bare name candidate is met; empty without jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return ()
    entries = []
    with open(os.path.join(os.path.dirname(spec.origin), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            word, freq, tag = line.split()[:3]
            if len(word) == 2:
                entries.append((word, int(freq), tag))
    return tuple(entries)


@lru_cache(maxsize=1)
def common_bigrams() -> frozenset[str]:
    """Two-character words of jieba's dictionary at least :data:`_COMMON` frequent and no name (超市, 花园, 关于, 一张)."""
    return frozenset(word for word, freq, tag in _jieba_bigrams() if freq >= _COMMON and not tag.startswith("nr"))


@lru_cache(maxsize=1)
def place_bigrams() -> frozenset[str]:
    """Two-character place words of jieba's dictionary at any frequency (花海 15 ns): a name does not end inside one."""
    return frozenset(word for word, _, tag in _jieba_bigrams() if tag.startswith("ns"))


_GIVEN = "[" + "".join(sorted(GIVEN_NAME_CHARACTERS)) + "]"
_BARE_NAME = re.compile("[" + SURNAMES + "](?=" + _GIVEN + "{2})")
_SPACED_BARE_NAME = re.compile("([" + SURNAMES + "])[ \t·]{1,2}(" + _GIVEN + ")[ \t·]{1,2}(" + _GIVEN + ")")
"""The same name split by spaces or dots (张 振 宇)."""


@lru_cache(maxsize=4096)
def _bare_name(word: str, before: str, after: str) -> bool:
    """Whether ``word`` (a surname and two given-name characters) between ``before`` and ``after`` is a name."""
    if word in ORDINARY_WORDS or known_word(word) or after in _PLACE_AFTER or before in _BEFORE_PLACE_NAME:
        return False
    if word[0] in _BEFORE_PLACE_NAME and re.match(r"[\u4e00-\u9fff]", before):
        return False  # 柏园路玉兰树: the road's 路, not a surname
    if dictionary_words().get(word, (0, ""))[0] >= _FAMOUS:
        return False  # 毛泽东思想, 白玉兰: a public figure or a thing the dictionary knows well
    bigrams = common_bigrams()
    if before + word[0] in bigrams or word[2] + after in bigrams:
        return False
    return not (word[0] in _BEFORE_A_NAME and re.match(r"[\u4e00-\u9fff]", before) and before not in _NAME_BEFORE_WORDS)


def bare_name_spans(probe: str) -> list[tuple[int, int]]:
    """Three-character names without a cue: a common surname and two given-name characters (赵振宇, 郭淑芬, also spaced:
    张 振 宇) that no word of jieba's dictionary holds, not a place or a shop (盛泽超市, 金鹏佳苑, 文溪路吉丽洁, 柏园路玉兰树),
    not a surname that is a word after another (关于春华镇, 一张明文规定), not a place whose last two characters are a place
    word of the dictionary (罗文花海), nor a public figure a memorial is named after (周恩来邓颖超纪念馆, 李叔同故居).
    Two-character names (薛凯带我们) are not looked for."""
    spans = []
    place_end = 0
    for m in _BARE_NAME.finditer(probe):
        i = m.start()
        if i < place_end:
            continue
        if probe[i + 2:i + 4] in place_bigrams():
            place_end = i + 4  # 罗文花海: the last character begins a place word (花海): neither 罗文花 nor 文花海
            continue
        if _bare_name(probe[i:i + 3], probe[i - 1:i] if i else "", probe[i + 3:i + 4]) \
                and not _MEMORIAL.match(probe, i + 3):
            spans.append((i, i + 3))
    if " " in probe or "·" in probe or "\t" in probe:
        for m in _SPACED_BARE_NAME.finditer(probe):
            i, k = m.span()
            if _bare_name("".join(m.groups()), probe[i - 1:i] if i else "", probe[k:k + 1]):
                spans.append((i, k))
    return spans


def cued_name_spans(probe: str) -> list[tuple[int, int]]:
    """汉字 names the text itself marks as a person's (a normalised text; its offsets): after a cue word, a relation or a
    position and the names listed after one, before a form of address or a title, on a letter's signature lines."""
    spans = list(_cued_names(probe))
    if _FORM_OF_ADDRESS.search(probe):
        spans += _titled_names(probe)
    if "\n" in probe or " " in probe or "\t" in probe:  # (one line: organisation, name and date, spaced)
        spans += _signature_names(probe)
    return spans
