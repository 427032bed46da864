"""Classes: an instructor's group of learners, joined with a short code, with assigned lessons and drills."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .fields import DueDateTimeField

INSTRUCTORS = "instructors"
# No 0/O, 1/I/L: a code read aloud in a lecture hall must not be mistyped.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Classroom.objects.filter(code=code).exists():
            return code


def is_instructor(user) -> bool:
    return bool(user and user.is_authenticated and (
        user.is_staff or user.groups.filter(name=INSTRUCTORS).exists()))


INSTRUCTOR_PERMISSIONS = ["add_classroom", "change_classroom", "view_classroom", "add_assignment",
                          "change_assignment", "delete_assignment", "view_assignment", "add_drill", "view_drill"]


def instructors_group() -> Group:
    """The ``instructors`` group with the classroom permissions it stands for (also usable in /admin/)."""
    group, created = Group.objects.get_or_create(name=INSTRUCTORS)
    if created or not group.permissions.exists():
        group.permissions.set(Permission.objects.filter(content_type__app_label="classroom",
                                                        codename__in=INSTRUCTOR_PERMISSIONS))
    return group


def make_instructor(user) -> None:
    user.groups.add(instructors_group())


class ClassroomQuerySet(models.QuerySet):
    def taught_by(self, user) -> ClassroomQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(co_instructors=user)).distinct()

    def joined_by(self, user) -> ClassroomQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def active(self) -> ClassroomQuerySet:
        return self.filter(archived=False)


class Classroom(models.Model):
    name = models.CharField("수업 이름", max_length=100)
    description = models.TextField("설명", blank=True)
    code = models.CharField("참여 코드", max_length=12, unique=True, default=new_code)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_classes")
    co_instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="co_taught_classes")
    archived = models.BooleanField("보관됨", default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "수업"
        verbose_name_plural = "수업"

    def __str__(self) -> str:
        return self.name

    def taught_by(self, user) -> bool:
        return user.is_authenticated and (self.owner_id == user.pk or self.co_instructors.filter(pk=user.pk).exists())

    def admit(self, user) -> bool:
        """Make ``user`` a learner of this class; False, and nothing written, for its own instructors."""
        if self.taught_by(user):
            return False
        Membership.objects.get_or_create(classroom=self, user=user)
        return True

    def learners(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(memberships__classroom=self).order_by("username")


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "user"], name="one_membership_per_class")]
        verbose_name = "수강"
        verbose_name_plural = "수강"

    def __str__(self) -> str:
        return f"{self.user} @ {self.classroom}"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    lesson = models.CharField("레슨", max_length=100)
    due = DueDateTimeField("마감", null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "lesson"]
        constraints = [models.UniqueConstraint(fields=["classroom", "lesson"], name="one_assignment_per_lesson")]
        verbose_name = "과제"
        verbose_name_plural = "과제"

    def __str__(self) -> str:
        return f"{self.classroom}: {self.lesson}"


class Drill(models.Model):
    """A fault pushed to every learner's sandbox for one lesson at once."""

    FAULTS = [("node-fail", "노드 장애"), ("app-crash", "앱 고장"), ("traffic-spike", "트래픽 급증"),
              ("bad-rollout", "잘못된 롤아웃")]

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="drills")
    lesson = models.CharField("레슨", max_length=100)
    fault = models.CharField("장애", max_length=20, choices=FAULTS)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "장애 훈련"
        verbose_name_plural = "장애 훈련"

    def __str__(self) -> str:
        return f"{self.classroom} {self.get_fault_display()} {self.started_at:%Y-%m-%d %H:%M}"


class DrillTarget(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="targets")
    sandbox = models.ForeignKey("sandbox.Sandbox", on_delete=models.CASCADE, related_name="drill_targets")
    applied_at = models.DateTimeField(auto_now_add=True)
    applied_sim_time = models.FloatField(default=0)
    command = models.TextField()
    recovered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["drill", "sandbox"], name="one_target_per_sandbox")]
        verbose_name = "훈련 대상"
        verbose_name_plural = "훈련 대상"

    def __str__(self) -> str:
        return f"{self.drill} → {self.sandbox_id}"


class FailedAttempt(models.Model):
    """One guess (a log-in, a join code, a reset e-mail) counted by classroom/throttle.py. Written before the guess
    is checked and deleted again when it succeeds; rows older than their window are deleted as new ones come."""

    action = models.CharField(max_length=16)
    account = models.CharField(max_length=150)  # a normalised username, a user id or an e-mail address
    address = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["action", "account", "created"], name="attempt_by_account"),
                   models.Index(fields=["action", "address", "created"], name="attempt_by_address")]
        verbose_name = "실패한 시도"
        verbose_name_plural = "실패한 시도"

    def __str__(self) -> str:
        return f"{self.action} {self.account} @ {self.address}"


def _invite_token() -> str:
    return secrets.token_urlsafe(24)


def _invite_expiry():
    return timezone.now() + INVITE_LIFETIME


INVITE_LIFETIME = timedelta(days=7)


class InstructorInviteQuerySet(models.QuerySet):
    def open(self) -> InstructorInviteQuerySet:
        return self.filter(accepted_by__isnull=True, expires__gt=timezone.now())


class InstructorInvite(models.Model):
    """A link that makes whoever accepts it (signed in) an instructor. Made by an admin or an instructor;
    good once, for INVITE_LIFETIME."""

    token = models.CharField(max_length=64, unique=True, default=_invite_token, editable=False)
    note = models.CharField("메모", max_length=100, blank=True, help_text="누구에게 보낸 초대인지 적어 둡니다.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="instructor_invites", editable=False)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField("만료", default=_invite_expiry)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="accepted_instructor_invites", editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InstructorInviteQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "강사 초대"
        verbose_name_plural = "강사 초대"

    def __str__(self) -> str:
        return self.note or f"초대 {self.created:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("instructor-invite", args=[self.token])

    def accept(self, user) -> bool:
        """Make ``user`` an instructor and use the invite up. False if someone else used it first or it
        expired (the row is claimed with one conditional UPDATE, so two people cannot both use one link)."""
        with transaction.atomic():
            claimed = InstructorInvite.objects.open().filter(pk=self.pk).update(accepted_by=user,
                                                                               accepted_at=timezone.now())
            if claimed:
                make_instructor(user)
        return bool(claimed)
