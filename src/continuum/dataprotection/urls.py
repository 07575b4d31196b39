app_name = "dataprotection"

urlpatterns: list = []
