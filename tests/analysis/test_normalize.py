import importlib
from itertools import pairwise

from analysis import canonical, normalize, split_sentences
from tests.analysis.helpers import unicode_cases


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


def test_canonical_many_is_canonical_of_each():
    from analysis.normalize import canonical_many

    texts = unicode_cases()
    assert canonical_many(texts) == [canonical(t) for t in texts]
    assert canonical_many([]) == []
    assert canonical_many(["ＯＥＭ企業，ΑΣ İ", ""]) == [canonical("ＯＥＭ企業，ΑΣ İ"), ""]


def test_canonical_many_in_runs_of_texts(monkeypatch):
    module = importlib.import_module("analysis.normalize")  # analysis.normalize is also a function
    texts = unicode_cases()[-4000:]
    whole = module.canonical_many(texts)
    monkeypatch.setattr(module, "_CHUNK", 50)
    runs = list(module.chunks(texts))
    assert runs[0][0] == 0 and runs[-1][1] == len(texts) and all(a[1] == b[0] for a, b in pairwise(runs))
    assert all(e - s == 1 or sum(map(len, texts[s:e])) <= 50 for s, e in runs) and len(runs) > 100
    assert module.canonical_many(texts) == whole == [canonical(t) for t in texts]
