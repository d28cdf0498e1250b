import pytest

from tests.draft.builders import FIXTURES


def _shape(clause):
    return (clause.key, clause.kind, clause.label, clause.heading, [_shape(c) for c in clause.children])


@pytest.fixture
def shape():
    """(key, kind, label, heading, children) of a clause: the tree without bodies."""
    return _shape


@pytest.fixture
def fixture_text():
    def read(name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8")
    return read
