"""Personal names written in pinyin: Liu Jianguo, LIU Jianguo, Jianguo Liu, Liu Jian Guo, LiuJianguo, Lǐ Míng, L-i-u.

:func:`pinyin_name_spans` reads a text (normalised: NFKC at least; :func:`exports.redact.normalise` also drops
invisible characters) and returns where names are. It lives in ``draft``, beside :mod:`draft.contacts`, as the lowest
layer both redaction (``exports.redact``) and group titles (``analysis.labels``) may import:

- the submitter's own name (刘建国), in every reading of its characters (单 dan/shan), in either order, syllables
  joined, spaced or split letter by letter, with tone marks, mixed with its 汉字 (刘 Jianguo), with the given name as
  initials (Liu J.G.), or as initials alone (LJG, L.J.G.; three letters or more);
- after a cue (联系人、姓名、署名、我叫、Name:、Contact: … a surname alone is enough; 我是、本人、I am … a surname and a
  given name), before 先生/女士/老师/经理 …, after Mr./Ms./Dr. …: a surname and a given name in any of the written forms
  above (or a surname alone where said), in any case;
- a line of a letter's signature (one of its last three lines: a name, a title or a company, a date) that is only a
  capitalised surname and given name;
- anywhere else: a capitalised surname beside a capitalised given name of two syllables (Liu Jianguo, LIU Jianguo,
  Liu Jian Guo, Jianguo Liu). A given name of one syllable needs a cue (Li Ning is a brand, Hong Kong a place), or a
  second such name joined to it by ``and`` / ``&`` / 、 (Zhang Wei and Li Na: two people).

Words that are places or brands (Tianjin, Binhai, Dongjiang, Huawei, Temu …) are never names, and a word must be made
of pinyin syllables: English words, acronyms (B2B, OEM, RCEP) and most brands (Amazon, eBay, Shopee) are not.

The syllables and the surnames' readings are shipped here (taken from pypinyin, which tests check them against), so
redaction imports pypinyin (0.4 s of CPU, 1.5 s on a cold, busy machine; once per process) only to read a submitter's
own 汉字 name in a text with Latin letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise, product

#: Every toneless pinyin syllable (pypinyin's dictionary, ü written v), without the interjections m, n, ng, hm, hng;
#: lyu / nyu are the other way of writing lü / nü.
SYLLABLES = frozenset([
    "a", "ai", "an", "ang", "ao", "ba", "bai", "ban", "bang", "bao", "bei", "ben", "beng", "bi", "bian", "biang",
    "biao", "bie", "bin", "bing", "bo", "bong", "bu", "ca", "cai", "can", "cang", "cao", "ce", "cei", "cen",
    "ceng", "cha", "chai", "chan", "chang", "chao", "che", "chen", "cheng", "chi", "chong", "chou", "chu", "chua",
    "chuai", "chuan", "chuang", "chui", "chun", "chuo", "ci", "cong", "cou", "cu", "cuan", "cui", "cun", "cuo",
    "da", "dai", "dan", "dang", "dao", "de", "dei", "den", "deng", "di", "dia", "dian", "diao", "die", "din",
    "ding", "diu", "dong", "dou", "du", "duan", "dui", "dun", "duo", "e", "ei", "en", "eng", "er", "fa", "fan",
    "fang", "fei", "fen", "feng", "fiao", "fo", "fou", "fu", "ga", "gai", "gan", "gang", "gao", "ge", "gei",
    "gen", "geng", "gong", "gou", "gu", "gua", "guai", "guan", "guang", "gui", "gun", "guo", "ha", "hai", "han",
    "hang", "hao", "he", "hei", "hen", "heng", "hong", "hou", "hu", "hua", "huai", "huan", "huang", "hui", "hun",
    "huo", "ji", "jia", "jian", "jiang", "jiao", "jie", "jin", "jing", "jiong", "jiu", "ju", "juan", "jue", "jun",
    "ka", "kai", "kan", "kang", "kao", "ke", "kei", "ken", "keng", "kong", "kou", "ku", "kua", "kuai", "kuan",
    "kuang", "kui", "kun", "kuo", "la", "lai", "lan", "lang", "lao", "le", "lei", "len", "leng", "li", "lia",
    "lian", "liang", "liao", "lie", "lin", "ling", "liu", "lo", "long", "lou", "lu", "luan", "lun", "luo", "lv",
    "lve", "lyu", "ma", "mai", "man", "mang", "mao", "me", "mei", "men", "meng", "mi", "mian", "miao", "mie",
    "min", "ming", "miu", "mo", "mou", "mu", "na", "nai", "nan", "nang", "nao", "ne", "nei", "nen", "neng", "ni",
    "nia", "nian", "niang", "niao", "nie", "nin", "ning", "niu", "nong", "nou", "nu", "nuan", "nun", "nuo", "nv",
    "nve", "nyu", "o", "ou", "pa", "pai", "pan", "pang", "pao", "pei", "pen", "peng", "pi", "pian", "piao", "pie",
    "pin", "ping", "po", "pou", "pu", "qi", "qia", "qian", "qiang", "qiao", "qie", "qin", "qing", "qiong", "qiu",
    "qu", "quan", "que", "qun", "ran", "rang", "rao", "re", "ren", "reng", "ri", "rong", "rou", "ru", "rua",
    "ruan", "rui", "run", "ruo", "sa", "sai", "san", "sang", "sao", "se", "sen", "seng", "sha", "shai", "shan",
    "shang", "shao", "she", "shei", "shen", "sheng", "shi", "shou", "shu", "shua", "shuai", "shuan", "shuang",
    "shui", "shun", "shuo", "si", "song", "sou", "su", "suan", "sui", "sun", "suo", "ta", "tai", "tan", "tang",
    "tao", "te", "tei", "teng", "ti", "tian", "tiao", "tie", "ting", "tong", "tou", "tu", "tuan", "tui", "tun",
    "tuo", "wa", "wai", "wan", "wang", "wei", "wen", "weng", "wo", "wong", "wu", "xi", "xia", "xian", "xiang",
    "xiao", "xie", "xin", "xing", "xiong", "xiu", "xu", "xuan", "xue", "xun", "ya", "yan", "yang", "yao", "ye",
    "yi", "yin", "ying", "yo", "yong", "you", "yu", "yuan", "yue", "yun", "za", "zai", "zan", "zang", "zao", "ze",
    "zei", "zen", "zeng", "zha", "zhai", "zhan", "zhang", "zhao", "zhe", "zhei", "zhen", "zheng", "zhi", "zhong",
    "zhou", "zhu", "zhua", "zhuai", "zhuan", "zhuang", "zhui", "zhun", "zhuo", "zi", "zong", "zou", "zu", "zuan",
    "zui", "zun", "zuo",
])

#: The surname reading of each of draft.contacts' common surnames (pypinyin's first reading, or the surname's own
#: where it differs: 曾 zeng, 单 shan, 翟 zhai, 解 xie, 查 zha, 仇 qiu, 覃 qin, 缪 miao).
SURNAMES = frozenset([
    "ai", "an", "ao", "bai", "bao", "bi", "bian", "bo", "cai", "cao", "cen", "chai", "chang", "che", "chen",
    "cheng", "chi", "chu", "cong", "cui", "dai", "dang", "deng", "diao", "ding", "dong", "dou", "du", "duan",
    "fan", "fang", "fei", "feng", "fu", "gan", "gao", "ge", "geng", "gong", "gou", "gu", "guan", "gui", "guo",
    "han", "hao", "he", "hou", "hu", "hua", "huang", "huo", "ji", "jia", "jian", "jiang", "jiao", "jin", "jing",
    "kang", "ke", "kong", "kou", "kuang", "lan", "lang", "lei", "leng", "li", "lian", "liang", "liao", "lin",
    "ling", "liu", "long", "lou", "lu", "luan", "luo", "lv", "ma", "mai", "mao", "mei", "meng", "mi", "miao",
    "min", "ming", "mo", "mou", "mu", "ni", "nie", "ning", "niu", "nong", "ou", "pan", "pang", "pei", "peng",
    "pu", "qi", "qian", "qiao", "qin", "qiu", "qu", "quan", "ran", "rao", "ren", "rong", "ruan", "sang", "sha",
    "shan", "shang", "shao", "she", "shen", "sheng", "shi", "shu", "si", "song", "su", "sui", "sun", "tan",
    "tang", "tao", "teng", "tian", "tong", "tu", "wan", "wang", "wei", "wen", "weng", "wu", "xi", "xia", "xiang",
    "xiao", "xie", "xin", "xing", "xiong", "xu", "xue", "yan", "yang", "yao", "ye", "yi", "yin", "ying", "you",
    "yu", "yuan", "yue", "zang", "zeng", "zha", "zhai", "zhan", "zhang", "zhao", "zhen", "zheng", "zhong", "zhou",
    "zhu", "zhuang", "zhuo", "zong", "zou", "zuo",
])
#: draft.contacts' compound surnames (欧阳 ouyang …).
COMPOUND_SURNAMES = frozenset([
    "baili", "diwu", "dongfang", "duanmu", "dugu", "gongsun", "gongye", "huangfu", "huyan", "linghu", "moqi",
    "murong", "nangong", "ouyang", "puyang", "shangguan", "shentu", "sima", "situ", "taishi", "tantai", "wenren",
    "xiahou", "ximen", "xuanyuan", "yuchi", "yuwen", "zhangsun", "zhongli", "zhuge",
])

#: Places and brands whose names are pinyin (lower case, written together): never a person's name, nor part of one.
NOT_NAMES = frozenset([
    "tianjin", "binhai", "dongjiang", "heping", "hexi", "hedong", "hebei", "nankai", "hongqiao", "xiqing",
    "jinnan", "beichen", "wuqing", "baodi", "jizhou", "ninghe", "jinghai", "tanggu", "hangu", "dagang", "dongli",
    "yujiapu", "lingang", "zhongxin", "jixian", "dongjiagu", "tianjing", "beijing", "shanghai", "chongqing",
    "guangzhou", "shenzhen", "hangzhou", "nanjing", "wuhan", "xiamen", "ningbo", "qingdao", "dalian", "suzhou",
    "yiwu", "jinhua", "zhengzhou", "xian", "chengdu", "changsha", "hefei", "jinan", "shenyang",
    "changchun", "kunming", "nanning", "fuzhou", "haikou", "lanzhou", "xining", "yinchuan", "wulumuqi", "lasa",
    "guiyang", "taiyuan", "shijiazhuang", "huhehaote", "tangshan", "langfang", "cangzhou", "baoding", "dongguan",
    "foshan", "huizhou", "zhuhai", "shantou", "wenzhou", "xuzhou", "wuxi", "changzhou", "nantong", "yantai",
    "weihai", "weifang", "linyi", "rizhao", "qinhuangdao", "jiaxing", "shaoxing", "taizhou", "quanzhou",
    "zhangzhou", "luoyang", "kaifeng", "henan", "hubei", "hunan", "shandong", "shanxi", "jiangsu",
    "jiangxi", "zhejiang", "fujian", "guangdong", "guangxi", "hainan", "sichuan", "guizhou", "yunnan", "gansu",
    "qinghai", "ningxia", "xinjiang", "xizang", "anhui", "jilin", "liaoning", "heilongjiang", "neimenggu",
    "xianggang", "aomen", "taiwan", "zhongguo", "china", "hongkong", "macao", "huawei", "xiaomi",
    "lining", "anta", "taobao", "tianmao", "jingdong", "alibaba", "baidu", "weibo", "weixin", "douyin",
    "kuaishou", "meituan", "pinduoduo", "suning", "guomei", "wanda", "meidi", "geli", "temu", "xiaohongshu",
    "yuanqi", "maotai", "wahaha", "renminbi", "yuan", "kuajing", "dianshang", "tiananmen", "zhongguancun", "wangfujing",
    "wudadao", "gulou", "haihe", "jinwan", "xiaobailou", "tianjingang", "dongjianggang", "tianjinzhan",
    # words of Chinese culture written as two capitalised syllables, listed in pairs in English (Yin Yang and Feng Shui)
    "fengshui", "yinyang", "gaokao", "zhongkao", "baijiu", "hutong", "wushu", "qigong", "taiji", "taichi", "gongfu",
    "mantou", "jiaozi", "baozi", "hongbao", "chunjie", "zhongqiu", "duanwu", "yuanxiao", "guanxi", "mianzi",
])

#: English words that read as a two-syllable given name (open = o·pen, china = chi·na, panda …): Debian's wamerican
#: (2020.12.07) /usr/share/dict/words, its lower-case words that :func:`syllables` splits in two, less those ending in
#: -ing (Ailing, Liming, Siting, Hailing are common given names). A capitalised pair needs a cue when the given name
#: is one of them (An Open Source …).
ENGLISH_WORDS = frozenset([
    "ace", "ache", "age", "aha", "aide", "ale", "along", "amen", "angle", "ani", "ante", "anti", "are", "ashen",
    "ate", "aye", "bade", "baize", "bake", "bale", "bane", "bangle", "bani", "banyan", "bare", "base", "bate",
    "bayou", "beige", "bide", "bike", "bile", "binge", "bite", "bode", "boga", "bola", "bole", "bone", "bore",
    "bosun", "cabin", "cacao", "cache", "cage", "cake", "calve", "came", "cancan", "cane", "care", "case", "cede",
    "chaise", "chance", "change", "chase", "chichi", "chide", "chile", "chili", "chime", "china", "chute",
    "cilia", "cite", "cumin", "cure", "cute", "dacha", "dale", "dame", "dance", "dangle", "dare", "data", "date",
    "daze", "deice", "deli", "delve", "demo", "dense", "dice", "dike", "dime", "dine", "dire", "dongle", "douche",
    "douse", "dude", "duke", "dunce", "dune", "eke", "emo", "emu", "ere", "eta", "eye", "face", "fade", "fake",
    "fame", "fare", "fate", "faze", "fence", "foci", "fore", "fume", "fuse", "fuze", "gage", "gala", "gale",
    "game", "gamin", "ganglia", "gate", "gaze", "geisha", "gene", "genie", "genre", "gentian", "gouge", "guide",
    "guile", "guise", "gunman", "gunmen", "guru", "haiku", "hake", "hale", "halo", "halve", "hangman", "hangmen",
    "hare", "hate", "haze", "hence", "henna", "here", "house", "huge", "hula", "human", "jingle", "jinni",
    "junta", "jute", "kale", "kaolin", "lace", "lade", "laden", "lake", "lama", "lame", "lance", "lane", "lase",
    "late", "laze", "lice", "lichen", "liege", "like", "liken", "lime", "limo", "linden", "line", "linen", "lire",
    "lite", "loci", "lode", "loge", "lone", "lore", "lose", "louse", "lunge", "lupin", "lure", "lute", "mace",
    "made", "maiden", "maize", "make", "male", "mama", "mane", "manga", "mange", "mangle", "mania", "manna",
    "manse", "mare", "mate", "mayo", "maze", "media", "median", "meme", "memo", "menu", "mere", "mesa", "meta",
    "mete", "mica", "mice", "mike", "mile", "mime", "mince", "mine", "mingle", "mini", "mire", "mite", "mocha",
    "mode", "mole", "more", "mote", "mouse", "mule", "muse", "mute", "name", "nice", "niche", "niece", "nine",
    "nite", "nuance", "nude", "nuke", "ode", "omen", "one", "open", "ore", "pace", "pagan", "page", "pale",
    "panda", "pane", "pantie", "papa", "pare", "pasha", "pate", "pence", "pica", "piece", "pike", "pile", "pine",
    "pique", "pita", "pixie", "podia", "poke", "pole", "polo", "pone", "pore", "pose", "puke", "puma", "pupa",
    "pure", "quanta", "range", "reran", "rerun", "rice", "ride", "rile", "rime", "ripen", "rise", "risen", "rite",
    "rouge", "rouse", "route", "rude", "rule", "rune", "ruse", "saga", "sage", "sake", "sale", "salve", "same",
    "sane", "sari", "sarong", "sate", "sedan", "semen", "semi", "senna", "sense", "sere", "shade", "shake",
    "shaken", "shale", "shaman", "shame", "shanghai", "share", "shebang", "shelve", "shine", "shire", "side",
    "silo", "simian", "sine", "sire", "siren", "site", "situ", "size", "souse", "suite", "sumo", "sunken",
    "suntan", "sure", "sushi", "tabu", "take", "taken", "tale", "tame", "tangle", "tannin", "tare", "taxi",
    "tide", "tike", "tile", "time", "tine", "tingle", "tipi", "tire", "titan", "toucan", "tuba", "tuna", "tune",
    "tutu", "wade", "wadi", "wage", "wake", "waken", "wale", "wane", "wangle", "wanna", "ware", "woke", "woken",
    "woman", "women", "wore", "yeti", "yoga", "yoke", "yore", "yule", "zebu", "zeta",
])

_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ",
                       "aaaaeeeeiiiioooouuuuvvvvvAAAAEEEEIIIIOOOOUUUUVVVVV")
_LETTER = "A-Za-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ"
_WORD = re.compile(f"[{_LETTER}]+")
_LONGEST_SYLLABLE = 6
_MAX_GIVEN = 2
"""A given name has one or two syllables (建国, 明)."""


@lru_cache(maxsize=16384)
def syllables(word: str, strict: bool = True) -> int:
    """The fewest pinyin syllables ``word`` (lower case, tone marks folded) splits into; 0 when it does not
    (``strict``: as one written word, where a syllable beginning with a, o or e begins the word)."""
    if not word or len(word) > 5 * _LONGEST_SYLLABLE:
        return 0
    best = [0] + [99] * len(word)
    for end in range(1, len(word) + 1):
        for size in range(1, min(_LONGEST_SYLLABLE, end) + 1):
            # a syllable that begins with a, o or e begins the word: inside one pinyin writes an apostrophe (Xi'an)
            if best[end - size] < 99 and word[end - size:end] in SYLLABLES and (
                    end == size or not strict or word[end - size] not in "aoe"):
                best[end] = min(best[end], best[end - size] + 1)
    return best[-1] if best[-1] < 99 else 0


def _given(words: Iterable[str]) -> int:
    """Syllables of a given name written as ``words`` (0 unless every word is pinyin and they are 1–2 in all)."""
    total = 0
    for word in words:
        n = syllables(word)
        if not n:
            return 0
        total += n
    return total if total <= _MAX_GIVEN else 0


def _surname(word: str) -> bool:
    return word in SURNAMES or word in COMPOUND_SURNAMES


def _joined(word: str) -> bool:
    """A surname and a given name written as one word (liujianguo, ouyangminghua; five letters or more: line, more
    and the like are li·ne, mo·re)."""
    return len(word) >= 5 and any(word[len(s)] not in "aoe" and _given([word[len(s):]])
                                  for s in (word[:k] for k in range(2, min(9, len(word)))) if _surname(s))


# -- context -----------------------------------------------------------------------------------------------------

# (the text is normalised: NFKC, so ： is :)
_STRONG_CUE = re.compile(r"(?:(?:联系人|姓名|署名|签名|落款|提出人|提交人|反映人|经办人|负责人|作者|我叫|名叫|名字[是叫]|我姓)"
                         r"[\s:,，]*|(?<![A-Za-z])(?i:(?:name|contact(?: person)?|signed|signature|author)\s*:|my name is)\s*)$")
"""(An English cue word with its colon: 'contact line', 'contact you' are no names.)"""
_WEAK_CUE = re.compile(r"(?:我是|本人|(?:请|可|可以|欢迎|或)联系|(?i:i am|i'm|this is))[\s:,，]*$")
_TITLE_BEFORE = re.compile(r"(?<![A-Za-z])(?i:mr|mrs|ms|miss|dr|prof)\.?\s*$")
_TITLE_AFTER = re.compile(r"\s*(?:先生|女士|小姐|老师|经理|主任|总监|总经理|教授|博士|律师|同志|(?i:,?\s*(?:esq|phd)\b))")
_LOOK_BACK = 24
_SIGNATURE_DASH = " \t-—–~―·"


def _cue(probe: str, start: int, end: int) -> str | None:
    """What the text around a name candidate (``probe[start:end]``) says of it: ``strong`` (a cue that names a
    person, or a title), ``weak`` (我是, 本人: also said of a company or a place) or None."""
    before = probe[max(0, start - _LOOK_BACK):start]
    if _STRONG_CUE.search(before) or _TITLE_BEFORE.search(before) or _TITLE_AFTER.match(probe, end):
        return "strong"
    return "weak" if _WEAK_CUE.search(before) else None


_SIGNATURE_LINES = 3


def _signature_lines(probe: str) -> set[tuple[int, int]]:
    """The spans of the lines a letter may be signed on: its last three non-empty lines (a name, then a title or a
    company, then a date), each without leading dashes and trailing punctuation; none in a one-line text."""
    lines = [m for m in re.finditer(r"[^\n]+", probe) if m.group().strip()]
    if len(lines) < 2:
        return set()
    spans = set()
    for line in lines[1:][-_SIGNATURE_LINES:]:
        text = line.group()
        start = line.start() + len(text) - len(text.lstrip(_SIGNATURE_DASH))
        end = line.end() - (len(text) - len(text.rstrip(" \t.,;:!。，；：！")))
        spans.add((start, end))
    return spans


# -- words -------------------------------------------------------------------------------------------------------

_SPELLED = re.compile(rf"(?<![{_LETTER}])[{_LETTER}](?:[-.·_ ][{_LETTER}]){{2,}}(?![{_LETTER}])")
"""Letters spelled one by one (L-i-u, Z h a n g): read as one word."""
_NAME_GAP = re.compile(r"[ \t]{1,3}|[ \t]*[,，][ \t]*|[-._]|[ \t]*·[ \t]*")
"""What may stand between the words of one name (Liu Jianguo, Liu, Jianguo, Jian-guo, Liu·Jianguo, Liu.Jianguo,
liu_jianguo)."""
_COMMA = re.compile("[,，]")
_INITIALS = re.compile(r"[ \t]*([A-Z])\.?[ \t]?([A-Z])\.?(?![A-Za-z])|[ \t]*[A-Z]\.(?![A-Za-z])")
"""A given name as initials after a surname (Liu J.G., Liu JG, Wang J.)."""


def _words(probe: str) -> list[tuple[int, int, str, str]]:
    """Latin words of ``probe``: (start, end, folded lower-case form, as written with separators removed)."""
    spelled = {m.start(): m for m in _SPELLED.finditer(probe)}
    words = []
    pos = 0
    for m in _WORD.finditer(probe):
        if m.start() < pos:
            continue
        if m.start() in spelled:
            s = spelled[m.start()]
            written = re.sub(f"[^{_LETTER}]", "", s.group())
            words.append((s.start(), s.end(), written.translate(_TONES).lower(), written))
            pos = s.end()
        else:
            words.append((m.start(), m.end(), m.group().translate(_TONES).lower(), m.group()))
            pos = m.end()
    return words


def _capitalised(written: str) -> bool:
    return written[:1].isupper() and (written[1:].islower() or written.isupper() or _camel(written))


def _camel(written: str) -> bool:
    """LiuJianguo: capitals only at the surname and the given name."""
    parts = re.findall("[A-Z][a-z]+", written.translate(_TONES))
    return len(parts) == 2 and "".join(parts) == written.translate(_TONES)


def _form(forms: list[str], cue: str | None, capitalised: bool, hyphenated: bool = False) -> bool:
    """Whether the words ``forms`` (lower case) name a person, given the cue around them (``hyphenated``: the first
    two words are joined by a hyphen, Kan-Ru Chen)."""
    if any(w in NOT_NAMES for w in forms):
        return False
    if cue != "strong" and any("".join(forms[i:j]) in NOT_NAMES for i in range(len(forms))
                               for j in range(i + 2, len(forms) + 1)):
        return False  # a place written syllable by syllable (Tian Jin Gang, He Ping Qu), Li Ning the brand, 我是 Hong
        # Kong 人 (联系人：Li Ning is a person)
    first, last, k = forms[0], forms[-1], len(forms)
    if k >= 2:
        given_after = _given(forms[1:]) if _surname(first) else 0
        given_before = _given(forms[:-1]) if _surname(last) else 0
        if cue == "strong" and k == 2 and _surname(last) and capitalised:
            return True  # 联系人：Tom Zhang (an English given name)
        if cue:
            return bool(given_after or given_before)
        # anywhere: capitalised, a given name of two syllables (Liu Jianguo, Liu Jian Guo, Jianguo Liu), not an
        # English word (An Open Source)
        if not capitalised or any(w in ENGLISH_WORDS for w in forms):
            return False
        return given_after == 2 or given_before == 2 and (k == 2 or hyphenated)
    if cue == "strong" and _surname(first):
        return True
    return cue is not None and _joined(first)


_AND = re.compile(r"[ \t]*(?:&|、|和|与|及)[ \t]*")
"""What joins two people's names in running text besides the word ``and`` (Zhang Wei & Li Na, Zhang Wei、Li Na)."""
_SPACE = re.compile(r"[ \t]+")


