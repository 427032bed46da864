from django.contrib import admin

from .models import LessonProgress, QuizAnswer


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["lesson", "owner_user", "owner_session", "opened_at", "last_seen", "finished_at"]
    list_filter = ["lesson", "finished_at"]
    search_fields = ["owner_user__username", "lesson"]


@admin.register(QuizAnswer)
class QuizAnswerAdmin(admin.ModelAdmin):
    list_display = ["lesson", "question", "owner_user", "choice", "correct", "answered_at"]
    list_filter = ["lesson", "correct"]
    search_fields = ["owner_user__username", "lesson", "question"]
