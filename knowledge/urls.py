from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("utile/<int:page_id>/", views.helpful_vote, name="helpful_vote"),
    path("utile/<int:page_id>/manque/", views.helpful_reason, name="helpful_reason"),
    path("alertes/<slug:key>/masquer/", views.alert_hide, name="alert_hide"),
    path("adresses/", views.addresses_json, name="addresses"),
    path("adresses/trouver/", views.address_find, name="address_find"),
]
