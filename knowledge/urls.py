from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [path("utile/<int:page_id>/", views.helpful_vote, name="helpful_vote")]
