"""Hand-built reports for the exports tests, modelled on the seed consultation.

《天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)》, 天津市商务局, window 2024年9月25日至10月10日.
Clause keys follow the draft package's scheme (items numbered continuously under their section).
"""

from __future__ import annotations

from datetime import date

from exports import ClauseChange, ClauseRef, Counts, MemberComment, Opinion, Report, Topic

DRAFT_TITLE = "天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)"
ISSUER = "天津市商务局"

CLAUSE_ORDER = (
    ["1", "2", "3", "3.1"]
    + [f"3.1.{i}" for i in range(1, 6)]
    + ["3.2"] + [f"3.2.{i}" for i in range(6, 9)]
    + ["3.3"] + [f"3.3.{i}" for i in range(9, 13)]
    + ["3.4"] + [f"3.4.{i}" for i in range(13, 19)]
    + ["4"] + [f"4.{i}" for i in range(1, 7)]
    + ["a1", "a1.1", "a1.2", "a1.3"]
)

GOALS = ("2", "二、", "发展目标")
INDUSTRY_BELTS = ("3.1.3", "3.", "推动“跨境电商+产业带”融合发展")
CUSTOMS = ("3.3.10", "10.", "提升通关便利化水平")
FOREX = ("3.3.12", "12.", "创新外汇管理服务")
TALENT = ("3.4.16", "16.", "打造多层次跨境电商人才队伍")
POLICY = ClauseRef("4.3", "(三)", "强化政策引导", citation="四(三)")  # as exports.clause_refs cites it


def person(text: str, name: str, channel: str = "web", **kw) -> MemberComment:
    return MemberComment(text=text, name=name, submitter_type="个人", channel=channel, **kw)


def company(text: str, organisation: str, contact_name: str = "", channel: str = "web", *, consent: bool = False,
            **kw) -> MemberComment:
    """A company's comment; ``consent``: it ticked 同意公开单位名称."""
    return MemberComment(text=text, name=contact_name, organisation=organisation, submitter_type="企业",
                         channel=channel, publish_organisation=consent, **kw)


