"""Hostile cases for noise_reason (issue 10 item 3), written by a tester, not by the module's authors: adverts that
dodge filters (加Q群 998877665, 绿色泡泡, TG @handle, 壹叁捌… numerals, www点…点com, 小红书搜“…”), off-topic text
that borrows the draft's vocabulary, and on-topic comments that mention WeChat groups, phones, recruiting or
invoices. data/hostile/noise.tsv was used to fix the detector; noise_heldout.tsv was written at the same time and
only measured. noise_h14.tsv / noise_h14_heldout.tsv are a second, independent hostile pass (session 9: filter
dodges, real opinions that look like adverts, English and pinyin comments), the held-out half measured once before
any fix; noise_h19_heldout.tsv a third (session 10: test messages, other departments' business, questions about
other policies, real opinions that sound personal), measured once before any change; noise_h23_blind.tsv a fourth
(session 11), written before reading noise.py (only KNOWN_MISSES below quoted earlier rows) and measured once. The
misses left are marked (KNOWN_MISSES), so a fix shows up as an XPASS."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import noise_reason

DATA = Path(__file__).parent / "data" / "hostile"

# Left as found (each fails today; strict, so fixing one makes the run say so).
KNOWN_MISSES = {
    "我想问一下天津落户政策有没有变化？": "borrows 落户 / 政策, words of the draft's domain",
    "v👉kj888 代办出口退税，包过":
        "a pictograph between v and the handle is removed (vkj888), and v needs a colon or 信/x to be a cue",
    "建议第12条加大补贴力度。另外我们提供出口退税代办服务，需要的加V：ts888":
        "argues about the draft, so a handle needs two selling words; 代办 is one (a company's WeChat beside a "
        "proposal must not be enough on its own)",
    # h14's hostile pass (session 9, noise_h14*.tsv): what is still missed after the fixes
    # made a miss by a fix: 公司 became a word of the domain (colloquial for 企业: it cleared 2 of the 4 on-topic
    # comments of bench/data/analysis_clause_comments.tsv flagged off topic), and a worker's grievance borrows it
    "我老公在海外仓工作，公司不给交社保，怎么办？":
        "公司 counts for the draft's domain; one grievance word (社保) is not enough when half the words are related",
    "物流园区的大车把我们村的路压坏了，谁来修？": "物流园区 is the domain's; 大车 / 压坏 are no other service's words",
    "我想问问数字人民币怎么开通，银行说不清楚。": "数字 / 开通 / 银行 are the draft's and the domain's words",
    "跨境电商产业园门口的共享单车乱停，占了人行道。": "4 of the domain's words against 2 of other services",
    # held-out (measured, not tuned)
    "网贷秒批，黑户也能借，额度三千到五万，加薇了解": "加薇 (a WeChat cue) without 信 passes none of _maybe_advert's first-look patterns: flagged off topic",
    "同意计划内容。我司代理跨境电商补贴申报，成功后收费，有需要的企业私信我。":
        "argues about the draft (计划, 补贴), so it needs two selling words; only 有需要 is one (代理…申报, 收费 are not)",
    "诚聘海外仓兼职打包员，时薪30元，日结，联系方式在简介":
        "three selling words but no contact: 联系方式在简介 is not the bait pattern 见简介 (about 海外仓: not off topic)",
    "天津港的集装箱卡车总是占道，上下班堵得厉害。": "天津港 / 集装箱 are the draft's words",
    "我在跨境电商公司工作被辞退了，没有赔偿，怎么办？": "跨境 / 电商 / 公司 are the domain's words; 辞退 no cue",
    # h19's held-out set (session 10, noise_h19_heldout.tsv): the misses of its one measurement before any change
    "我去年的个税汇算退税到现在还没到账，请帮忙查一下。": "退税 is the domain's word; 个税 is cut into 税",
    "新能源汽车购置补贴今年还有吗？": "汽车 and 补贴 are the draft's words (another subsidy)",
    "今天天气真好。": "chit-chat: one weighed word",
    "请问人才引进落户需要社保满几年？": "人才 / 引进 / 落户 are the draft's words (hukou, not companies settling)",
    "建议在水上公园多安排几个公共厕所。": "3 weighed words, none related, under MIN_OFF_TOPIC_TOKENS",
    "请问市商务局的年终考核结果什么时候公示？": "市商务局 / 考核 are the draft's words",
    "请问消费券怎么领？上次发的我没抢到。": "消费 is the draft's word; the rest too short to weigh",
    "需要TikTok小店入驻的老板，看我头像": "bait (看我头像) without a selling word",
    "建议大家关注我们公众号“跨境小助手”，每天分享政策解读和货源":
        "argues (建议, 政策), so it needs two selling words; 货源 is one",
    "招不到会英语又懂运营的人，工资开到一万都没人来。":
        "no word of cross-border trade (运营 is none), so one grievance cue (工资) decides; 1 related word of 6",
    "货车进市区限行，我们的配送中心在中环线里面，每天只能半夜送货。":
        "no word of cross-border trade (配送 is none), so one grievance cue (限行) decides; 2 related of 9",
    # h23's blind set (session 11, noise_h23_blind.tsv): the misses of its one measurement, written before reading
    # noise.py; reasons inferred from the output only
    "你好，请问这里能看到回复吗？": "a test post asking about the site, too short to be weighed off topic",
    "请问退役军人优待证在哪里领？": "another department's business in one short question: left ok",
    "Hello, I lost my passport near Tianjin Railway Station yesterday. Where should I report it?":
        "English about something else: English text is not weighed off topic",
    "哈哈哈哈": "chit-chat with no words to weigh: left ok",
    "高考加分政策今年有什么变化吗？": "a question on another policy; 政策 is the draft's word",
    "祝各位领导工作顺利，身体健康！": "a greeting without an opinion is not noise to the detector",
    "发错了，不好意思": "a mistaken post, too short to be weighed",
    "What time does the Tianjin Museum open on Mondays? Thanks.": "English about something else: left ok",
    "跨境电商无货源店铺一件代发，月入过万不是梦，想了解的+卫星：kj2024ok":
        "卫星 (a homophone of 微信) is no contact cue, and the text is about cross-border e-commerce",
    "想做跨境电商的朋友看过来，免费教学，带你从0到1，抖音搜“跨境老王”":
        "抖音搜“…” bait without a number or handle; about cross-border e-commerce, so ok",
    "考研考公资料全套，历年真题+押题卷，只要9.9，tb搜：上岸资料铺":
        "tb搜 (a Taobao shop) is no contact cue: an advert for something else is called off topic",
}


def _rows(name: str) -> list:
    lines = (DATA / name).read_text("utf-8").splitlines()
    rows = [line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#")]
    return [pytest.param(label, text, id=text[:20], marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[text])]
                         if text in KNOWN_MISSES else []) for label, text in rows]


@pytest.mark.parametrize(("label", "text"), _rows("noise.tsv") + _rows("noise_heldout.tsv")
                         + _rows("noise_h14.tsv") + _rows("noise_h14_heldout.tsv") + _rows("noise_h14_probes.tsv")
                         + _rows("noise_h19_heldout.tsv") + _rows("noise_h23_blind.tsv"))
def test_noise_reason_on_hostile_text(label, text, seed_draft):
    assert (noise_reason(text, seed_draft) or "ok") == label


def test_a_flood_of_one_complaint_does_not_make_itself_on_topic(seed_draft):
    # Words used by 1 % of the comments count as half on topic; 20 parking complaints among 120 comments on the draft
    # made their own words common, and only 4 of the 20 were proposed as off topic.
    from analysis import noise_flags
    from tests.analysis.helpers import FOREX, LOGISTICS, TALENT

    on_topic = (FOREX + LOGISTICS + TALENT) * 4
    districts = ["河西区", "南开区", "和平区", "河东区", "红桥区"]
    complaints = ["{}某小区物业乱收停车费，业主投诉无门。", "{}的小区停车位太少，晚上回家没地方停车。",
                  "{}老旧小区停车难，物业乱收费，请领导重视。", "{}某小区地下车库停车费一年涨了三次。"]
    flood = [c.format(d) for c in complaints for d in districts]
    flags = noise_flags(on_topic + flood, seed_draft)
    assert [f.reason if f else None for f in flags[len(on_topic):]] == ["off_topic"] * len(flood)
    assert not any(flags[:len(on_topic)])
