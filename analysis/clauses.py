"""Which clause is a comment about? For comments on the whole draft and for letters and e-mails staff type in.

Three kinds of evidence, added up: explicit mentions (第十二条, 第12项, 第三部分, a quoted or copied clause heading
such as “创新外汇管理服务”), quotations of the clause's text (see :mod:`analysis.quotes`; a quotation of 20 or more
characters, or of a whole sentence or comma-delimited clause of the draft of 10 or more, counts like a mention) and
similarity to each clause's text (cosine of word TF-IDF on jieba tokens and
of character 2–3-gram TF-IDF, averaged; the heading counts twice).

Not every clause a comment names is its subject. "<a part's title>第N项" (保障措施第五项, 保障措施中的第二点,
第四部分第五项) names the N-th point of that part, not the draft's item N (nor the part itself). A clause named as a
standard or a comparison (参照第12条的做法, 和第10条一样) is a reference. A comment that quotes or names a clause to set
the scene, then turns to its proposal on another (这是第14条说的，但我想说第10条：…; 第11条说“…”，建议第10条…) is about
the clause its proposal names: the evidence before the comment's first turn or proposal word (但, 不过, 我想说, 建议,
应该…) for clauses not named where that word's clause (up to the next comma) names one is context. References and
context count ``SECONDARY`` of their weight; the turn word's clause is read from its start (第三条的清单应该…
names 第三条). So does a clause the comment approves (第九条没问题, 我赞成) before it names another clause it has
something to say about. A clause named only to say the comment is not about it (不涉及第十一条, 与第十二条无关, 跟这个
没关系) is no mention, and keeps ``SECONDARY`` of its similarity unless named elsewhere. 上一项 / 下一项 is the clause
next to the one named before it; a bare 第四项 after 附件第一部分第三项 is that part's point 4; 第（二）项 is the
clause labelled (二) when there is one. When a comment quotes two clauses or more, similarity is taken over its own
words only (the quotations left out): they, not the quotations, say which quoted clause it is about. And a heading or number inside a quotation of the draft is the draft's
own text (打造跨境电商特色产业带6个以上 quotes 发展目标), not a mention. A word only one clause's heading holds, and
that clause uses most, named as a part (人才部分, 外汇这块) is a weaker mention (``TOPIC_MENTION``); another text's
article (《海关法》第八十二条, 公告2018年第194号第三条) and the letter's own attachment (见本函附件) are none.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from draft.model import Clause, Draft
from draft.numbers import CIRCLED_CHARS, FULLWIDTH_DIGITS, to_int

from .normalize import _to_simplified, canonical, normalize
from .terms import terms_from_draft
from .tokenize import Tokenizer, tokenizer_for_terms
from .vectorize import pretokenized

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .quotes import Quotation

#: (Circled numbers too: to_int reads them, should NFKC leave one.)
_NUMERAL = rf"[0-9一二三四五六七八九十百〇零两{CIRCLED_CHARS}]+"
#: (第(二)项 and 第（三）项 too: people copy the draft's bracketed label into 第…项.)
#: (Not 第一条意见 / 第二点建议：, a letter's own numbering.)
_MENTION = re.compile(rf"第\s*([(]?)\s*({_NUMERAL})\s*[)]?\s*(条|项|点|款|部分|章|节|段|大点)(?!\s*(?:意见|看法|建议\s*[:：]))")
#: A clause's key written as a decimal number (3.1.3 产业带…, 4.3): the seed's keys follow its numbering 三、(一) 3.
#: Not a figure: 3.5万元, 1.5倍, 4.5%, 2024.10.8. (第3.2.7条 too: _MENTION cannot read it.)
_DECIMAL = re.compile(r"(?<![0-9a-z.])([0-9]{1,2}(?:\.[0-9]{1,2}){1,3})(?![0-9a-z%]|\.[0-9]|\s*(?:万|亿|元|倍|个|%|"
                      r"年|月|日|号|米|吨|公里|小时|天|美元|千|百|亩|平|人|家|次|分))")
_PAREN_MENTION = re.compile(r"[(]\s*([一二三四五六七八九十]+)\s*[)]")
_QUOTED = re.compile(r"[\"“「『《]([^\"”」』》]{2,40})[\"”」』》]")
_LABEL_NUMBER = re.compile(_NUMERAL)
#: What may join a part's title to the number of one of its points: 保障措施第五项, 保障措施中的第二点, 的第4条, （六）.
_JOIN = r"\s*(?:部分|方面)?\s*(?:中的|里的|当中的|中|里|的)?\s*"
_POINT = rf"(?:第\s*[(]?\s*({_NUMERAL})\s*[)]?\s*(?:项|点|条|款)|[(]\s*([0-9一二三四五六七八九十]+)\s*[)])"
_PART_POINT = re.compile(rf"第\s*({_NUMERAL})\s*(?:部分|章|大点){_JOIN}{_POINT}")
#: Words before a clause's mention that make it a standard or a comparison (参照第12条, 像第11条那样), and the
#: words of a comparison after 和/与/同/跟 (和第10条…是一回事).
#: (按照/依照/根据第12条 cite the clause the comment is about; 像第12条这样的规定 is that clause too.)
_REFERENCE_BEFORE = re.compile(r"(?:参照|参考|比照|借鉴|仿照|类似于?)\s*$")
_TOPIC = re.compile(r"(?:部分|方面|这块|这一块|板块|条款|相关条款|那一条|这一条)")
#: An article of another text: 《海关法》第八十二条、第八十六条, 行政处罚法第三十三条第一款, 公告2018年第194号第三条,
#: 财税〔2018〕103号文第二条. Not the draft's: no mention (《…征求意见稿》第三条 / 《计划》第3条 are the draft's).
_OTHER_TEXT_BEFORE = re.compile(
    rf"(?:《([^《》]{{1,60}})》|(?:法|条例|办法|细则|规则|指引)|第\s*[0-9]+\s*号文?|号文件?)\s*"
    rf"(?:第\s*{_NUMERAL}\s*[条款项]\s*(?:[、,，和及与]|以及)?\s*)*$")
_THE_DRAFT = re.compile(r"征求意见稿|意见稿|草案|计划|本文件|本办法")
_COMPARED_BEFORE = re.compile(r"(?:和|与|同|跟|比|像|如同|好比)\s*$")
_COMPARED_AFTER = re.compile(r"^[^，。,；;!?！？\n]{0,14}?(?:一样|那样|相同|类似|一致|相似|重复|雷同|一回事|相比|差不多|衔接|挂钩|"
                             r"配套|联动|协调)")
_REFERENCE_AFTER = re.compile(r"^\s*(?:那样|那种)")
#: The comment turns from the scene to its own point, or makes a proposal ("不但" is no turn).
_TURN = re.compile(r"(?<!不)但是?|不过|可是|然而|我想说|想说的是|我要说|我的意见是|我的建议是|建议|希望|恳请|应当|应该|"
                   r"另一件事|另一个问题|接下来|那么|也应|还应|"
                   r"能否|可否|呼吁")
#: A clause named to say the comment is not about it: 不涉及第十一条, 不是针对第十条的 (the words right before it, or
#: before a list of mentions it heads: 不涉及第十条和第十一条) …
_NOT_ABOUT_BEFORE = re.compile(rf"(?:不涉及|不是关于|不是针对|并非关于|并非针对|不针对|不关于|先不说|暂不说|不讨论|不评论|撇开|"
                               rf"抛开)(?:\s*(?:第\s*[(]?\s*{_NUMERAL}\s*[)]?\s*(?:条|项|点|款|部分)|[、和与及]|以及))*\s*$")
#: … or in its clause after it: (与)第十二条无关, 第十条提到的…跟这个没关系 (a comparison 与/跟 before the mention, or
#: 这个/此/本意见 after it: "第十条的仓与物流无关" says something about clause 10). Not 无关紧要.
_UNRELATED = r"(?:无关(?!紧要)|没关系|没有关系|不相关|没有关联|无涉)"
_NOT_ABOUT_AFTER = re.compile(rf"^[^，。,；;!?！？\n:：]{{0,24}}?(?:跟|和|与|同)(?:这个|这条意见|本意见|我的意见|此|这)\s*{_UNRELATED}")
_NOT_ABOUT_COMPARED = re.compile(rf"^[^，。,；;!?！？\n:：与跟和同]{{0,24}}?{_UNRELATED}")
#: 上一项, 前一条, 下一项: the clause next to the one named last, when what follows reads as a clause's (上一项的…,
#: 关于下一项，…), not a thing's (开通下一条航线, 下一条中欧班列, 下一条要开的航线, 加上点补贴).
_RELATIVE = re.compile(r"(上一|前一|下一|后一)\s*(条|项|点)(?=\s*(?:的|说|所|提|中|里|写|规定|建议|应|要|也|我|[:：，,。；;！!]|$))"
                       r"(?![^，。,；;！!？?\n]{0,8}?(?:航线|班列|线路|路线|专线|快船|货轮|船|通道|新闻|消息|链接|视频|产线))")
#: The comment has nothing against the clause it names (第九条没问题, 我赞成): named to set the scene when the comment
#: then names another clause it has something to say about.
_APPROVED = re.compile(r"没问题|没有问题|没意见|没有意见|无意见|无异议|(赞成|赞同|同意|认可|很好|挺好|不错|写得好)")
#: A negation shortly before an approving word turns it (不太同意, 不是很赞成, 不能同意, 无法认可, 难以赞同, 不完全同意),
#: and so does 不了 right after it (同意不了).
_NEGATED = re.compile(r"[不没未非]|无法|难以")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_LIST_JOIN = re.compile(r"\s*(?:[、,，和与及跟]|以及)?\s*")
#: The turn word's clause ends here: what it names (但第12条的额度太低，…) is named before the next one.
_CLAUSE_END = re.compile(r"[，,。！？；!?;\n]")

#: Evidence weights. A mention outweighs any similarity (cosines are ≤ 1).
EXACT_MENTION = 1.0
WEAK_MENTION = 0.5
HEADING_MENTION = 1.0
ANNEX_MENTION = 0.2
INHERITED_MENTION = 0.5
#: From a part or section that is only a heading (四、保障措施): what is said about it is about one of its clauses.
INHERITED_FROM_HEADING = 0.75
QUOTATION = 1.0
#: A word only one clause's heading holds, named as a part of the draft (人才部分, 外汇这块).
TOPIC_MENTION = 0.5
#: Share of its weight a reference (参照第12条) or the scene before a proposal on another clause keeps.
SECONDARY = 0.3
#: A quotation this long (letters and digits) counts fully; shorter ones in proportion.
FULL_QUOTATION_CHARS = 20
#: … and so does a quotation of a whole sentence or comma-delimited clause of the draft this long.
WHOLE_QUOTATION_CHARS = 10
MIN_HEADING_CHARS = 4
#: Headings this long count as a mention wherever they occur; shorter ones only where they are cited.
LONG_HEADING_CHARS = 8


def _label_style(clause: Clause) -> str:
    label = normalize(clause.label)
    if label.startswith("第") and label.endswith("条"):
        return "article"
    if label.startswith("第") and label.endswith("章"):
        return "chapter"
    if label.startswith("第") and label.endswith("节"):
        return "section"
    if label.startswith("("):
        return "paren"
    if label[:1].isdigit():
        return "arabic"
    if label.endswith("、"):
        return "part"
    return "other"


def _label_number(clause: Clause) -> int | None:
    match = _LABEL_NUMBER.search(normalize(clause.label))
    return to_int(match.group()) if match else None


@dataclass
class _ClauseIndex:
    clauses: list[Clause]
    in_annex: list[bool]
    styles: list[str]
    numbers: list[int | None]
    headings: list[str]
    tokenizer: Tokenizer
    words: TfidfVectorizer
    word_matrix: object
    chars: TfidfVectorizer
    char_matrix: object
    descendants: list[list[int]]
    heading_only: np.ndarray
    children: list[list[int]]
    #: "<title>第N项" of every clause that has points (its title, and the part of it before a comma: 强化主体引育),
    #: and the clause of each title.
    titled: re.Pattern[str] | None
    titles: dict[str, int]
    #: a word of two to four characters only one clause's heading holds (人才, 外汇, 统计) → that clause
    topics: dict[str, int]


_CACHE: OrderedDict[tuple[Any, ...], _ClauseIndex] = OrderedDict()


def _index(draft: Draft) -> _ClauseIndex:
    from sklearn.feature_extraction.text import TfidfVectorizer  # see analysis/__init__: scikit-learn loads on use

    fingerprint = tuple((c.key, c.label, c.heading, c.body) for c in draft.walk())
    cached = _CACHE.get(fingerprint)
    if cached is not None:
        _CACHE.move_to_end(fingerprint)
        return cached
    clauses, in_annex = [], []
    for top in draft.clauses:
        for clause in top.walk():
            if clause.heading or clause.body:
                clauses.append(clause)
                in_annex.append(top.kind == "annex")
    tokenizer = tokenizer_for_terms(tuple(terms_from_draft(draft)))
    documents = [f"{c.heading}。{c.heading}。{c.body}" for c in clauses]
    words = TfidfVectorizer(analyzer=pretokenized, sublinear_tf=True)
    word_matrix = words.fit_transform([tokenizer.tokenize(d) for d in documents] or [[]]) if clauses else None
    chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    char_matrix = chars.fit_transform([canonical(d) for d in documents]) if clauses else None
    position = {id(c): i for i, c in enumerate(clauses)}
    descendants = [[position[id(d)] for d in c.walk() if d is not c and id(d) in position] for c in clauses]
    children = [[position[id(d)] for d in c.children if id(d) in position] for c in clauses]
    titles: dict[str, int] = {}
    for i, clause in enumerate(clauses):
        title = normalize(clause.heading)
        if children[i] and title:
            for variant in (title, re.split(r"[,、:;]", title)[0]):
                if len(variant) >= MIN_HEADING_CHARS:
                    titles.setdefault(variant, i)
    names = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    titled = re.compile(rf"({names}){_JOIN}{_POINT}") if titles else None
    holders: dict[str, set[int]] = {}
    for i, clause in enumerate(clauses):
        heading = canonical(clause.heading)
        for n in (2, 3, 4):
            for k in range(len(heading) - n + 1):
                holders.setdefault(heading[k:k + n], set()).add(i)
    texts = [canonical(f"{c.heading}{c.body}") for c in clauses]
    topics: dict[str, int] = {}
    for word, held in holders.items():
        i = next(iter(held))
        if len(held) == 1 and not word.isascii():  # and the clause that uses it most
            uses = texts[i].count(word)
            if all(t.count(word) < uses for j, t in enumerate(texts) if j != i):
                topics[word] = i
    index = _ClauseIndex(clauses, in_annex, [_label_style(c) for c in clauses], [_label_number(c) for c in clauses],
                         [canonical(c.heading) for c in clauses], tokenizer, words, word_matrix, chars, char_matrix,
                         descendants, np.array([not c.body for c in clauses], dtype=bool), children, titled, titles,
                         topics)
    _CACHE[fingerprint] = index
    if len(_CACHE) > 8:
        _CACHE.popitem(last=False)
    return index


def _credit(scores: np.ndarray, index: _ClauseIndex, n: int, styles: tuple[str, ...], weight: float,
            wants_annex: bool, top_level: bool = False) -> bool:
    """Credit clauses numbered ``n`` in one of ``styles``; True when one in the wanted part (body/annex) matched.

    Without 附件 in the comment, the annex's own numbering counts half: 第三部分 means the body's 三、.
    """
    hit = False
    for i, clause in enumerate(index.clauses):
        if index.numbers[i] != n or index.styles[i] not in styles:
            continue
        if top_level and clause.level != (2 if index.in_annex[i] else 1):
            continue
        if wants_annex and not index.in_annex[i]:
            continue
        wanted = index.in_annex[i] == wants_annex
        scores[i] = max(scores[i], weight if wanted else weight * 0.5)
        hit = hit or wanted
    return hit


_CITING_BEFORE = ("关于", "对于", "针对", "部分", "第", "中的", "里的", "“", '"', "《", "「")
_CITING_AFTER = ("中", "里", "部分", "一节", "一条", "这一", "提到", "提出", "规定", "写", "的内容", "条款", "”", '"', "》", "」",
                 "方面")


def _cites(heading: str, comment: str, norm: str) -> bool:
    """Whether the comment names this heading as a reference: a long heading (创新外汇管理服务) wherever it occurs;
    a short one (保障措施, 滨海新区) only next to citing words (保障措施中提出, 关于滨海新区), since short headings
    are also ordinary words and place names."""
    if heading not in comment:
        return False
    if len(heading) >= LONG_HEADING_CHARS:
        return True
    plain = norm.replace(" ", "")
    at = plain.find(heading)
    while at >= 0:
        before, after = plain[max(0, at - 3):at], plain[at + len(heading):at + len(heading) + 3]
        if any(before.endswith(w) for w in _CITING_BEFORE) or any(after.startswith(w) for w in _CITING_AFTER):
            return True
        at = plain.find(heading, at + 1)
    return False


class _Plain(NamedTuple):
    """A comment as :func:`analysis.normalize.normalize` makes it, spaces kept, with the place in the comment of each
    of its characters (``offsets`` None: the same places; NFKC makes ⑩ or ㈠ several characters)."""

    text: str
    offsets: list[int] | None
    length: int  # of the comment

    def at(self, k: int) -> int:
        """The place in the comment of the plain text's character ``k`` (its end: the comment's end)."""
        if self.offsets is None:
            return k
        return self.offsets[k] if k < len(self.offsets) else self.length


def _each(convert: Callable[[str], str], text: str, offsets: list[int] | None) -> tuple[str, list[int] | None]:
    """``convert`` the text as a whole when that keeps its length, else character by character (offsets follow)."""
    whole = convert(text)
    if len(whole) == len(text):
        return whole, offsets
    pieces = [convert(ch) for ch in text]
    places = offsets if offsets is not None else list(range(len(text)))
    return "".join(pieces), [places[i] for i, piece in enumerate(pieces) for _ in piece]


def _plain(text: str) -> _Plain:
    offsets: list[int] | None = None
    plain = text
    if not unicodedata.is_normalized("NFKC", plain):
        plain, offsets = _each(lambda t: unicodedata.normalize("NFKC", t), plain, offsets)
    if not plain.isascii():
        plain, offsets = _each(_to_simplified().convert, plain, offsets)
    plain, offsets = _each(str.lower, plain, offsets)
    return _Plain(plain, offsets, len(text))


@dataclass
class _Evidence:
    """A mention or a quotation of some clauses at ``start:end`` of the comment; ``reference``: the comment names
    them as a standard or a comparison (参照第12条的做法)."""

    start: int
    end: int
    scores: np.ndarray
    reference: bool = False


def _point_of(index: _ClauseIndex, parent: int, n: int, items: bool = False) -> int | None:
    """The point ``n`` of a clause: its child numbered ``n``, else a deeper clause numbered ``n`` (items numbered
    across sections: 主要任务第12项), else its ``n``-th child, unless its children are articles (第X条 are numbered
    across the whole draft: 监督管理第二条 is article 2 wherever it is, a plain mention). With ``items`` (an Arabic
    number, as the draft labels items, not sections: 主要任务第3项, not 主要任务第三项 / 第（三）项) and a clause whose
    children are all sections over numbered items, the item numbered ``n`` comes first: 主要任务第3项 is item 3, not
    section (三)."""
    kids = index.children[parent]
    if items and kids and all(index.children[j] for j in kids):
        for j in index.descendants[parent]:
            if index.numbers[j] == n and not index.children[j]:
                return j
    for candidates in (index.children[parent], index.descendants[parent]):
        for j in candidates:
            if index.numbers[j] == n:
                return j
    kids = index.children[parent]
    if any(index.styles[j] == "article" for j in kids):
        return None
    return kids[n - 1] if 0 < n <= len(kids) else None


def _top_parts(index: _ClauseIndex, n: int, annex: bool) -> list[int]:
    """Top-level parts numbered ``n`` (三、 of the body; of the annex when the comment says 附件)."""
    return [i for i, c in enumerate(index.clauses) if index.numbers[i] == n and index.styles[i] in ("part", "chapter")
            and c.level == (2 if index.in_annex[i] else 1) and index.in_annex[i] == annex]


def _points_of_parts(plain: str, index: _ClauseIndex, in_annex: Callable[[int, int], bool]
                     ) -> list[tuple[int, int, int, int]]:
    """(start, end, clause, part) of every "<part>第N项": a part's title (保障措施第五项, 保障措施中的第二点) or number
    (第四部分第五项) followed by the number of one of its points."""
    found = []
    for m in index.titled.finditer(plain) if index.titled is not None else ():
        parents = [index.titles[m.group(1)]]
        found.append((m, parents, m.group(2) or m.group(3)))
    for m in _PART_POINT.finditer(plain):
        n = to_int(m.group(1))
        parents = [] if n is None else (in_annex(m.start(), m.end()) and _top_parts(index, n, True)
                                         or _top_parts(index, n, False))
        found.append((m, parents, m.group(2) or m.group(3)))
    out = []
    for m, parents, numeral in found:
        n = to_int(numeral)
        # 主要任务第3项: an Arabic number without brackets is an item's label (3.), 第三项 / 第（三）项 a section's ((三))
        items = numeral.strip().translate(FULLWIDTH_DIGITS).isdigit() and "(" not in plain[m.start():m.end()]
        point = _point_of(index, parents[0], n, items) if parents and n is not None else None
        if point is not None:
            out.append((m.start(), m.end(), point, parents[0]))
    return sorted(out)


def _not_about(plain: str, start: int, end: int) -> bool:
    """Whether the comment names the clause at ``plain[start:end]`` only to say it is not about it."""
    clause_start = _clause_start(plain, start)
    after = plain[end:end + 40]
    return bool(_NOT_ABOUT_BEFORE.search(plain[max(clause_start, start - 24):start]) or _NOT_ABOUT_AFTER.match(after)
                or (_COMPARED_BEFORE.search(plain[clause_start:start]) and _NOT_ABOUT_COMPARED.match(after)))


def _clause_start(plain: str, k: int) -> int:
    """Where the comma-delimited clause of the comment holding ``plain[k]`` starts (at most ``_CLAUSE_REACH``
    characters back: a long text without punctuation costs no more per mention)."""
    low = max(0, k - _CLAUSE_REACH)
    found = max(plain.rfind(c, low, k) for c in "，,。！？；!?;\n")
    return found + 1 if found >= 0 else low


_CLAUSE_REACH = 80


def _next_to(index: _ClauseIndex, i: int, step: int) -> int | None:
    """The clause numbered next to clause ``i`` (``step`` ±1) in its numbering: an item numbered across sections
    (the seed's 1.–18.) or an article anywhere, else a sibling."""
    n = index.numbers[i]
    if n is None:
        return None
    across = index.styles[i] in ("arabic", "article")
    parent = index.clauses[i].key.rpartition(".")[0]
    for j, clause in enumerate(index.clauses):
        if (index.numbers[j] == n + step and index.styles[j] == index.styles[i]
                and index.in_annex[j] == index.in_annex[i] and (across or clause.key.rpartition(".")[0] == parent)):
            return j
    return None


def _credit_number(scores: np.ndarray, index: _ClauseIndex, n: int, unit: str, bracketed: bool,
                   annex: bool) -> bool:
    """Credit the clauses 第N<unit> names (in the annex or the body); True when one in the wanted part matched."""
    if bracketed and _credit(scores, index, n, ("paren",), EXACT_MENTION, annex):
        return True  # 第（二）项: the label copied as the draft writes it, (二)
    if unit in ("部分", "章", "大点"):
        return _credit(scores, index, n, ("part", "chapter"), EXACT_MENTION, annex, top_level=True)
    if unit == "节":
        return _credit(scores, index, n, ("section", "paren"), EXACT_MENTION, annex)
    if unit == "条":
        return (_credit(scores, index, n, ("article",), EXACT_MENTION, annex)
                or _credit(scores, index, n, ("arabic",), EXACT_MENTION, annex)
                or _credit(scores, index, n, ("paren",), WEAK_MENTION, annex))
    return (_credit(scores, index, n, ("arabic",), EXACT_MENTION, annex)  # 项 点 款 段
            or _credit(scores, index, n, ("paren", "article"), WEAK_MENTION, annex))


def _is_reference(plain: str, start: int, end: int) -> bool:
    before, after = plain[max(0, start - 6):start], plain[end:end + 20]
    return bool(_REFERENCE_BEFORE.search(before) or _REFERENCE_AFTER.match(after)
                or (_COMPARED_BEFORE.search(before) and _COMPARED_AFTER.match(after)))


#: The letter's own 附件, not the draft's: 见本函附件, 随函附件, 附件是我们的详细意见, 附件：会员企业名录 / 数据表.
_OWN_ANNEX_BEFORE = re.compile(r"(?:本函|随函|本信|此函|本意见|我们的|我会的|我公司的|我司的|我单位的)\s*的?$")
_OWN_ANNEX_AFTER = re.compile(r"^\s*(?:(?:是|为|中是)\s*(?:我们|我会|我公司|我司|我单位)|[:：]\s*(?:[0-9]+\s*[.、．]\s*)?"
                              r"[^，。；;\n]{0,30}?(?:数据表|统计表|情况表|调查表|名单|名录|说明|报告|材料|清单|问卷|汇总表|证明|函))")


def _own_annex(plain: str, start: int, end: int) -> bool:
    """Whether the 附件 at ``plain[start:end]`` is the letter's own attachment (see ``_OWN_ANNEX_BEFORE``)."""
    return bool(_OWN_ANNEX_BEFORE.search(plain[max(0, start - 6):start]) or _OWN_ANNEX_AFTER.match(plain[end:end + 40]))


def _of_other_text(plain: str, start: int) -> bool:
    """Whether the 第N条 at ``plain[start]`` is an article of another law, rule or notice (see ``_OTHER_TEXT_BEFORE``)."""
    m = _OTHER_TEXT_BEFORE.search(plain[max(0, start - 80):start])
    return m is not None and not (m.group(1) and _THE_DRAFT.search(m.group(1)))


def _mentions(text: str, index: _ClauseIndex) -> tuple[list[_Evidence], bool, _Plain, np.ndarray]:
    """Every mention in the comment as evidence (numbers, a part's points, cited headings; placed in the comment),
    whether it speaks of the annex, the comment as :func:`_plain` gives it, and the clauses it names only to say it
    is not about them (不涉及第十一条)."""
    n_clauses = len(index.clauses)
    normalized = _plain(text)
    plain = normalized.text
    # 附件 speaks of the annex, unless only to say the comment is not about it (以下意见与附件无关：第十五条…); the
    # numbers after it (or before it in its sentence: 第(三)项关于地毯，附件里的) are the annex's when it has them: a letter that says
    # 关于第三条…关于附件：…另外，第十二条… still names the body's 第三条 and 第十二条.
    places = [m.start() for m in re.finditer("附件", plain)
              if not _not_about(plain, m.start(), m.end()) and not _own_annex(plain, m.start(), m.end())]
    annex = bool(places)

    def in_annex(start: int, end: int) -> bool:
        if not places or places[0] < start:
            return bool(places)
        stop = _SENTENCE_END.search(plain, end)
        return any(end <= a < (stop.start() if stop else len(plain)) for a in places)
    out: list[_Evidence] = []
    not_about = np.zeros(n_clauses, dtype=bool)

    def add(start: int, end: int, scores: np.ndarray) -> None:  # (in the plain text)
        if scores.any() and _not_about(plain, start, end):
            not_about[scores > 0] = True
        elif scores.any():
            out.append(_Evidence(normalized.at(start), normalized.at(end - 1) + 1, scores,
                                 _is_reference(plain, start, end)))

    # A part's points first; their numbers are then no mention of the draft's item N (blanked out).
    scan = plain
    parts = _points_of_parts(plain, index, in_annex)
    for start, end, point, _ in parts:
        scores = np.zeros(n_clauses)
        scores[point] = EXACT_MENTION
        add(start, end, scores)
        scan = scan[:start] + " " * (end - start) + scan[end:]
    for m in _MENTION.finditer(scan):
        n, unit = to_int(m.group(2)), m.group(3)
        if n is None or _of_other_text(scan, m.start()):
            continue
        scores = np.zeros(n_clauses)
        # 附件第一部分第三项…第四项: a bare point after a part's point is that part's next point when it has one.
        part = next((p for a, _, _, p in reversed(parts) if a < m.start()), None)
        own = _point_of(index, part, n) if part is not None and unit in ("项", "点") else None
        if own is not None:
            scores[own] = EXACT_MENTION
        elif not _credit_number(scores, index, n, unit, bool(m.group(1)), in_annex(m.start(), m.end())):
            _credit_number(scores, index, n, unit, bool(m.group(1)), False)  # the annex has no such number
        add(m.start(), m.end(), scores)
    keys = {c.key: i for i, c in enumerate(index.clauses) if not index.in_annex[i]}
    for m in _DECIMAL.finditer(scan):
        if m.group(1) in keys:
            scores = np.zeros(n_clauses)
            scores[keys[m.group(1)]] = EXACT_MENTION
            add(m.start(), m.end(), scores)
    for m in _PAREN_MENTION.finditer(scan):
        n = to_int(m.group(1))
        if n is not None:
            scores = np.zeros(n_clauses)
            _credit(scores, index, n, ("paren",), WEAK_MENTION, in_annex(m.start(), m.end()))
            add(m.start(), m.end(), scores)
    # (end, clause) of every mention of one clause, in order: the last one before a relative point is its base.
    single = sorted((e.end, int(np.argmax(e.scores))) for e in out if np.count_nonzero(e.scores == e.scores.max()) == 1)
    for m in _RELATIVE.finditer(scan):
        at = bisect.bisect_right(single, (normalized.at(m.start()), n_clauses))
        j = _next_to(index, single[at - 1][1], -1 if m.group(1) in ("上一", "前一") else 1) if at else None
        if j is not None:
            scores = np.zeros(n_clauses)
            scores[j] = EXACT_MENTION
            add(m.start(), m.end(), scores)
            bisect.insort(single, (normalized.at(m.end() - 1) + 1, j))
    from .quotes import canonical_offsets

    # A title that locates a point (跨境电商产业园区布局的第三项) is no mention of its part: cited in ``scan`` only.
    comment, offsets = canonical(scan), None
    quoted = [(m.start(), m.end(), canonical(m.group(1))) for m in _QUOTED.finditer(plain)]
    for i, heading in enumerate(index.headings):
        if len(heading) < MIN_HEADING_CHARS:
            continue
        spans = [(a, b) for a, b, q in quoted if len(q) >= MIN_HEADING_CHARS and q in heading]
        if not spans and _cites(heading, comment, scan):
            offsets = offsets or canonical_offsets(scan)[1]
            at = comment.find(heading)
            spans = [(offsets[at], offsets[at + len(heading) - 1] + 1)]
        for a, b in spans[:1]:
            scores = np.zeros(n_clauses)
            scores[i] = HEADING_MENTION
            add(a, b, scores)
    # 人才部分, 外汇这块, 统计方面: a word of one clause's heading named as a part of the draft.
    for m in _TOPIC.finditer(scan):
        for n in (4, 3, 2):
            topic = index.topics.get(scan[max(0, m.start() - n):m.start()]) if m.start() >= n else None
            if topic is not None:
                scores = np.zeros(n_clauses)
                scores[topic] = TOPIC_MENTION
                add(m.start() - n, m.end(), scores)
                break
    return out, annex, normalized, not_about


def _secondary(evidence: list[_Evidence], named_by: int, normalized: _Plain,
               quoted: list[tuple[int, int]]) -> list[bool]:
    """Which evidence is secondary: references, and the scene before the comment's first turn or proposal word
    when the clause it opens (up to the next comma or sentence end) names other clauses, by mentions (the first
    ``named_by`` of ``evidence``; a quotation names nothing) that are no references. A turn word inside a quotation
    of the draft is the draft's, not the comment's."""
    secondary = _approved_first(evidence[:named_by], normalized, quoted) + [e.reference for e in evidence[named_by:]]
    plain, at = normalized.text, normalized.at
    turn = next((m for m in _TURN.finditer(plain) if not any(a <= at(m.start()) < b for a, b in quoted)), None)
    if turn is None:
        return secondary
    stop = _CLAUSE_END.search(plain, turn.end())
    # The turn word's clause from its start: 第三条的清单应该… names 第三条 before the word.
    turn_start, window_end = at(_clause_start(plain, turn.start())), at(stop.start()) if stop else normalized.length
    named = np.zeros(len(evidence[0].scores), dtype=bool) if evidence else None
    for e in evidence[:named_by]:
        if not e.reference and turn_start <= e.start < window_end and named is not None:
            named |= e.scores > 0
    if named is None or not named.any():
        return secondary
    return [s or (e.end <= turn_start and not (e.scores > 0)[named].any()) for s, e in zip(secondary, evidence)]


def _approves(window: str) -> bool:
    """Whether ``window`` approves (see ``_APPROVED``) without a negation in the 4 characters before the word."""
    return any(not m.group(1) or not (_NEGATED.search(window[max(0, m.start() - 4):m.start()])
                                      or window.startswith(("不了", "不来"), m.end()))
               for m in _APPROVED.finditer(window))


def _approved_first(mentions: list[_Evidence], normalized: _Plain, quoted: list[tuple[int, int]]) -> list[bool]:
    """References, and clauses the comment approves (第九条没问题, 第二条…我赞成: up to the next mention or the end of
    the sentence, with no turn word) before it names another clause it has something to say about: the scene."""
    plain = normalized.text
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, mentions[i].end))
    found = [mentions[i] for i in order]  # in the comment's order
    starts = [e.start for e in found]
    approved = []
    for k, e in enumerate(found):
        following = bisect.bisect_left(starts, e.end, k + 1)
        a = _plain_index(normalized, e.end)
        b = _plain_index(normalized, starts[following]) if following < len(found) else len(plain)
        stop = _SENTENCE_END.search(plain, a, b)
        window = plain[a:stop.start() if stop else b]
        approved.append(_approves(window) and not _TURN.search(window)
                        and not any(q <= e.start < r for q, r in quoted))
    # 第十条、第十一条我们都没意见: a list of mentions shares what is said after its last one.
    for k in range(len(found) - 2, -1, -1):
        if found[k + 1].start >= found[k].end and _LIST_JOIN.fullmatch(
                plain[_plain_index(normalized, found[k].end):_plain_index(normalized, found[k + 1].start)]):
            approved[k] = approved[k + 1]
    # The clauses named after each mention by mentions that neither approve nor refer.
    named_after = np.zeros((len(found) + 1, len(found[0].scores) if found else 0), dtype=bool)
    for k in range(len(found) - 1, -1, -1):
        named_after[k] = named_after[k + 1]
        if not approved[k] and not found[k].reference:
            named_after[k] |= found[k].scores > 0
    out = [e.reference for e in mentions]
    for k, e in enumerate(found):
        if approved[k] and not e.reference and (named_after[k + 1] & ~(e.scores > 0)).any():
            out[order[k]] = True
    return out


