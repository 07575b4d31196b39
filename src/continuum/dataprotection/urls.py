from django.urls import path

app_name = "dataprotection"

urlpatterns: list = []
