"""VIK: case management for police integrity departments.

The ``vik`` package is both the Django project (settings, URLs, Celery app) and the shared
core app: organisation, people, roles, the permission spine and the access log.
"""

from vik.celery import app as celery_app

__all__ = ["celery_app"]