def _short_name(probe: str, words: list[tuple[int, int, str, str]], i: int) -> bool:
    """Whether ``words[i:i + 2]`` is a capitalised surname and a one-syllable given name, in either order (Li Na), and
    not part of a longer run of capitalised syllables (He Ping Qu, Wang Fu Jing: places)."""
    if i < 0 or i + 2 > len(words):
        return False
    (_, _, a, wa), (_, _, b, wb) = words[i], words[i + 1]
    if not (_capitalised(wa) and _capitalised(wb) and not {a, b} & ENGLISH_WORDS and a + b not in NOT_NAMES
            and not {a, b} & NOT_NAMES and (_surname(a) and syllables(b) == 1 or _surname(b) and syllables(a) == 1)):
        return False
    for left, right in ((i - 1, i), (i + 1, i + 2)):
        neighbour = words[left if left < i else right] if left >= 0 and right < len(words) else None
        if neighbour and _capitalised(neighbour[3]) and syllables(neighbour[2]) and _NAME_GAP.fullmatch(
                probe, words[left][1], words[right][0]):
            return False
    return True


def _next_name(probe: str, words: list[tuple[int, int, str, str]], end: int) -> int:
    """The index of the word after ``and`` / ``&`` / 、 that follows ``words[end - 1]`` (-1 when there is none)."""
    if end >= len(words):
        return -1
    if words[end][2] == "and" and _SPACE.fullmatch(probe, words[end - 1][1], words[end][0]):
        return end + 1 if end + 1 < len(words) and _SPACE.fullmatch(probe, words[end][1], words[end + 1][0]) else -1
    return end if _AND.fullmatch(probe, words[end - 1][1], words[end][0]) else -1


