from django.contrib import admin

from .models import CommandLog, GoalCompletion, Sandbox


@admin.register(Sandbox)
class SandboxAdmin(admin.ModelAdmin):
    list_display = ["id", "scenario", "lesson", "owner_user", "speed", "paused", "version", "updated"]
    list_filter = ["scenario", "paused", "speed"]
    search_fields = ["id", "owner_user__username", "lesson"]
    readonly_fields = ["state", "version", "last_advanced", "created", "updated"]


@admin.register(CommandLog)
class CommandLogAdmin(admin.ModelAdmin):
    list_display = ["created", "sandbox", "source", "ok", "text"]
    list_filter = ["ok", "source"]
    search_fields = ["text"]


@admin.register(GoalCompletion)
class GoalCompletionAdmin(admin.ModelAdmin):
    list_display = ["sandbox", "goal_index", "completed_at"]
