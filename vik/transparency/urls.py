"""URLs of the transparency app."""

app_name = "transparency"

urlpatterns: list = []
