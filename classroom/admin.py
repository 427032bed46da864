from django.contrib import admin

from .models import Assignment, Classroom, Drill, DrillTarget, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "owner", "archived", "created"]
    list_filter = ["archived"]
    search_fields = ["name", "code", "owner__username"]
    filter_horizontal = ["co_instructors"]
    inlines = [MembershipInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["classroom", "lesson", "due"]
    list_filter = ["lesson"]


@admin.register(Drill)
class DrillAdmin(admin.ModelAdmin):
    list_display = ["classroom", "lesson", "fault", "started_by", "started_at"]
    list_filter = ["fault"]


@admin.register(DrillTarget)
class DrillTargetAdmin(admin.ModelAdmin):
    list_display = ["drill", "sandbox", "applied_at", "recovered_at"]
