"""``field__any=values`` (vik/lookups.py): one array parameter, the same rows as ``__in``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from tests.factories import EmployeeFactory, UnitFactory
from vik.models import Employee

pytestmark = pytest.mark.django_db


def test_text_and_foreign_key_values_select_what_in_selects() -> None:
    north, south = UnitFactory(), UnitFactory()
    jansen = EmployeeFactory(last_name="Jansen", unit=north)
    bakker = EmployeeFactory(last_name="Bakker", unit=south)
    EmployeeFactory(last_name="Visser", unit=south)

    by_name = Employee.objects.filter(last_name__any=["Jansen", "Bakker", "Nobody"])
    by_unit = Employee.objects.filter(unit_id__any=(pk for pk in [north.pk]))

    assert (
        set(by_name)
        == {jansen, bakker}
        == set(Employee.objects.filter(last_name__in=["Jansen", "Bakker", "Nobody"]))
    )
    assert list(by_unit) == [jansen]
    assert list(by_unit.all()) == [jansen]  # compiled again: the values are still there
    sql, params = by_name.query.sql_with_params()
    if connection.vendor == "postgresql":
        # One array parameter, compared as such: PostgreSQL estimates it per value.
        assert "= ANY(%s::varchar(" in sql
        assert ["Jansen", "Bakker", "Nobody"] in params
        assert "= ANY(%s::bigint[])" in by_unit.query.sql_with_params()[0]


def test_no_values_match_nothing_and_leave_the_other_side_of_an_or() -> None:
    jansen = EmployeeFactory(last_name="Jansen")

    assert not Employee.objects.filter(last_name__any=[]).exists()
    assert list(Employee.objects.filter(Q(last_name__any=[]) | Q(pk=jansen.pk))) == [jansen]
