from django.urls import path

from . import answer_views, setup_views, views

urlpatterns = [
    path("", views.index, name="reviews"),
    path("start/", views.start, name="reviews-start"),
    path("cycles/<int:pk>/close/", views.close_cycle, name="reviews-close-cycle"),
    path("inbox/", answer_views.inbox, name="reviews-inbox"),
    path("assignments/<int:pk>/", answer_views.answer, name="reviews-answer"),
    path("assignments/<int:pk>/confirm/", answer_views.confirm, name="reviews-confirm"),
    path("assignments/<int:pk>/decline/", answer_views.decline, name="reviews-decline"),
    path("setups/", setup_views.setups, name="reviews-setups"),
    path("setups/<int:pk>/", setup_views.setup_detail, name="reviews-setup"),
    path("<int:pk>/", views.review_detail, name="review"),
    path("<int:pk>/links/", views.links, name="review-links"),
    path("<int:pk>/close/", views.close, name="review-close"),
    path("<int:pk>/results/", views.results, name="review-results"),
    path("<int:pk>/results.csv", views.results_csv, name="review-results-csv"),
]
