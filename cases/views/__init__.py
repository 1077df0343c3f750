"""Views of the cases app: thin, on the core's base classes (capability → selector → service)."""
