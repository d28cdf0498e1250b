"""exports.json_data.load is the inverse of render: a stored snapshot renders every format again."""

from __future__ import annotations

import json

import pytest

from exports import FORMATS
from exports.json_data import load
from tests.exports.helpers import build_seed_report


@pytest.mark.parametrize("annex", [True, False])
@pytest.mark.parametrize("identity", ["none", "masked", "full"])
def test_round_trip_renders_identical_public_documents(identity, annex):
    """Also without the comment annex (不附原文), when the document lists no comments but still shows 提出人."""
    report = build_seed_report(identity=identity, include_comment_annex=annex)
    snapshot = FORMATS["json"](report)
    again = load(snapshot)
    assert FORMATS["json"](again) == snapshot
    assert FORMATS["html"](again) == FORMATS["html"](report)
    assert FORMATS["md"](again) == FORMATS["md"](report)


def test_zero_comment_report_round_trips(empty_report):
    snapshot = FORMATS["json"](empty_report)
    assert FORMATS["json"](load(snapshot)) == snapshot


def test_refuses_other_documents():
    with pytest.raises(ValueError):
        load(json.dumps({"schema": "something-else", "schema_version": "1.0"}))