def _plain_index(normalized: _Plain, place: int) -> int:
    """The first character of the plain text at or after ``place`` of the comment."""
    if normalized.offsets is None:
        return place
    return bisect.bisect_left(normalized.offsets, place)


def _combined(evidence: list[_Evidence], secondary: list[bool], n: int) -> np.ndarray:
    scores = np.zeros(n)
    for e, low in zip(evidence, secondary):
        np.maximum(scores, e.scores * (SECONDARY if low else 1.0), out=scores)
    return scores


def _mention_scores(evidence: list[_Evidence], secondary: list[bool], index: _ClauseIndex,
                    annex: bool) -> np.ndarray:
    scores = _combined(evidence, secondary, len(index.clauses))
    # A mention of a part or section is also weaker evidence for each clause inside it ("保障措施中的政企沟通机制":
    # 4.4 with its similarity should beat 四、 alone).
    for i, clause in enumerate(index.clauses):
        if scores[i] > 0:
            inherited = INHERITED_MENTION if clause.body else INHERITED_FROM_HEADING
            for j in index.descendants[i]:
                scores[j] = max(scores[j], scores[i] * inherited)
    if annex:
        scores[np.array(index.in_annex, dtype=bool)] += ANNEX_MENTION
    return scores


def _quotation_evidence(text: str, draft: Draft, index: _ClauseIndex,
                        quotations: Sequence[Quotation] | None) -> list[_Evidence]:
    from .quotes import find_quotations

    position = {c.key: i for i, c in enumerate(index.clauses)}
    if quotations is None:
        quotations = find_quotations(text, draft, tokenizer=index.tokenizer)
    out = []
    for q in quotations:
        i = position.get(q.clause_key) if q.clause_key is not None else None
        if i is not None:
            scores = np.zeros(len(index.clauses))
            whole = canonical(q.draft_text) in _sentences(index.clauses[i].body)
            scores[i] = QUOTATION * (1.0 if whole else min(1.0, len(canonical(q.text)) / FULL_QUOTATION_CHARS))
            out.append(_Evidence(q.start, q.end, scores))
    return out


