from analysis import canonical, normalize, split_sentences


def test_full_width_to_half_width_and_case():
    assert normalize("ＯＥＭ企业２０２７年，ＤＴＣ品牌！") == "oem企业2027年,dtc品牌!"


def test_whitespace_collapsed_and_stripped():
    assert normalize("  跨境\t电商\n\n  出口  ") == "跨境 电商 出口"


def test_traditional_to_simplified():
    assert normalize("跨境電商外匯結算") == "跨境电商外汇结算"


def test_canonical_keeps_only_letters_and_digits():
    assert canonical("支持！ 支持…👍 9610模式") == "支持支持9610模式"
    assert canonical("👍👍！！") == ""


def test_split_sentences():
    text = "我支持这个计划。但是外汇结算太慢！能不能快一点？\n另外，物流太贵"
    assert split_sentences(text) == ["我支持这个计划。", "但是外汇结算太慢!", "能不能快一点?", "另外,物流太贵"]


def _canonical_many_cases() -> list[str]:
    """Texts over every code point (in runs of 97, forwards and backwards; the BMP's one at a time) and the characters that need care:
    NFKC, traditional characters, İ (lower case of two characters), Σ (its lower case depends on its
    neighbours), surrogates, NUL, empty texts."""
    import random

    every = [chr(c) for c in range(0x110000)]
    texts = ["".join(every[i:i + 97]) for i in range(0, len(every), 97)]
    texts += [t[::-1] for t in texts]
    texts += [f"电{c}" for c in every[:0x10000]]  # every character of the BMP on its own
    rng = random.Random(7)
    special = list("İΣσςΑ ａＢ１２①Ⅻ㈱ﬁ⼀電商業務跨境电商，。！ \u3000\u00a0\u0301\x00_9z") + ["ΑΣ", "ΣΑ", "Σ", "İİ"]
    for _ in range(3000):
        texts.append("".join(rng.choice(special) for _ in range(rng.randint(0, 12))))
    return ["", *texts, "\ud800跨境ＡΣ\udfff", ""]  # OpenCC cannot take a surrogate: none with 電


def test_canonical_many_is_canonical_of_each():
    from analysis.normalize import canonical_many

    texts = _canonical_many_cases()
    assert canonical_many(texts) == [canonical(t) for t in texts]
    assert canonical_many([]) == []
    assert canonical_many(["ＯＥＭ企業，ΑΣ İ", ""]) == [canonical("ＯＥＭ企業，ΑΣ İ"), ""]
