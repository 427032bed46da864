from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save


class ClassroomConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "classroom"
    verbose_name = "수업"

    def ready(self) -> None:
        from .usernames import normalise_on_create

        pre_save.connect(normalise_on_create, sender=settings.AUTH_USER_MODEL,
                         dispatch_uid="classroom.usernames.normalise_on_create")