@lru_cache(maxsize=256)
def _sentences(body: str) -> frozenset[str]:
    """The canonical sentences and comma-delimited clauses of a clause's text, of ``WHOLE_QUOTATION_CHARS`` or more: a
    quotation of one of them counts fully, however short."""
    pieces = (canonical(p) for p in re.split(r"[。！？；!?;,，\n]", body))
    return frozenset(p for p in pieces if len(p) >= WHOLE_QUOTATION_CHARS)


def clause_scores(text: str, draft: Draft, *,
                  quotations: Sequence[Quotation] | None = None) -> list[tuple[str, float]]:
    """(clause key, score) for every clause with text, best first (ties in document order).

    ``quotations`` (:class:`analysis.quotes.Quotation` values) saves finding them again when the caller has them."""
    index = _index(draft)
    if not index.clauses or not text or not text.strip():
        return []
    quoted = _quotation_evidence(text, draft, index, quotations)
    # Quotations of two clauses or more (“…退货中心仓。推广落实…税收政策”这两句之后，建议…无票免征): each counts for its
    # clause; which one the comment is about is for its own words to say, so similarity leaves the quotations out.
    own = text
    if len({int(np.argmax(q.scores)) for q in quoted}) > 1:
        for q in sorted(quoted, key=lambda q: -q.start):
            own = f"{own[:q.start]}，{own[q.end:]}"
    word = (index.word_matrix @ index.words.transform([index.tokenizer.tokenize(own)]).T).toarray().ravel()
    char = (index.char_matrix @ index.chars.transform([canonical(own)]).T).toarray().ravel()
    # A heading without text is found through mentions; its words alone say little about similarity.
    word[index.heading_only] = 0.0
    char[index.heading_only] = 0.0
    mentions, annex, normalized, not_about = _mentions(text, index)
    # A mention inside a quotation of the draft is the draft's own (第N条 quoted with the text) and no turn word.
    mentions = [m for m in mentions if not any(q.start <= m.start and m.end <= q.end for q in quoted)]
    evidence = mentions + quoted
    secondary = _secondary(evidence, len(mentions), normalized, [(q.start, q.end) for q in quoted])
    scores = (_mention_scores(mentions, secondary[:len(mentions)], index, annex)
              + _combined(quoted, secondary[len(mentions):], len(index.clauses)) + 0.5 * (word + char))
    # A clause the comment says it is not about (and names nowhere else) keeps little of its similarity.
    if not_about.any():
        named = np.zeros(len(scores), dtype=bool)
        for e in evidence:
            named |= e.scores > 0
        scores[not_about & ~named] *= SECONDARY
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return [(index.clauses[i].key, float(scores[i])) for i in order]


def suggest_clauses(text: str, draft: Draft, top: int = 3, *,
                    quotations: Sequence[Quotation] | None = None) -> list[str]:
    """Keys of the ``top`` clauses a comment most likely addresses, best first; [] when nothing matches."""
    return [key for key, score in clause_scores(text, draft, quotations=quotations)[:top] if score > 0]
