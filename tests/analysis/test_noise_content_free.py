"""Test messages and bare greetings are proposed as 与征求意见无关; agreement and the draft's own codes are not."""

import pytest

from analysis import noise_flag, noise_reason


@pytest.mark.parametrize("text", ["test", "测试测试", "试一下 提交", "您好，有人吗？", "qwer", "1234", "hello!!",
                                  "Testing 123"])
def test_test_messages_and_greetings_are_off_topic(seed_draft, text):
    flag = noise_flag(text, seed_draft)
    assert flag is not None and flag.reason == "off_topic" and flag.label == "与征求意见无关"


@pytest.mark.parametrize("text", ["666", "+1", "👍👍", "好", "同意", "。。。", "1210", "9610",
                                  "测试一下第十二条的补贴标准", "你好，我们支持这个计划", "您好，建议延长公示期"])
def test_agreement_codes_and_short_opinions_are_not(seed_draft, text):
    assert noise_reason(text, seed_draft) is None


def test_without_a_draft_a_test_message_is_not_judged():
    assert noise_reason("测试") is None
