"""Quotations of the draft: found with the small edits of pasting, per clause, and left out of what makes
comments alike."""

import pytest

from analysis import CommentIn, analyse_comment, find_quotations, group_comments, suggest_clauses
from analysis.quotes import draft_index, find_canonical_quotes, strip_quotes

CLAUSE_12 = "支持跨境电商企业将境外发生的仓储、物流、税收等费用与出口货款轧差结算"


@pytest.mark.parametrize("comment", [
    f"{CLAUSE_12}。建议明确办理银行。",                                     # as written
    "支持跨境电商企业将境外发生的仓储，物流，税收等费用与出口货款轧差结算，建议明确办理银行。",  # punctuation
    "支持 跨境电商企业 将境外发生的仓储、物流、税收等费用与出口货款轧差结算，建议明确办理银行",  # spaces
    "支持跨境电商企业将境外发生的仓储、无流、税收等费用与出口货款轧差结算，建议明确办理银行",    # a typo
    "支持跨境電商企業將境外發生的倉儲、物流、稅收等費用與出口貨款軋差結算，建議明確辦理銀行",    # traditional
    "支持跨境电商企业将境外的仓储、物流、税收等费用与出口货款轧差结算，建议明确办理银行",      # a word dropped
])
def test_quotation_with_small_edits_is_found_with_its_clause(seed_draft, comment):
    quotes = find_quotations(comment, seed_draft)
    assert [q.clause_key for q in quotes] == ["3.3.12"]
    q = quotes[0]
    assert comment[q.start:q.end] == q.text and "办理银行" not in q.text and len(q.text) >= 30
    assert "轧差结算" in q.draft_text


@pytest.mark.parametrize("comment", [
    "跨境电商外汇结算太麻烦，建议银行简化手续，提高个人账户的结汇额度。",
    "建议引进更多跨境电商平台企业到天津设立区域总部，并给予奖励。",
    "对年收汇不到20万美元的小企业免于名录登记，这个门槛太低，建议提高。",  # a paraphrase, not a copy
    "跨境电商企业的跨境电商综合服务平台和跨境电商产业园都要加强。",        # the draft's words, stitched
])
def test_vocabulary_and_paraphrase_are_not_quotations(seed_draft, comment):
    assert find_quotations(comment, seed_draft) == []


def test_two_quotations_of_two_clauses(seed_draft):
    comment = ("建议合并：建立龙头企业对接机制，提高企业服务水平；整合市、区和跨境电商平台力量，摸排全市产业发展情况。")
    assert [q.clause_key for q in find_quotations(comment, seed_draft)] == ["3.1.1", "3.1.2"]


def test_quotation_is_evidence_for_the_clause(seed_draft):
    comment = "“鼓励企业利用海外仓+集货仓两仓联动通关模式开展跨境电商出口海外仓业务”，具体怎么申请？"
    assert suggest_clauses(comment, seed_draft, top=1) == ["3.3.10"]


def test_stripping_leaves_the_opinion(seed_draft):
    index = draft_index(seed_draft)
    from analysis import canonical

    canon = canonical(f"“{CLAUSE_12}”，建议把补贴提高到50万")
    quotes = find_canonical_quotes([canon], index)[0]
    assert strip_quotes(canon, quotes) == "建议把补贴提高到50万"
    assert set(index.quoted_tokens(quotes)) >= {"仓储", "物流", "轧差"}


def test_analyse_comment_excludes_quoted_tokens(seed_draft):
    result = analyse_comment(f"第12条说“{CLAUSE_12}”，建议把补贴提高到50万。", seed_draft)
    assert [q.clause_key for q in result.quotations] == ["3.3.12"]
    assert "轧差" in result.tokens and "轧差" not in result.opinion_tokens and "补贴" in result.opinion_tokens
    assert result.clause_suggestions[0] == "3.3.12" and result.title == "建议把补贴提高到50万"


