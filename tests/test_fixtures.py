"""Every extraction fixture under fixtures/<site>/<case>/, one test per expected field."""

import pytest

from extractors import fixtures

CASES = fixtures.cases()
PARAMS = [pytest.param(case, field, id=f"{case.id}:{field}")
          for case in CASES for field in fixtures.fields(case)]


def test_fixtures_are_present():
    assert len(CASES) >= 5, "the fixture sweep found too few cases"


@pytest.mark.parametrize(("case", "field"), PARAMS)
def test_fixture_field(case, field):
    mismatch = fixtures.check_field(case, field)
    assert mismatch is None, f"{case.id} {field}: {mismatch}"
