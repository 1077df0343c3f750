"""URLs of the screening app."""

app_name = "screening"

urlpatterns: list = []
