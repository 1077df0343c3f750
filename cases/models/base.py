"""Building blocks shared by the cases models."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AppendOnlyQuerySet[M: models.Model](models.QuerySet[M]):
    """Refuses bulk UPDATE and DELETE: rows of an append-only record are never rewritten."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(f"{self.model._meta.label} is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError(f"{self.model._meta.label} is append-only.")


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or removed (on top of a DB trigger)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{self._meta.label} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(f"{self._meta.label} is append-only.")
