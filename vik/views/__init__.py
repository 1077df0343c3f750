"""Views of the shared core. Thin: they check a capability, fetch through a selector and
call a service; the base classes in :mod:`vik.views.base` make that the only way."""
