from analysis import Tokenizer, terms_from_draft


def test_terms_from_hand_built_draft(small_draft):
    terms = terms_from_draft(small_draft)
    for expected in ["跨境电商+产业带", "国务院办公厅关于加快发展外贸新业态新模式的意见", "OEM", "ODM", "DTC", "B2B",
                     "1210", "9610", "9710", "市商务局", "市投促局", "国家外汇管理局天津市分局", "经开区", "东疆", "生态城"]:
        assert expected in terms, expected
    assert len(terms) == len(set(terms))


def test_terms_from_seed_cover_codes_acronyms_departments_places(seed_draft):
    terms = set(terms_from_draft(seed_draft))
    assert {"9610", "9710", "1210"} <= terms
    assert {"OEM", "ODM", "DTC", "B2B", "B2C", "FT"} <= terms
    assert {"市商务局", "天津海关", "市交通运输委", "人民银行天津分行"} <= terms
    assert {"跨境电商+产业带", "贸易外汇收支企业名录", "无票免征"} <= terms
    assert {"津南", "东丽", "宁河"} <= terms
    # The first item of a list keeps no words from before it, and verbs are not departments.
    assert "有高新区" not in terms and "市举办" not in terms


def test_terms_make_one_token_each(seed_draft):
    tokenizer = Tokenizer(terms_from_draft(seed_draft))
    tokens = tokenizer.tokenize("建议“跨境电商+产业带”和贸易外汇收支企业名录由天津海关和市商务局负责")
    assert {"跨境电商+产业带", "贸易外汇收支企业名录", "天津海关", "市商务局"} <= set(tokens)


def test_terms_are_deterministic(seed_draft):
    assert terms_from_draft(seed_draft) == terms_from_draft(seed_draft)


def test_tokenizer_for_draft_is_shared(seed_draft):
    from analysis import tokenizer_for_draft

    assert tokenizer_for_draft(seed_draft) is tokenizer_for_draft(seed_draft)
    assert "9610" in tokenizer_for_draft(seed_draft).tokenize("直邮进出口业务9610")
