from django.urls import path

from . import views_attrition as views

urlpatterns = [
    path("", views.model_page, name="attrition-model"),
    path("train/", views.train, name="attrition-train"),
    path("people/", views.people, name="attrition-people"),
    path("people/<str:number>/", views.person, name="attrition-person"),
    path("attributes/", views.attributes, name="attrition-attributes"),
    path("attributes/clear/", views.attributes_clear, name="attrition-attributes-clear"),
]