def seed_opinions() -> list[Opinion]:
    """Twenty valid comments in nine opinions covering every default category and support."""
    return [
        Opinion(
            summary="建议明确各项重点任务的资金来源和年度考核指标。",
            decision="部分采纳",
            reason="已在“四、保障措施”中补充年度考核要求；具体资金安排由各责任单位按预算程序另行确定，不在本计划中逐项列明。",
            comments=[
                person("希望把每项任务的钱从哪里来写清楚，并且每年考核。", "赵文静", contact="13902211234"),
                company("建议增加量化考核指标，按年度通报。", "天津港跨境供应链管理有限公司", "钱立", channel="email",
                        contact="qianli@example.com", consent=True),
            ],
        ),
        Opinion(
            summary="对计划表示赞同和支持。",
            supportive=True,
            comments=[
                person("同意，支持！", "孙丽"),
                person("非常支持这个计划，希望早日出台。", "周建国", channel="phone"),
                company("我司完全赞同计划内容。", "天津滨海电商产业园运营有限公司", "吴海"),
            ],
        ),
        Opinion(
            summary="建议将2027年跨境电商年交易额目标由1000亿元提高至1200亿元。",
            clause=GOALS,
            decision="未采纳",
            reason="1000亿元目标是综合近三年增速和外贸总体规模测算确定的，已体现“倍增”要求，暂不调整。",
            comments=[person("1000亿元的目标偏保守，建议提高到1200亿元。", "郑一鸣")],
        ),
        Opinion(
            summary="建议将宠物用品、乐器等纳入重点产业图谱。",
            clause=INDUSTRY_BELTS,
            decision="采纳",
            reason="",
            change=ClauseChange(
                before="梳理五金工具、家具家纺、地毯、自行车等重点产业图谱",
                after="梳理五金工具、家具家纺、地毯、自行车、宠物用品、乐器等重点产业图谱",
            ),
            comments=[
                company("静海宠物用品企业很多，建议写进产业图谱。", "天津静海宠物用品有限公司", "冯磊"),
                person("乐器出口也是特色，建议纳入。", "陈晓雨", channel="letter"),
            ],
        ),
        Opinion(
            summary="建议在综保区设立退货中心仓，简化跨境电商退货流程。",
            clause=CUSTOMS,
            decision="已体现（已有相关规定）",
            reason="第10条已明确“支持跨境电商企业在综保区内设立退货中心仓”。",
            comments=[
                company("退货太难，希望综保区能设退货仓。", "天津东疆跨境物流有限公司", "褚明"),
                person("建议简化退货流程。", "卫红"),
            ],
        ),
        Opinion(
            summary="建议提高小微跨境电商企业免于办理名录登记的年度收付汇金额门槛（现为等值20万美元）。",
            clause=FOREX,
            decision="未采纳",
            reason="等值20万美元的门槛由国家外汇管理局统一规定，地方无权调整。",
            comments=[
                person("20万美元太低了，建议提高到50万美元。我是王经理，电话13812345678，邮箱wang.jl@example.com。",
                       "王建林"),
                person("小微企业门槛能否提高？", "蒋伟", channel="email"),
                company("建议提高名录登记豁免金额。", "天津云帆跨境电商有限公司", "沈洁", consent=True),
            ],
        ),
        Opinion(
            summary="建议明确境内个人通过个人外汇账户办理跨境电商结算的年度额度和办理渠道。",
            clause=FOREX,
            decision="部分采纳",
            reason="办理渠道已补充为“可通过银行或非银行支付机构办理”；年度额度执行国家个人外汇管理规定，不另行规定。",
            change=ClauseChange(
                before="从事跨境电商的境内个人,可通过个人外汇账户办理跨境电商外汇结算。",
                after="从事跨境电商的境内个人,可通过个人外汇账户在银行或非银行支付机构办理跨境电商外汇结算。",
            ),
            comments=[person("个人卖家怎么结汇，额度多少，建议写清楚。", "韩梅")],
        ),
        Opinion(
            summary="建议支持高校与企业共建跨境电商实训基地，并给予场地补贴。",
            clause=TALENT,
            decision="采纳",
            change=ClauseChange(
                before="与企业合作开办定制班",
                after="与企业合作开办定制班、共建跨境电商实训基地",
            ),
            comments=[
                person("建议校企共建实训基地。", "杨帆"),
                person("支持高校和企业共建实训基地。", "朱小燕"),
                person("实训基地很重要。", "秦岭", channel="meeting"),
                MemberComment(text="建议共建实训基地，提升学生实操能力。", organisation="天津市跨境电子商务协会",
                              submitter_type="社会组织", name="尤佳", publish_organisation=True),
                person("希望学校和企业一起建实训基地。", "许诺"),
            ],
        ),
        Opinion(
            summary="建议对个人开设的跨境网店给予房租补贴。",
            clause=POLICY,
            decision="不属于征求意见范围",
            reason="本计划不涉及对个人网店的房租补贴，相关诉求已转有关部门研究。",
            comments=[person("我开网店房租很贵，能不能给补贴？", "何平")],
        ),
    ]


def build_seed_report(identity: str = "masked", **overrides) -> Report:
    opinions = overrides.pop("opinions", None) or seed_opinions()
    counts = Counts.derive(opinions, excluded_spam=2, excluded_duplicate=1)
    fields = {
        "draft_title": DRAFT_TITLE,
        "issuer": ISSUER,
        "opens_on": date(2024, 9, 25),
        "closes_on": date(2024, 10, 10),
        "report_date": date(2024, 10, 25),
        "opinions": opinions,
        "published_where": "天津市商务局门户网站",
        "channels": ["web", "email", "letter", "phone", "meeting"],
        "identity": identity,
        "clause_order": list(CLAUSE_ORDER),
        "topics": [
            Topic("人才培养", 5),
            Topic("外汇结算便利化", 4),
            Topic("保障措施与考核", 2),
        ],
        "counts": counts,
        "include_comment_annex": True,
    }
    fields.update(overrides)
    return Report(**fields)
