"""Comments that only express support (支持！希望早日落地。/ 赞成 / 同意本条 / 好政策👍 / 非常支持，尽快出台).

They are answered together with thanks and never clustered with substantive comments. A comment that opens with
support and then proposes, objects, asks or argues (支持，但建议把补贴提高到50万) is substantive.

The text is cut into clauses at punctuation; each clause is support (支持, 赞成, 同意, 好政策, 👍, 无意见 …), a wish
that the draft be carried out (希望早日落地, 尽快出台, 期待实施, 加油), thanks, or neutral (本人, 这一条, 写得很实在);
any clause that proposes, objects, asks, worries, points to more (附件), or names a figure makes the comment
substantive, and so does sarcasm (支持个鬼, 呵呵，好政策, 又是画大饼).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .normalize import _to_simplified

if TYPE_CHECKING:
    from draft.model import Draft

    from .quotes import Quotation

#: Longer comments nearly always carry an argument or a proposal worth reading.
MAX_CHARS = 60

_THUMBS = "👍👏🎉💪❤♥🙏🌹👌✌☺😊😀😄🥰💯🔥"
_SUPPORT = re.compile(r"支持|赞成|赞同|同意|拥护|认可|认同|点赞|好政策|很好|非常好|挺好|真好|太好了|不错|给力|很赞|赞|"
                      r"好事|利好|无意见|没有意见|没意见|无异议|没有异议|无其他意见|^好+$|^好的$|^好!*$|棒|^顶+$|^顶一[个下]$")
# Internet shorthand for agreement, read before figures count as a proposal: +1, 666.
_SHORTHAND = re.compile(r"\+\s*1(?![0-9a-z_])|(?<![0-9a-z_])666+(?![0-9a-z_])")
_AGREE_PHRASES = re.compile(r"没有修改意见|无修改意见|没有其他意见|没有别的意见|没有不同意见")
_MAYBE = re.compile(r"[支赞贊讚同拥擁认認好意异異錯错力顶頂棒+6]")  # a cheap first look: every support word holds one of these
# Sarcasm and scorn (支持个鬼, 呵呵，好政策, 又是画大饼, 🙄): not support, whatever words it borrows.
_SCORN = re.compile(r"个(?:鬼|屁|头|锤子|毛线?|der)|才怪|呵呵|谁信|信你|画大?饼|忽悠|做梦|得了吧|拉倒吧|又是|又要|又来|"
                    r"搞笑|笑死|空话|喊口号|纸上谈兵|说得好听|说得轻巧|有什么用|有啥用|能怎样|能咋|[🙄😅🤣😂🙃😒]")
# Agreement with something other than the draft: another commenter (赞成楼上, 同意楼主, 赞同上面那位的说法, 附议),
# withdrawing or delaying it (支持废止这一条, 同意撤回, 赞成推迟实施, 支持另起炉灶), support with reservations
# (支持（有保留）) or a thumbs-down: for staff to read, not to thank.
_NOT_THE_DRAFT = re.compile(r"楼上|楼主|楼下|[0-9]+\s*楼|(?:上面|前面|上一)(?:那|这)?位|(?:上面|前面)的(?:意见|观点|说法|评论|留言)|"
                            r"(?:网友|他|她|大家|别人)的(?:意见|观点|说法|建议)|附议|废止|废除|撤回|撤销|暂缓|推迟|延期|延后|"
                            r"缓行|叫停|收回|另起炉灶|推倒重来|重新(?:制定|起草|拟定)|有保留|保留意见|有条件|附条件|[👎🤮💩😡😤]")
_NEGATION = re.compile(r"不同意|不支持|不赞成|不赞同|反对|不认可|不认同|不拥护|不好|不合理|不妥|不行|不可行|没必要|不必要|"
                       r"(?:支持|赞成|赞同|同意|认可|认同)不(?:了|来)|谁(?:会|能)?(?:同意|支持|赞成|认可)")
#: A support word after a negation a few characters before it: 并不是很支持, 无法支持, 不太赞成 (looked for only in a
#: clause that holds a support word).
_NEGATED_SUPPORT = re.compile(r"(?:不|无法|难以|没法|谈不上|称不上|未必)[^，,。!！?？;；]{0,3}?(?:支持|赞成|赞同|同意|认可|认同|拥护)")
_WISH = re.compile(r"(?:请|希望|期待|期盼|盼望?|望|祝|愿)?(?:各区|政府|商务局|计划|政策)?(?:早日|尽快|尽早|抓紧|加快|早点|快点|赶快)"
                   r"(?:印发|出台|落地|实施|落实|见效|推行|执行|发布|施行)(?:实施|见效)?|"
                   r"(?:期待|希望|期盼|盼)(?:早日)?(?:落实|实施|落地|见效|出台)|越来越好|加油|谢谢|感谢|辛苦了")
_REFERENCE = re.compile(r"第\s*[0-9.．一二三四五六七八九十百]+\s*(?:条|项|款|点|部分)")
_PROPOSAL = re.compile(r"建议|希望|应当|应该|应|需要|须|要求|请|增加|加上|添加|提高|降低|修改|改为|改成|删除|删去|补充|明确|调整|"
                       r"完善|细化|放宽|取消|合并|加大|扩大|缩小|倾斜|但|不过|可惜|就是|然而|只是|另外|此外|同时|还有|也建议|"
                       r"能否|是否|可否|能不能|吗|问|怎么|哪里|哪些|什么|多少|何时|没有提到|没提|没写|太(?![好棒])|门槛|缺少|缺乏|不够|"
                       r"慢|难|贵|少|高了|低了|目标|[0-9０-９]|[?？]|"
                       # a concern, a wish beyond the draft, or a pointer to more (附件, 书面意见)
                       r"偏[低高少多严松紧窄宽长短慢]|再[^，。！]{0,3}[点些](?!赞)|还(?:得|要|应|需|可以)|最好|附件|附表|"
                       r"详细意见|书面意见|另附|见附|另有|细则|鼓励|纳入|算进|写进|列入|加进|漏|(?<!特)别|不然|不知道|考虑|"
                       r"顺带|顺便|哪")


# A passage in quotation marks (“鼓励企业自建独立站”，支持！): the draft's words or someone else's, not the writer's ask.
_QUOTED = re.compile(r"“[^”]{6,}”|「[^」]{6,}」|『[^』]{6,}』|\"[^\"]{6,}\"|‘[^’]{6,}’")


def _clauses(text: str) -> list[str]:
    plain = _to_simplified().convert(unicodedata.normalize("NFKC", _QUOTED.sub("，", text))).lower()
    plain = _AGREE_PHRASES.sub("无意见", _SHORTHAND.sub(" 赞同 ", plain))
    plain = "".join(" " if ch in _THUMBS or unicodedata.category(ch) == "So" else ch for ch in plain)
    plain = _LETTER_SPACED.sub("", plain)  # 支 持 ！ → 支持 ！
    return [p for p in re.split(r"[\s,，。!！;；、:：~～…]+|(?<![0-9])\.+|\.+(?![0-9])", plain) if p]  # not 3.3.12


# A space between two characters where the second stands alone (支 持): the word written letter by letter.
_LETTER_SPACED = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff](?:\s|$|[^\u4e00-\u9fff]))")


def _thumbs_only(text: str) -> bool:
    stripped = [ch for ch in text if not ch.isspace()]
    return bool(stripped) and all(ch in _THUMBS or unicodedata.category(ch) == "So" for ch in stripped) and any(
        ch in _THUMBS for ch in stripped)


def is_supportive(text: str | None, draft: Draft | None = None, *,
                  quotations: Sequence[Quotation] | None = None) -> bool:
    """True for a comment that agrees with the draft (or a clause) and asks for nothing beyond carrying it out.

    Its quotations of the draft (``quotations``, or found in ``draft``) are the draft's words, not the writer's:
    鼓励OEM、ODM企业注册自有品牌——赞成！ quotes 鼓励 without quotation marks. Without either, only passages in
    quotation marks are read as quoted.

    >>> is_supportive("支持！希望早日落地。")
    True
    >>> is_supportive("支持，但建议把补贴提高到50万")
    False
    """
    if not text or not text.strip():
        return False
    if _thumbs_only(text):
        return True
    if len(text.strip()) > MAX_CHARS or not (_MAYBE.search(text) or any(ch in _THUMBS for ch in text)):
        return False
    if quotations is None and draft is not None:
        from .quotes import find_quotations

        quotations = find_quotations(text, draft)
    for q in sorted(quotations or (), key=lambda q: -q.start):
        text = f"{text[:q.start]}，{text[q.end:]}"
    clauses = _clauses(text)
    if not clauses or _SCORN.search(text) or _SCORN.search("".join(clauses)) or _NOT_THE_DRAFT.search(text):
        return False
    supported = False
    for clause in clauses:
        if _NEGATION.search(clause):
            return False
        if _PROPOSAL.search(_WISH.sub("", _REFERENCE.sub("", clause))):
            return False
        if _SUPPORT.search(clause):
            if _NEGATED_SUPPORT.search(clause):
                return False
            supported = True
    return supported or any(ch in _THUMBS for ch in text)
