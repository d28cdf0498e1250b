"""draft.contacts is the one definition of contact cues: advert detection (analysis.noise) finds, and redaction
(exports.redact) masks, the accounts announced by the same words. A cue added to draft.contacts reaches both."""

from __future__ import annotations

import pytest

from analysis import noise_reason
from analysis.noise import _contacts, _plain
from exports.redact import redact


@pytest.mark.parametrize(("text", "handle"), [
    # platforms draft.contacts names and noise.py's own list did not (推特, TikTok, Instagram)
    ("一件代发，货源充足，推特搜 kj_shop88", "kj_shop88"),
    ("跨境好物低价出售，TikTok搜：tk_haowu01", "tk_haowu01"),
    ("代运营，包教包会，Instagram搜 cbec_daiyun", "cbec_daiyun"),
    # Telegram by name, and by a nickname before 号 or a colon
    ("高薪招聘，日结，飞机号：hr_tj2024", "hr_tj2024"),
    ("低价出售店铺，TG @kjwl666", "kjwl666"),
])
def test_an_account_noise_finds_is_one_redaction_masks(text: str, handle: str) -> None:
    assert "其他联系账号" in _contacts(_plain(text))
    assert noise_reason(text) == "advert"
    assert handle not in redact(text)[0]


@pytest.mark.parametrize(("text", "found"), [
    ("代办营业执照，详见 kjwl点top", "网址"),  # 点 for the dot: draft.contacts.spelled_web_addresses
    ("代办营业执照，详见 www点kjwl点com", "网址"),
    ("商务局网站 tianjin点gov点cn 有通知", None),  # a government site is not an advert's address
    ("加我 faqQ群", None),  # Q inside a Latin word is no QQ cue (draft.contacts.QQ_CUE)
])
def test_noise_reads_web_addresses_and_cues_as_draft_contacts_does(text: str, found: str | None) -> None:
    contacts = _contacts(_plain(text))
    if found:
        assert found in contacts
    else:
        assert "网址" not in contacts and "QQ号" not in contacts


@pytest.mark.parametrize("piece", ["13", "1-", "a-", "a点", "a."])
def test_a_long_run_of_one_piece_reads_as_on_old_patterns(piece: str) -> None:
    """The address and e-mail scans start only at a run's first character: a 5,000-character comment of digits or
    letters is read once (it took 0.4 s), with the same answer."""
    text = piece * 2500
    assert "网址" not in _contacts(_plain(text)) and "电子邮箱" not in _contacts(_plain(text))
    assert "网址" in _contacts(_plain(text + " kjwl.com"))


@pytest.mark.parametrize("platform", ["闲鱼", "快手", "推特", "淘宝", "微博", "B站", "视频号", "公众号", "小红书"])
def test_a_search_on_any_platform_with_selling_is_an_advert(platform: str) -> None:
    """Without a handle or digits: noise_reason's first look let only 小红书搜, 抖音搜 and 软件搜 through."""
    assert noise_reason(f"{platform}搜 跨境好物，低价出售，一件代发") == "advert"