OPINIONS = ["建议删除这一条中关于走出去的表述，投资便利化和外汇管理服务不是一回事。",
            "建议财政对办理轧差结算的银行手续费给予补贴，中小企业负担不轻。",
            "这一条写得太笼统了，哪些银行能办、需要什么材料都没有说，希望出台操作细则。",
            "完全支持这一条，我们公司去年因为海外仓费用不能抵扣，多占用了三百多万元资金。",
            "建议把适用范围扩大到跨境电商进口企业，进口企业同样有境外仓储和物流费用。",
            "这一条和第十三条的跨区域合作可以合并写，外汇便利化需要京津冀协同推进。"]


SHORT_OPINIONS = ["建议删除这一条。", "建议增加补贴，补贴不低于五十万元。", "这一条表述太笼统，看不出怎么操作。",
                  "支持，但要明确办理银行。", "建议扩大到进口企业。", "建议与第十三条合并。"]


@pytest.mark.parametrize("opinions", [SHORT_OPINIONS, OPINIONS])
def test_six_opinions_quoting_the_clause_are_six_opinions(seed_draft, opinions):
    # The case: each quotes item 12 before saying something different (删除 / 增加补贴 / 表述笼统 / 支持 /
    # 扩大范围 / 与第十三条合并); the previous engine made one campaign of the short ones.
    comments = [CommentIn(i, f"“{CLAUSE_12}。”{text}", "3.3.12") for i, text in enumerate(opinions)]
    grouping = group_comments(comments, seed_draft)
    assert [g for g in grouping.groups if g.kind == "campaign"] == []
    assert grouping.params["quoted"] == 6


def test_copies_of_one_opinion_quoting_the_clause_are_one_campaign(seed_draft):
    copies = [f"“{CLAUSE_12}”。{OPINIONS[1]}", f"{OPINIONS[1]}原文：{CLAUSE_12}。",
              f"关于“{CLAUSE_12.replace('、', '，')}”，{OPINIONS[1]}", OPINIONS[1] + "谢谢！"]
    comments = [CommentIn(i, t, "3.3.12") for i, t in enumerate(copies)]
    comments += [CommentIn(10 + i, f"“{CLAUSE_12}”。{t}", "3.3.12") for i, t in enumerate(OPINIONS[2:])]
    campaigns = [g for g in group_comments(comments, seed_draft).groups if g.kind == "campaign"]
    assert [sorted(g.member_ids) for g in campaigns] == [[0, 1, 2, 3]]
    # The quotation some copies carry is not an "addition" to the campaign's template.
    assert not any("轧差" in s for sentences in campaigns[0].additions.values() for s in sentences)


def _one_at_a_time(canon_texts, tokens, index):
    """What without_quotations does, comment by comment with the per-comment functions."""
    from analysis.quotes import without_quoted_tokens

    canon_out, tokens_out, has = list(canon_texts), list(tokens), []
    for i, quotes in enumerate(find_canonical_quotes(canon_texts, index)):
        has.append(bool(quotes))
        stripped = strip_quotes(canon_texts[i], quotes)
        if quotes and stripped:
            canon_out[i] = stripped
            tokens_out[i] = without_quoted_tokens(tokens[i], index.quoted_tokens(quotes)) or tokens[i]
    return canon_out, tokens_out, has


