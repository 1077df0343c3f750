"""Background work of the API: importing what service accounts delivered (ids in)."""

from __future__ import annotations

from celery import shared_task

from api import services


@shared_task(acks_late=True)
def import_delivery(delivery_id: int) -> bool:
    """Import one delivery (idempotent: claimed once, a redelivery does nothing)."""
    return services.run_delivery(delivery_id=delivery_id)
