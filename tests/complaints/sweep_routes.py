"""Sweep expectations for the complaints URLs."""

from tests.sweep import Route

ROUTES: list[Route] = []
