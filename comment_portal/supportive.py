"""Recognise comments that only express support (同意/支持/赞成 …) and propose nothing.

Pure function, no Flask, no database: the bulk-thanks page uses it to pick candidates, and staff
still confirm each one before it is answered.
"""

from __future__ import annotations

import re
import unicodedata

#: Words that express agreement with the draft.
SUPPORT_WORDS = ("同意", "支持", "赞成", "赞同", "拥护", "点赞", "很好", "非常好", "挺好", "好政策", "没有意见",
                 "无意见", "无异议", "没有异议", "认可")
#: Words that turn a comment into a proposal, a question or an objection.
PROPOSAL_WORDS = ("建议", "应当", "应该", "希望", "请", "增加", "修改", "删除", "删去", "补充", "明确",
                  "调整", "改为", "但", "不过", "然而", "是否", "能否", "可否", "需要", "加大", "完善",
                  "提高", "降低", "放宽", "取消", "细化", "？", "?")
NEGATIONS = ("不同意", "不支持", "不赞成", "不赞同", "反对", "不认可", "不拥护")
#: Longer texts nearly always carry an argument or a proposal worth reading.
MAX_LENGTH = 40

_SPACE = re.compile(r"\s+")


def is_supportive(text: str | None) -> bool:
    """True for a short comment that agrees with the draft and proposes nothing.

    >>> is_supportive("同意！")
    True
    >>> is_supportive("支持，但建议增加对中小企业的补贴。")
    False
    """
    if not text:
        return False
    plain = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    if not plain or len(plain) > MAX_LENGTH:
        return False
    if any(word in plain for word in NEGATIONS):
        return False
    if not any(word in plain for word in SUPPORT_WORDS):
        return False
    return not any(word in plain for word in PROPOSAL_WORDS)
