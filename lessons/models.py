"""What a learner has done in the course: lessons opened and finished, quiz answers.

Progress belongs to an account, or to the browser session of a learner who has not signed in; signing in
later only has to move the session's rows to the user (see ``Learner``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Learner:
    """Who is asking: a user, or an anonymous session key."""

    user: object | None
    session: str

    @classmethod
    def of(cls, request, create: bool = False) -> Learner:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return cls(user, "")
        if create and not request.session.session_key:
            request.session.save()
        return cls(None, request.session.session_key or "")

    @property
    def known(self) -> bool:
        return self.user is not None or bool(self.session)

    def filter(self) -> dict:
        if self.user is not None:
            return {"owner_user": self.user}
        return {"owner_user__isnull": True, "owner_session": self.session}

    def owner(self) -> dict:
        return {"owner_user": self.user, "owner_session": self.session}


class ProgressQuerySet(models.QuerySet):
    def of(self, learner: Learner):
        return self.filter(**learner.filter()) if learner.known else self.none()


class LessonProgress(models.Model):
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="lesson_progress")
    owner_session = models.CharField(max_length=64, blank=True, db_index=True)
    lesson = models.CharField(max_length=100)
    opened_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = "레슨 진도"
        verbose_name_plural = "레슨 진도"
        indexes = [models.Index(fields=["owner_session", "lesson"]), models.Index(fields=["owner_user", "lesson"])]

    def __str__(self) -> str:
        return f"{self.lesson} ({self.owner_user or self.owner_session[:8]})"


class QuizAnswer(models.Model):
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="quiz_answers")
    owner_session = models.CharField(max_length=64, blank=True, db_index=True)
    lesson = models.CharField(max_length=100)
    question = models.CharField(max_length=100)
    choice = models.PositiveSmallIntegerField()
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = "퀴즈 답"
        verbose_name_plural = "퀴즈 답"
        indexes = [models.Index(fields=["owner_session", "lesson"]), models.Index(fields=["owner_user", "lesson"])]

    def __str__(self) -> str:
        return f"{self.lesson}/{self.question}: {self.choice}"
