from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.html import format_html

from . import usernames
from .authentication import AdminLoginForm
from .models import (
    Assignment,
    Classroom,
    Drill,
    DrillTarget,
    InstructorInvite,
    Membership,
    is_instructor,
    make_instructor,
)

# /admin/login/ goes through the same throttled backend as every log-in; this form names the lock in Korean.
admin.site.login_form = AdminLoginForm


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


class _NormalisedUsername:
    """Admin user forms keep the one-spelling rule (classroom/usernames.py) with a form error, not a 500."""

    def clean_username(self):
        return usernames.clean_new(self.cleaned_data["username"], instance=self.instance)


class UserCreation(_NormalisedUsername, AdminUserCreationForm):
    pass


class UserChange(_NormalisedUsername, UserChangeForm):
    pass


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CourseUserAdmin(UserAdmin):
    add_form = UserCreation
    form = UserChange
    actions = ["grant_instructor"]

    @admin.action(description="선택한 사용자를 강사로 지정")
    def grant_instructor(self, request, queryset):
        granted = [user for user in queryset if not is_instructor(user)]
        for user in granted:
            make_instructor(user)
        self.message_user(request, f"{len(granted)}명을 강사로 지정했습니다.", messages.SUCCESS)


@admin.register(InstructorInvite)
class InstructorInviteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "link", "created_by", "created", "expires", "accepted_by", "accepted_at"]
    readonly_fields = ["link", "created_by", "accepted_by", "accepted_at"]
    fields = ["note", "expires", "link", "created_by", "accepted_by", "accepted_at"]

    @admin.display(description="초대 링크")
    def link(self, invite):
        # A link, so the browser turns it into the site's full address for "copy link".
        return format_html('<a href="{0}">{0}</a>', invite.get_absolute_url()) if invite.pk else "저장하면 생깁니다."

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by", "accepted_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