def _paired(probe: str, words: list[tuple[int, int, str, str]], i: int) -> bool:
    """Two short names joined by ``and`` (Zhang Wei and Li Na): together they name two people, where one alone may be
    a brand (Li Ning) or a place (Hong Kong)."""
    if not (_short_name(probe, words, i) and _NAME_GAP.fullmatch(probe, words[i][1], words[i + 1][0])):
        return False
    after = _next_name(probe, words, i + 2)
    if after >= 0 and _short_name(probe, words, after):
        return True
    return any(_next_name(probe, words, start + 2) == i and _short_name(probe, words, start) for start in (i - 3, i - 2))


def _cued_spans(probe: str) -> Iterator[tuple[int, int]]:
    words = _words(probe)
    signatures = _signature_lines(probe)
    i = 0
    while i < len(words):
        found = None
        for k in (3, 2, 1):
            window = words[i:i + k]
            if len(window) < k or any(not _NAME_GAP.fullmatch(probe, a[1], b[0]) for a, b in pairwise(window)):
                continue
            forms = [w[2] for w in window]
            if not (_surname(forms[0]) or _surname(forms[-1]) or k == 1 and _joined(forms[0])):
                continue  # (most Latin words: no cue to look for)
            start, end = window[0][0], window[-1][1]
            cue = _cue(probe, start, end)
            capitalised = all(_capitalised(w[3]) for w in window)
            if cue is None and (start, end) in signatures and k >= 2 and capitalised:
                cue = "weak"
            if cue is None and k == 2 and _paired(probe, words, i):
                cue = "weak"
            if cue is None and _COMMA.search(probe, start, end):
                continue  # a list of names (Peng Huang, Kefu Chai): 'Huang, Kefu' is no name; 姓名：Yang, Fan is
            if cue != "strong" and i and _NAME_GAP.fullmatch(probe, words[i - 1][1], start) and (
                    words[i - 1][2] + forms[0] in NOT_NAMES):
                continue  # the rest of a place written syllable by syllable (Gu Lou Da Jie: not 'Lou Da Jie')
            if _form(forms, cue, capitalised, k == 3 and probe[window[0][1]:window[1][0]] == "-"):
                found = (k, end)
                break
        if found is None and (initials_end := _cued_initials(probe, words[i])):
            found = (1, initials_end)
        if found:
            yield words[i][0], found[1]
            i += found[0]
        else:
            i += 1


