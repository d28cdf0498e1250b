"""A street address down to the house or flat number is personal data and is masked; a district, a road, a 园区 or a
building in a housing estate named alone is not."""

from __future__ import annotations

import pytest

from exports.redact import redact


@pytest.mark.parametrize(("text", "expected"), [
    ("我叫王建国，住在河西区友谊路35号3门401，建议设立服务站。", "我叫【姓名已隐去】，住在河西区【住址已隐去】，建议设立服务站。"),
    ("家住阳光小区3号楼2单元401室，楼下就是快递站。", "家住【住址已隐去】，楼下就是快递站。"),
    ("住在南开区三马路十八号二号楼三单元五〇二", "住在南开区【住址已隐去】"),
    ("地址：天津市滨海新区黄海路１９号", "地址：天津市滨海新区【住址已隐去】"),  # full-width digits
    ("幸福家园5栋1201，建议增加快递柜。", "【住址已隐去】，建议增加快递柜。"),
])
def test_a_house_or_flat_is_masked(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize("text", [
    "建议在友谊路沿线设立跨境电商服务站。", "滨海新区跨境电商园区的企业很多。", "绿色通道1号窗口办理很快。",
    "恒大雅苑26栋的电梯坏了。", "领御小区9栋3单元的业主都支持。", "第12号文件已经印发。", "计划第3号附件。",
    "东疆综合保税区海关监管仓库", "中新天津生态城第3批试点",
])
def test_a_district_a_road_or_a_building_alone_stays(text: str) -> None:
    assert redact(text)[0] == text
