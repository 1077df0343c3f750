"""factory-boy factories for the core models."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from vik.models import Employee, Function, Unit


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Eenheid {o.code}")
    kind = Unit.Kind.REGIONAL
    region = factory.LazyAttribute(lambda o: o.code[:2])


class FunctionFactory(factory.django.DjangoModelFactory[Function]):
    class Meta:
        model = Function
        django_get_or_create = ("code",)

    code = "Agent"
    name = "Agent"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@vik.test")


class EmployeeFactory(factory.django.DjangoModelFactory[Employee]):
    class Meta:
        model = Employee

    personnel_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    unit = factory.SubFactory(UnitFactory)
    function = factory.SubFactory(FunctionFactory)