def _cued_initials(probe: str, word: tuple[int, int, str, str]) -> int:
    """The end of ``Surname J.G.`` after a cue (联系人：Liu J.G.), or 0."""
    if not _surname(word[2]):
        return 0
    m = _INITIALS.match(probe, word[1])
    if m and _cue(probe, word[0], m.end()):
        return m.end()
    return 0


# -- the submitter's own name -----------------------------------------------------------------------------------

#: Digits and signs written for the letters they look like (L1u J1anguo, Zh0u), and l for i: read alike.
_SHAPES = str.maketrans("l1|!0345$2@", "iiiioeassza")
_SEPARATORS = "\\s\\-.·_',，"
_SKELETON_DROP = re.compile(f"[{_SEPARATORS}]+")
"""Separators a name may be split by (Liu Jianguo, Liu, Jianguo, L-i-u, liu_jianguo): left out of the skeleton."""
_SKELETON_KEPT = re.compile(f"[^{_SEPARATORS}]")
_SKELETON_STOP = re.compile(r"[^a-z0-9|!$@\u4e00-\u9fff]")


def _skeleton(probe: str) -> tuple[str, list[int]]:
    """``probe`` in lower case without tone marks or separators, digits read as the letters they look like, every
    other character a stop (\\x00); and the offset in ``probe`` of each character kept."""
    folded = probe.translate(_TONES).lower()
    offsets = [m.start() for m in _SKELETON_KEPT.finditer(folded)]
    return _SKELETON_STOP.sub("\x00", _SKELETON_DROP.sub("", folded)).translate(_SHAPES), offsets