def test_without_quotations_is_the_per_comment_result(seed_draft, monkeypatch):
    import random
    from itertools import compress

    from analysis import canonical, tokenizer_for_draft
    from analysis.quotes import without_quotations

    tokenizer = tokenizer_for_draft(seed_draft)
    index = draft_index(seed_draft, tokenizer)
    bodies = [c.body for c in seed_draft.walk() if len(c.body) > 20]
    rng = random.Random(3)
    texts = ["", "支持", CLAUSE_12, f"{CLAUSE_12}{CLAUSE_12}", f"“{CLAUSE_12}”物流物流物流，仓储仓储，建议提高补贴。"]
    texts += [f"{OPINIONS[i % 6]}“{bodies[i % len(bodies)][:rng.randint(10, 60)]}”{OPINIONS[(i + 1) % 6]}"
              for i in range(60)]  # a quotation between two opinions
    texts += [bodies[i][:40].replace("，", "").replace("的", "得") + "。" + bodies[i + 1][5:50] for i in range(20)]
    texts += OPINIONS + SHORT_OPINIONS + [CLAUSE_12]  # the last quoting comment is nothing but the quotation
    canon = [canonical(t) for t in texts]
    tokens = tokenizer.tokenize_many(texts)
    tokens[4] = tokens[4] + ["跨境", "跨境", "不在草案里的词"]  # more occurrences than quoted, unknown words
    expected = _one_at_a_time(canon, tokens, index)
    opinion_canon, opinion_tokens, has_quotes = without_quotations(canon, tokens, index)
    assert (opinion_canon, opinion_tokens, has_quotes.tolist()) == expected
    assert sum(expected[2]) > 70 and opinion_canon[2] == canon[2] and opinion_tokens[2] == tokens[2]
    assert "物流" in opinion_tokens[4] and opinion_tokens[4].count("跨境") < tokens[4].count("跨境")
    assert without_quotations([], [], index)[0] == []
    # The same lists, made when asked from the tokens as given and a mask of the tokens that stay.
    canon_again, view, quoted = without_quotations(canon, tokens, index, token_lists=False)
    assert (canon_again, list(view), quoted.tolist()) == expected and len(view) == len(tokens)
    assert [view[i] for i in range(len(view))] == expected[1] and view[2:5] == expected[1][2:5]
    assert view.lengths().tolist() == [len(t) for t in expected[1]]
    assert view[2] is tokens[2] and view[4] is not tokens[4]  # unchanged lists are the ones given
    assert list(without_quotations([], [], index, token_lists=False)[1]) == []
    rows = [4, 0, 2, 30, 4, 70]  # any comments, in any order, repeated
    flat = [t for r in rows for t in tokens[r]]
    assert list(compress(flat, view.kept(rows).tolist())) == [t for r in rows for t in expected[1][r]]
    assert view.kept([]).tolist() == [] and not view.kept(rows).all()
    whole = view.kept(range(len(tokens)))
    monkeypatch.setattr("analysis.quotes._KEPT_BLOCK", 3)  # blocks of comments: the same mask
    assert view.kept(range(len(tokens))).tolist() == whole.tolist()
    assert list(compress(flat, view.kept(rows).tolist())) == [t for r in rows for t in expected[1][r]]


def _quoting_texts(seed_draft):
    """Texts quoting the draft as pasted: traditional characters, full-width digits, ㎡ and ﬁ (one character, two
    canonical ones), Σ and İ (the texts quotations_many leaves to canonical_offsets), a quotation at either end,
    two quotations, none."""
    bodies = [c.body for c in seed_draft.walk() if len(c.body) > 30]
    texts = []
    for i, body in enumerate(bodies):
        quote = body[i % 7:i % 7 + 20 + i % 30]
        texts += [f"{OPINIONS[i % 6]}“{quote}”", f"{quote}，{OPINIONS[(i + 1) % 6]}", quote,
                  f"第{i}条：{quote}。{SHORT_OPINIONS[i % len(SHORT_OPINIONS)]}{bodies[i - 1][:25]}"]
    texts += ["支持跨境電商企業將境外發生的倉儲、物流、稅收等費用與出口貨款軋差結算，建議ＡΣ",
              f"İstanbul的客户说：{CLAUSE_12}，５０万", f"ΑΣ {CLAUSE_12}", f"仓库100㎡的ﬁrm：{CLAUSE_12}",
              "", "支持", None]
    return texts


