"""How long each export format takes for a large consultation.

A synthetic report (default 400 opinions over 60 clauses, 10,000 comments, one in ten carrying a
phone number or e-mail) is rendered in every format; each figure is the median of several runs,
with its ratio to a baseline measured in the same run: redacting every comment once (with its
submitter's own name, as the public formats do), the work no public format can avoid. The report
includes the comment annex (附意见原文), the most work a public format does. Prints figures only; asserts nothing.

    .venv/bin/python bench/exports_render.py [--comments 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
from datetime import date

from load import median_seconds

from exports import FORMATS, MemberComment, Opinion, Report, redact_comment
from exports.report import DEFAULT_CATEGORIES

PHRASES = ["建议加大对跨境电商企业的支持力度", "希望简化海外仓备案流程", "建议明确补贴标准", "支持本计划",
           "建议加强人才培养", "希望提高通关效率", "建议完善统计监测口径", "建议增加对中小卖家的培训"]


def synthetic_report(n_comments: int, n_opinions: int, n_clauses: int, seed: int = 7) -> Report:
    rng = random.Random(seed)
    clauses = [(f"3.{i // 10 + 1}.{i + 1}", f"{i + 1}.", f"第{i + 1}项任务") for i in range(n_clauses)]
    opinions = []
    for i in range(n_opinions):
        decision = DEFAULT_CATEGORIES[i % len(DEFAULT_CATEGORIES)]
        opinions.append(Opinion(summary=f"意见摘要{i}：" + rng.choice(PHRASES), clause=rng.choice(clauses + [None]),
                                decision=decision, reason="理由说明" * 5, comments=[]))
    for j in range(n_comments):
        text = "，".join(rng.choice(PHRASES) for _ in range(4))
        if j % 10 == 0:
            text += f"，电话1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}，邮箱user{j}@example.com"
        opinions[j % n_opinions].comments.append(
            MemberComment(text, name=f"张{chr(0x4E00 + j % 500)}{chr(0x4E00 + j % 97)}", channel="web",
                          submitter_id=str(j))
        )
    for op in opinions:
        op.comment_count = len(op.comments)
        op.submitter_count = len(op.comments)
    return Report(draft_title="基准测试计划(征求意见稿)", issuer="某局", opens_on=date(2024, 9, 25),
                  closes_on=date(2024, 10, 10), report_date=date(2024, 10, 25), opinions=opinions,
                  identity="masked", clause_order=[c[0] for c in clauses], include_comment_annex=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--opinions", type=int, default=400)
    parser.add_argument("--clauses", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    report = synthetic_report(args.comments, args.opinions, args.clauses)
    members = [c for op in report.opinions for c in op.comments]
    baseline = median_seconds(lambda: [redact_comment(c) for c in members], args.repeat)
    print(f"report: {args.comments} comments, {args.opinions} opinions, {args.clauses} clauses; "
          f"median of {args.repeat} runs")
    print(f"{'baseline: redact every comment':34s} {baseline * 1000:9.1f} ms   1.00x")
    for fmt, render in FORMATS.items():
        size = len(render(report))
        seconds = median_seconds(lambda render=render: render(report), args.repeat)
        print(f"{fmt:34s} {seconds * 1000:9.1f} ms {seconds / baseline:6.2f}x   {size / 1024:8.0f} KiB")


if __name__ == "__main__":
    main()
