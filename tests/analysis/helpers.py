"""Comments written for the analysis tests, in three topics."""

# Comments in three topics, the way citizens and companies write them: one-liners, long arguments, acronyms,
# full-width digits, traditional characters, emoji.
FOREX = [
    "个人外汇账户结算额度太低，建议提高到每年10万美元。",
    "小微跨境电商企业办理外汇收付手续太繁琐，希望简化。",
    "支持银行为跨境电商提供跨境资金结算服务，但手续费应降低。",
    "建议允许仓储、物流费用与出口货款轧差结算，减少资金占用。",
    "贸易外汇收支企业名录登记的门槛应当降低，２０万美元太少。",
    "我們公司做跨境電商，外匯結算經常被銀行退回，希望外匯管理更便利。",
    "外汇结算周期太长，资金回笼慢，建议银行加快结汇。",
    "境内个人通过个人外汇账户办理结算，额度和审核都需要明确。",
    "非银行支付机构的跨境结算服务应当纳入监管并降低费率💰",
    "外汇收汇免于名录登记的政策很好，建议扩大到年收汇50万美元。",
]
LOGISTICS = [
    "天津港外贸航线太少，海运费太贵，希望加密航线。",
    "中欧班列发车频次太低，建议增加天津始发的班列。",
    "国际快递和国际邮件的通关时间太长，影响客户体验。",
    "建议在滨海新区建设更多海外仓和物流分拨中心，降低物流成本。",
    "航空货运包机航线太少，跨境小包只能绕道北京出口✈️",
    "物流企业希望获得仓储用地支持，物流园区租金太高。",
    "海外仓建设补贴应向中小物流企业倾斜，现在都被大企业拿走。",
    "天津港集装箱拼箱效率不高，建议建设集拼共享中心。",
    "国际物流费用占成本三成以上，建议政府协调船公司降低运价。",
    "跨境电商物流时效差，退货物流更是没有保障，建议建退货中心仓。",
]
TALENT = [
    "跨境电商人才太缺，尤其是小语种运营人才。",
    "建议高校开设跨境电商专业课程，和企业合作办定制班。",
    "企业招不到懂TikTok和亚马逊运营的人才，希望政府组织培训。",
    "人才引进政策应当覆盖跨境电商中小企业，不只是头部企业。",
    "跨境直播人才培养很重要，建议举办跨境直播大赛。",
    "希望开展跨境电商职业技能等级认定，员工晋升有依据。",
    "外籍人才来津工作签证手续太麻烦，建议简化出入境手续。",
    "职业院校的跨境电商实训基地太少，学生缺少实操机会。",
    "建议建立跨境电商专家智库，为企业提供运营咨询和人才培训。",
    "小语种翻译和海外营销人才的薪资补贴应当纳入人才目录。",
]


def unicode_cases() -> list[str]:
    """Texts over every code point (in runs of 97, forwards and backwards; the BMP's one at a time) and the
    characters that need care: NFKC, traditional characters, İ (lower case of two characters), Σ (its lower case
    depends on its neighbours), surrogates, NUL, empty texts (for the batch forms of canonical)."""
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
