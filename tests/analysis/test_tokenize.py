import logging
import tempfile

import jieba
import pytest

import analysis
from analysis import Tokenizer, default_tokenizer
from analysis import tokenize as tokenize_module


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer(user_terms=["跨境电商+产业带", "OEM", "9610", "市商务局"])


def test_user_terms_stay_whole_whatever_the_width_or_case(tokenizer):
    tokens = tokenizer.tokenize("建议推动“跨境电商＋产业带”发展，ｏｅｍ企业也要支持，市商务局牵头")
    assert "跨境电商+产业带" in tokens
    assert "oem" in tokens
    assert "市商务局" in tokens


def test_stop_words_boilerplate_and_punctuation_dropped(tokenizer):
    tokens = tokenizer.tokenize("我们认为，有关部门应该尽快解决跨境物流问题！！")
    assert "我们" not in tokens and "认为" not in tokens and "有关部门" not in tokens
    assert not any(t in {",", "!", "，", "！"} for t in tokens)
    assert "物流" in tokens


def test_numbers_dropped_except_codes(tokenizer):
    tokens = tokenizer.tokenize("到２０２７年交易额1000亿元，9610和9710模式都要支持，比例10.5")
    assert "9610" in tokens and "9710" in tokens  # a user term and a known customs code
    assert not {"2027", "1000", "10.5"} & set(tokens)


def test_acronyms_lower_case_and_single_letters_dropped(tokenizer):
    tokens = tokenizer.tokenize("B2B和B2C出口，DTC品牌，A市的企业")
    assert {"b2b", "b2c", "dtc"} <= set(tokens)
    assert "a" not in tokens


def test_traditional_and_simplified_give_the_same_tokens(tokenizer):
    assert tokenizer.tokenize("跨境電商人才培養") == tokenizer.tokenize("跨境电商人才培养")


def test_emoji_only_and_stop_words_only_give_nothing(tokenizer):
    assert tokenizer.tokenize("👍👍👍") == []
    assert tokenizer.tokenize("我们认为应该这样。") == []
    assert tokenizer.tokenize("") == []


def test_long_argument_keeps_content_words(tokenizer):
    text = ("作为一家在天津从事跨境电商十年的企业，我们认为征求意见稿第十二条关于外汇管理的规定很有必要，"
            "但是对于年收汇金额低于20万美元的小微企业，免于名录登记之后，银行审核的尺度并不统一，"
            "实际办理中仍然需要提交大量材料，建议市商务局会同外汇管理部门出台细则。") * 2
    tokens = tokenizer.tokenize(text)
    assert {"外汇", "小微", "名录", "市商务局"} <= set(tokens)


def test_tokenize_many_matches_tokenize_in_order_also_in_processes(tokenizer, monkeypatch):
    texts = [f"第{i}条建议：跨境电商企业外汇结算太慢，物流太贵" if i % 2 else "人才培养很重要👍" for i in range(60)]
    monkeypatch.setattr(tokenize_module, "PARALLEL_MIN_TEXTS", 10)
    monkeypatch.setattr(tokenize_module, "_CHUNK", 7)
    assert tokenizer.tokenize_many(texts, workers=2) == [tokenizer.tokenize(t) for t in texts]


def test_no_cache_file_in_temp_dir_and_quiet_logger(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    Tokenizer(user_terms=["自定义术语"]).tokenize("自定义术语测试一下")
    assert list(tmp_path.iterdir()) == []
    assert logging.getLogger("jieba").getEffectiveLevel() >= logging.WARNING


def test_never_uses_the_global_jieba_tokenizer(tokenizer):
    tokenizer.tokenize("跨境电商+产业带")
    assert "跨境电商+产业带" not in jieba.dt.FREQ


def test_default_tokenizer_is_built_once():
    assert default_tokenizer() is default_tokenizer()
    assert isinstance(analysis.default_tokenizer(), Tokenizer)


def test_custom_stopwords_replace_the_default():
    tk = Tokenizer(stopwords=["物流"])
    tokens = tk.tokenize("我们认为物流太贵")
    assert "物流" not in tokens and "我们" in tokens


def test_pickles_by_configuration(tokenizer):
    import pickle

    clone = pickle.loads(pickle.dumps(tokenizer))
    assert clone.tokenize("跨境电商+产业带和OEM") == tokenizer.tokenize("跨境电商+产业带和OEM")


def test_light_normalisation_gives_the_same_tokens_as_full_nfkc(monkeypatch, topic_comments):
    from analysis.normalize import normalize

    texts = list(topic_comments[0]) + [
        "ＯＥＭ企业２０２７年，ＤＴＣ品牌！", "①第一条　和②第二条", "企业（一）、（二）：“跨境电商”；《意见》",
        "ﬁle ｈｔｔｐ：／／ｅｘａｍｐｌｅ．ｃｏｍ", "Ⅻ条 ²³ ½ ㈠", "半角,标点.和全角，标点。混用!！",
    ]
    light = Tokenizer()
    expected = [light.tokenize(t) for t in texts]
    monkeypatch.setattr(tokenize_module, "_normalize_for_tokens", normalize)
    assert [Tokenizer().tokenize(t) for t in texts] == expected
