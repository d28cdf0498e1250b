"""Names written in pinyin (draft.pinyin_names): its tables agree with pypinyin, and the forms people write a name
in to get past a filter are masked while English, brands and places stay. The corpora (tests/exports/data/
redaction_pinyin*.json) run through test_exports_redaction_corpus.py."""

from __future__ import annotations

import pytest
from pypinyin import Style, pinyin
from pypinyin.constants import PINYIN_DICT
from pypinyin.contrib.tone_convert import to_normal

from draft.contacts import COMPOUND_SURNAMES as HAN_COMPOUND_SURNAMES
from draft.contacts import SURNAMES as HAN_SURNAMES
from draft.pinyin_names import COMPOUND_SURNAMES, NOT_NAMES, SURNAMES, SYLLABLES, syllables
from exports.redact import redact

SURNAME_READINGS = {"曾": "zeng", "单": "shan", "翟": "zhai", "解": "xie", "查": "zha", "仇": "qiu", "覃": "qin", "缪": "miao"}


def test_the_syllables_are_pypinyins() -> None:
    readings = {to_normal(r) for value in PINYIN_DICT.values() for r in value.split(",")}
    expected = {r for r in readings if r.isascii() and r.isalpha()} - {"m", "n", "ng", "hm", "hng"} | {"lyu", "nyu"}
    assert SYLLABLES == expected


def test_the_surnames_are_read_as_surnames() -> None:
    readings = {SURNAME_READINGS.get(ch) or pinyin(ch, style=Style.NORMAL)[0][0] for ch in HAN_SURNAMES}
    assert SURNAMES == readings
    assert COMPOUND_SURNAMES == {"".join(r[0] for r in pinyin(s, style=Style.NORMAL)) for s in HAN_COMPOUND_SURNAMES}


def test_every_place_or_brand_listed_reads_as_pinyin() -> None:
    """A word of NOT_NAMES that is not pinyin would never be taken for a name anyway: the list holds no dead entries."""
    assert [w for w in NOT_NAMES if not syllables(w, strict=False)] == []  # (Tian An Men: joined, not one word)


@pytest.mark.parametrize(("word", "count"), [("jianguo", 2), ("liu", 1), ("xian", 1), ("zhuang", 1), ("amazon", 0),
                                            ("shopee", 0), ("b", 0), ("", 0), ("a" * 40, 0)])
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


@pytest.mark.parametrize(("text", "name", "expected"), [
    # invisible and full-width characters inside the name are masked with it
    ("L\u200bi\u200bu Jianguo建议简化流程。", "刘建国", "【姓名已隐去】建议简化流程。"),
    ("Ｌｉｕ　Ｊｉａｎｇｕｏ建议简化流程。", "刘建国", "【姓名已隐去】建议简化流程。"),
    # the name masked, the place beside it kept
    ("联系人：Guo Jing（Tianjin Binhai）", "", "联系人：【姓名已隐去】（Tianjin Binhai）"),
    # a name inside an English sentence, after a title
    ("We met Dr. Zhou Min at the expo.", "", "We met Dr. 【姓名已隐去】 at the expo."),
    # someone else with the same surname is not the submitter
    ("Liu Xiang 的建议我赞同。", "刘建国", "Liu Xiang 的建议我赞同。"),
    # found by trying to get past the rules after the corpora passed: dots and underscores as joiners, digits and
    # Cyrillic letters for Latin ones, 我的名字是, an English given name after 联系人
    ("我是Liu.Jianguo，建议简化流程。", "", "我是【姓名已隐去】，建议简化流程。"),
    ("我是 liu_jianguo，建议简化流程。", "", "我是 【姓名已隐去】，建议简化流程。"),
    ("L1u J1anguo 建议简化流程。", "刘建国", "【姓名已隐去】 建议简化流程。"),
    ("L\u0456u Jianguo 建议简化流程。", "刘建国", "【姓名已隐去】 建议简化流程。"),
    ("我的名字是 Wang Fang，建议简化流程。", "", "我的名字是 【姓名已隐去】，建议简化流程。"),
    ("联系人：Tom Zhang，建议简化流程。", "", "联系人：【姓名已隐去】，建议简化流程。"),
    # a list of names in Western order (opencc's METADATA): a name is not made of one person's surname and the
    # next one's given name across a comma; the one-syllable given names (Peng) are the known gap below
    ("Author: Carbo Kuo, Peng Huang, Kefu Chai, LI Daobing, Asias, Peng Wu, Xiaojun Ma", "",
     "Author: Carbo Kuo, Peng Huang, 【姓名已隐去】, 【姓名已隐去】, Asias, Peng Wu, 【姓名已隐去】"),
    ("Author: Sun, Junyi", "", "Author: 【姓名已隐去】"),
    ("* [Kan-Ru Chen](http://kanru.info/)", "", "* [【姓名已隐去】](http://kanru.info/)"),
    ("负责人：Wang Fang；提交人：Chen Jie", "", "负责人：【姓名已隐去】；提交人：【姓名已隐去】"),
    # a signature with a title line under the name
    ("Please open a warehouse in Hamburg.\n\nBest regards,\nChen Hao\nDirector, Binhai Silk Road Trading Co.", "",
     "Please open a warehouse in Hamburg.\n\nBest regards,\n【姓名已隐去】\nDirector, Binhai Silk Road Trading Co."),
])
def test_masking(text: str, name: str, expected: str) -> None:
    assert redact(text, names=[name] if name else [])[0] == expected


