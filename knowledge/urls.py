from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("utile/<int:page_id>/", views.helpful_vote, name="helpful_vote"),
    path("utile/<int:page_id>/manque/", views.helpful_reason, name="helpful_reason"),
    path("alertes/<slug:key>/masquer/", views.alert_hide, name="alert_hide"),
]