def _per_text(texts, index):
    """What quotations_many gives: to_quotations with each text's own canonical_offsets."""
    from analysis.quotes import canonical_offsets, to_quotations

    mapped = [canonical_offsets(t or "") for t in texts]
    found = find_canonical_quotes([c for c, _ in mapped], index)
    return [to_quotations(t, offsets, quotes, index) for t, (_, offsets), quotes in zip(texts, mapped, found)]


def test_quotations_many_is_the_per_text_result(seed_draft):
    from analysis.quotes import quotations_many
    from tests.analysis.helpers import unicode_cases

    index = draft_index(seed_draft)
    quoting = _quoting_texts(seed_draft)
    texts = unicode_cases()[::3] + quoting  # lone surrogates too (analysis.normalize converts around them)
    expected = _per_text(texts, index)
    assert quotations_many(texts, index) == expected
    assert expected[-len(quoting):] == [find_quotations(t, seed_draft) if t else [] for t in quoting]
    assert sum(map(bool, expected)) > 100 and all(len(q) == 1 for q in expected[-7:-3])
    assert quotations_many(texts, None) == [[] for _ in texts] and quotations_many([], index) == []


def test_quotations_many_in_runs_of_texts(monkeypatch, seed_draft):
    import importlib

    from analysis.quotes import quotations_many

    texts = _quoting_texts(seed_draft) * 2
    monkeypatch.setattr(importlib.import_module("analysis.normalize"), "_CHUNK", 200)
    assert quotations_many(texts, draft_index(seed_draft)) == _per_text(texts, draft_index(seed_draft))


def test_gram_hashes_in_pieces_are_the_hashes_of_each_window(monkeypatch):
    import numpy as np

    from analysis import quotes

    codes = np.frombuffer((CLAUSE_12 * 3).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)

    def one(window):  # the multiply-xor chain of one window, in Python integers
        mask = (1 << 64) - 1
        h = int(window[0]) * 0x9E3779B97F4A7C15 & mask
        for c in window[1:]:
            h = (h ^ int(c)) * 0xC2B2AE3D27D4EB4F & mask
        h ^= h >> 29
        return h * 0xBF58476D1CE4E5B9 & mask

    expected = [one(codes[i:i + quotes.GRAM]) for i in range(len(codes) - quotes.GRAM + 1)]
    monkeypatch.setattr(quotes, "_HASH_STEP", 7)
    assert quotes._hash_windows(codes).tolist() == expected
    assert len(quotes._hash_windows(codes[:3])) == 0