@lru_cache(maxsize=16384)
def _own_forms(name: str) -> tuple[str, ...]:
    """Every pinyin form of a 汉字 name as :func:`_skeleton` reads it (see the module docstring), each with at least
    one Latin letter; () when a character has no reading."""
    from pypinyin import Style, pinyin  # loaded only for a name in a text with Latin letters

    readings = pinyin(name, style=Style.NORMAL, heteronym=True)
    if len(readings) != len(name) or not all(r and r[0].isascii() and r[0].isalpha() for r in readings):
        return ()
    surname_size = 2 if len(name) == 4 else 1
    options = [[ch, *_variants(r)] for ch, r in zip(name, readings)]
    forms: set[str] = set()
    for combo in product(*options):
        surname, given = "".join(combo[:surname_size]), "".join(combo[surname_size:])
        forms.update((surname + given, given + surname))
    initials = "".join(r[0][0] for r in readings[surname_size:])
    for written in product(*options[:surname_size]):
        forms.update(("".join(written) + initials, initials + "".join(written)))
    if len(name) >= 3:
        forms.add("".join(r[0][0] for r in readings))
    return tuple(sorted(f.translate(_SHAPES) for f in forms if _LATIN.search(f)))


_LATIN = re.compile("[a-z]")


def _variants(options: list[str]) -> list[str]:
    """A syllable's spellings: lv / lu / lyu for lü."""
    out = []
    for s in options:
        out.append(s)
        if "v" in s:
            out += [s.replace("v", "u"), s.replace("v", "yu")]
    return list(dict.fromkeys(out))


def _own_spans(probe: str, name: str) -> Iterator[tuple[int, int]]:
    plain = re.sub(r"[\s·.]+", "", name)
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", plain):
        return
    forms = _own_forms(plain)
    if not forms:
        return
    skeleton, offsets = _skeleton(probe)
    for form in forms:
        at = skeleton.find(form)
        while at >= 0:
            start, end = offsets[at], offsets[at + len(form) - 1] + 1
            if not (_ANY_LETTER.match(probe, start - 1) if start else False) and not _ANY_LETTER.match(probe, end):
                yield start, end
            at = skeleton.find(form, at + 1)


_ANY_LETTER = re.compile(f"[{_LETTER}]")


def pinyin_name_spans(probe: str, own_names: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Where personal names are written in pinyin in ``probe`` (a normalised text; its offsets), ``own_names``: the
    submitter's own names (汉字), looked for in every pinyin form."""
    if not _ANY_LETTER.search(probe):
        return []
    spans = list(_cued_spans(probe))
    for name in own_names:
        spans += _own_spans(probe, name)
    return spans
