from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "레슨"

    def ready(self) -> None:
        from sandbox import exercises

        from .sandbox_guide import guide

        exercises.register(guide)