def _reference_chains(hits, index, canon):
    """The chaining rules of quotes._chains, hit by hit in plain Python (the specification the vectorised
    version must meet); ``canon``: the canonical texts the hits are of."""
    from itertools import pairwise

    import numpy as np

    from analysis.quotes import _NONE, GRAM, MAX_GAP, MAX_SHIFT, MIN_COVERED, MIN_QUOTE

    doc, pos, off0 = hits.doc.tolist(), hits.pos.tolist(), hits.off0.tolist()
    wild = index.gram_wild[hits.rows].tolist()
    multi = hits.multi.tolist()
    real = [(index.gram_places[r][index.gram_places[r] != _NONE] - p).tolist() for r, p in zip(hits.rows.tolist(), pos)]

    def voted(members, length):  # (first, last) hit agreeing with the place most of the chain's hits agree on
        voters = [o for i in members if not wild[i] for o in real[i]] or [o for i in members for o in real[i]]
        anchor = min(voters, key=lambda o: (-sum(abs(o - v) <= MAX_SHIFT for v in voters), o))
        near = [(min((abs(o - anchor), o) for o in real[i]), i) for i in members]
        near = [(o, i) for (d, o), i in near if d <= (length - 1) // 2]
        return near[0], near[-1]

    def unit_bounds(at):
        unit = int(np.searchsorted(index.unit_starts, at, side="right")) - 1
        return [*index.unit_starts.tolist(), len(index.canon)][unit:unit + 2]

    def extend(text, a, b, off_a, off_b):  # over the characters that are the draft's there (within its unit)
        first, last = unit_bounds(a + off_a)
        k = 0
        while a - k > 0 and a + off_a - k > first and text[a - k - 1] == index.canon[a + off_a - k - 1]:
            k += 1
        j = 0
        while b + j < len(text) and b + off_b + j < last and text[b + j] == index.canon[b + off_b + j]:
            j += 1
        return a - k, b + j

    def aligned(i, j):  # some pair of the two hits' places' offsets within MAX_SHIFT
        return any(abs(x - y) <= MAX_SHIFT for x in real[i] for y in real[j])

    n = len(doc)
    start = [True] + [not (doc[i] == doc[i - 1] and pos[i] - pos[i - 1] <= GRAM + MAX_GAP
                           and ((wild[i - 1] or wild[i]) and pos[i] - pos[i - 1] == 1 or aligned(i - 1, i)))
                      for i in range(1, n)]
    chain = list(np.cumsum(start))
    definite = [i for i in range(n) if not wild[i]]
    for a, b in pairwise(definite):
        if b - a > 1 and chain[a] == chain[b] and not aligned(a, b):
            start[b] = True
    heads = [i for i in range(n) if start[i]]
    out = []
    for s, e in zip(heads, heads[1:] + [n]):
        e -= 1
        length = pos[e] + GRAM - pos[s]
        covered = GRAM + sum(min(pos[i] - pos[i - 1], GRAM) for i in range(s + 1, e + 1))
        if length < MIN_QUOTE or covered < MIN_COVERED * length:
            continue
        members = range(s, e + 1)
        best = [i for i in members if not multi[i]] or [i for i in members if not wild[i]] or list(members)
        off_first, off_last = off0[best[0]], off0[best[-1]]
        c_start, c_end = pos[s], pos[e] + GRAM
        if abs(off_last - off_first) > MAX_SHIFT:  # two places: the hits agreeing with the voted one, extended
            (off_first, s), (off_last, e) = voted(members, length)
            covered = GRAM + sum(min(pos[i] - pos[i - 1], GRAM) for i in range(s + 1, e + 1)) - (pos[e] + GRAM - pos[s])
            c_start, c_end = extend(canon[doc[s]], pos[s], pos[e] + GRAM, off_first, off_last)
            covered += c_end - c_start
            if c_end - c_start < MIN_QUOTE or covered < MIN_COVERED * (c_end - c_start):
                continue
        d_start, d_end = c_start + off_first, c_end + off_last
        unit = int(np.searchsorted(index.unit_starts, max(0, (d_start + d_end) // 2), side="right")) - 1
        bounds = [*index.unit_starts.tolist(), len(index.canon)]
        out.append((doc[s], c_start, c_end, unit, max(d_start, bounds[unit]), min(d_end, bounds[unit + 1])))
    return out


def test_chains_follow_the_rules_hit_by_hit(seed_draft):
    import random

    import numpy as np

    from analysis import canonical
    from analysis.quotes import _chains, _hits

    index = draft_index(seed_draft)
    rng = random.Random(5)
    bodies = [c.body for c in seed_draft.walk() if len(c.body) > 20]
    texts = []
    for i in range(300):
        chars = list(bodies[i % len(bodies)][rng.randint(0, 10):])[:rng.randint(12, 90)]
        for _ in range(rng.randint(0, 4)):  # the edits of retyping: a character dropped, added or changed
            at = rng.randrange(len(chars))
            edit = rng.choice(["drop", "add", "change"])
            if edit == "drop":
                del chars[at]
            else:
                chars[at:at + (edit == "change")] = [rng.choice("的了和跨境电商企业")]
        texts.append(f"{OPINIONS[i % 6][:rng.randint(0, 20)]}{''.join(chars)}{rng.choice(['跨境电商企业' * 3, '', '各区人民政府'])}")
    canon = [canonical(t) for t in texts]
    codes = np.frombuffer("".join(canon).encode("utf-32-le"), dtype=np.uint32)
    hits = _hits(codes, np.array([len(c) for c in canon], dtype=np.int64), index)
    found = _chains(hits, index, codes, np.array([len(c) for c in canon], dtype=np.int64))
    expected = _reference_chains(hits, index, canon)
    assert list(zip(*(a.tolist() for a in found))) == expected
    # The texts exercise every rule: wild and multi-place grams, edits that shift the place in the draft.
    assert index.gram_wild[hits.rows].any() and (hits.multi & ~index.gram_wild[hits.rows]).any()
    assert len(expected) > 250 and np.any(np.abs(np.diff(hits.off0)) == 1)
    assert all(d_start < d_end for *_, d_start, d_end in expected)


#: Comments whose hits run from one place of the draft into another: 影响力的跨境电商 is also in another clause,
#: 重点跨境电 is also at another place, and each gram of a list of responsible units is found in several clauses.
JUMPING = ["这一条写得太笼统了，哪些银行能办，需要积极引进射带动能力强、行业影响力的跨境电商平台、贸易型以及物流、金融等服",
           "我们公司去年因为海外重点跨境电商服务商名录，引进培育壮大一批具有竞争力的品牌营销、网站运营、软件开发",
           "责任单位：市商务局、市投促局、各区人民政府及滨海新区各功能区管委会、各相关商协会",
           "责任单位：市商务局、各区人民政府及滨海新区各功能区管委会、各相关商协会。建议删除。"]


def test_a_quotation_matches_a_passage_of_the_draft_like_it(seed_draft):
    """A quotation's passage in the draft is where most of its hits are, never from the first hit's place to the
    last one's when those are two places (the passage then ended before it started: no draft text, no tokens
    taken out of the comment, and the clause of whatever lay between)."""
    from difflib import SequenceMatcher

    from analysis import canonical

    index = draft_index(seed_draft)
    canon = [canonical(t) for t in JUMPING]
    found = find_canonical_quotes(canon, index)
    assert [[index.keys[q.unit] for q in quotes] for quotes in found] == [["3.1.1"], ["3.1.4"], ["3.4.13"], ["3.4.17"]]
    for text, c, (q,) in zip(JUMPING, canon, found):
        passage = index.canon[q.draft_start:q.draft_end]
        assert q.draft_start < q.draft_end and canonical(index.draft_text(q)) == passage
        assert SequenceMatcher(None, passage, c[q.start:q.end], autojunk=False).ratio() > 0.9
        assert index.unit_starts[q.unit] <= q.draft_start and index.quoted_tokens([q])
        assert find_quotations(text, seed_draft)[0].draft_text == index.draft_text(q)


def test_hits_are_the_grams_inside_one_text_found_in_the_draft(seed_draft):
    import numpy as np

    from analysis import canonical
    from analysis.quotes import GRAM, _hash_windows, _hits

    index = draft_index(seed_draft)
    # Texts shorter than a gram between quoting ones: a window that runs on into the next text is no gram, even
    # when the two pieces together spell the draft (跨境电 + 商企业).
    texts = [canonical(t) for t in [CLAUSE_12, "跨境电", "商企业", "", "x", CLAUSE_12[:GRAM], OPINIONS[1], CLAUSE_12[3:40]]]
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    hits = _hits(codes, np.array([len(t) for t in texts], dtype=np.int64), index)
    keys = set(index.gram_keys.tolist())
    expected = []
    for d, text in enumerate(texts):
        one = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        for p, h in enumerate(_hash_windows(one).tolist()):
            if h in keys:
                expected.append((d, p, index.gram_keys.tolist().index(h)))
    assert list(zip(hits.doc.tolist(), hits.pos.tolist(), hits.rows.tolist())) == expected
    assert {d for d, _, _ in expected} == {0, 5, 7}
    across = np.frombuffer("跨境电商企业".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    assert _hash_windows(across).tolist()[0] in keys  # the window across texts 1 and 2 would be a hit