# English found masked in the METADATA and LICENSE files of the installed packages (1.5 M characters nobody on the
# team wrote) before the rules were tightened: a cue word without its colon, li·ne, jie·ba, a lower-case last line.
@pytest.mark.parametrize("text", [
    "I am Tianjin based, and I wish Temu and SHEIN well.",  # a cue before a place
    "我是 Huawei 的供应商，也卖 Xiaomi 配件。",
    "Name: Amazon Global Selling",
    "建议尽快出台细则。\nTianjin, China",  # a place as the signature line
    "the notice gives the contact line, and the e-mail address",
    "information on how to contact you by electronic and paper mail",
    "The ReportLab Toolkit. An Open Source Python library for generating PDFs",
    "Name: jieba\nVersion: 0.42.1",
    "例如：\n    yīn yuè",
    "建议简化流程。\nHong Kong\n2024年10月1日",  # a place on the last lines
    "推荐品牌：\nLi Ning\nAnta",
    # places written syllable by syllable, and words whose given name would have one syllable (they need a cue)
    "Tian Jin Gang 和 Dong Jiang Gang 的运力不足。",
    "建议在 He Ping Qu 和 Wang Fu Jing 设点。",
    "Tian An Men Square, Zhong Guan Cun, Gu Lou Da Jie",
    "Feng Shui, Yin Yang, Gao Kao, Bai Jiu, Mao Tai",
])
def test_english_brands_and_places_after_cues_stay(text: str) -> None:
    assert redact(text)[0] == text


def test_a_name_in_full_needs_no_cue_but_a_one_syllable_given_name_does() -> None:
    assert redact("Liu Jianguo")[0] == "【姓名已隐去】"
    assert redact("Li Ning 品牌")[0] == "Li Ning 品牌"
    assert redact("联系人：Li Ning")[0] == "联系人：【姓名已隐去】"


@pytest.mark.parametrize("text", [
    "Москва и Россия: экспорт через Tianjin.",  # Cyrillic read as Latin look-alikes is still no pinyin name
    "www.baidu.com 和 tianjin.gov.cn",
    "e.g. Amazon.com, i.e. the platform",
])
def test_look_alike_letters_and_dotted_words_stay(text: str) -> None:
    assert redact(text)[0] == text


@pytest.mark.parametrize(("text", "secret"), [("联系人：刘 J.G.，建议简化流程。", "J.G."),
                                             ("Zhang Wei and Li Na suggest lower fees.", "Zhang Wei"),
                                             ("Zhang Wei and Li Na suggest lower fees.", "Li Na"),
                                             ("I met Wei Zhang & Na Li at the expo.", "Na Li")])
def test_former_gaps(text: str, secret: str) -> None:
    """Once known gaps (strict xfails): a 汉字 surname with initials after a cue; two people with one-syllable given
    names joined by 'and' in running text."""
    assert secret not in redact(text)[0]


@pytest.mark.parametrize("text", ["Yin Yang and Feng Shui are old ideas.", "Li Ning and Anta sell shoes.",
                                  "Hong Kong and Macao", "Tian Jin and Bei Jing", "Ping Pong and Tai Chi",
                                  "Long Time and Big Data", "He Ping and He Xi districts"])
def test_pairs_joined_by_and_that_are_no_people_stay(text: str) -> None:
    assert redact(text)[0] == text
