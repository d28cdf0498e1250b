"""Numbers as Chinese drafts write them: 一/十二/二十一/一百零五, ①…㊿, full-width digits."""

from __future__ import annotations

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)

# ① … ⑳ are U+2460…U+2473, ㉑ … ㉟ U+3251…U+325F, ㊱ … ㊿ U+32B1…U+32BF.
CIRCLED = (
    {chr(0x2460 + i): i + 1 for i in range(20)}
    | {chr(0x3251 + i): i + 21 for i in range(15)}
    | {chr(0x32B1 + i): i + 36 for i in range(15)}
)
CIRCLED_CHARS = "".join(CIRCLED)

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def chinese_to_int(text: str) -> int | None:
    """``十二`` → 12, ``二十`` → 20, ``一百零五`` → 105, ``二〇二四`` → 2024; ``None`` if not a numeral."""
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    if not any(ch in CN_UNITS for ch in text):  # digit by digit, as in years: 二〇二四
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS[ch]
        return value
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
    if digit is not None:
        total += digit
    return total


def to_int(text: str) -> int | None:
    """Any single number as written (Arabic, full-width, Chinese, circled) → int."""
    text = text.strip().translate(FULLWIDTH_DIGITS)
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) == 1 and text in CIRCLED:
        return CIRCLED[text]
    return chinese_to_int(text)
