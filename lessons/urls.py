from django.urls import path

from lessons import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lessons/", views.lesson_list, name="lesson-list"),
    path("lessons/search/", views.search, name="lesson-search"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson-detail"),
    path("lessons/<slug:slug>/sandbox", views.lesson_sandbox, name="lesson-sandbox"),
    path("lessons/<slug:slug>/quiz/<slug:question>", views.quiz_answer, name="quiz-answer"),
    path("glossary/", views.glossary, name="glossary"),
]
