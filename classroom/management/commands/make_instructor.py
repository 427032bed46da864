from django.core.management.base import BaseCommand, CommandError

from classroom import usernames
from classroom.models import make_instructor


class Command(BaseCommand):
    help = "사용자에게 강사 권한(instructors 그룹)을 줍니다."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = usernames.find(username)
        if user is None:
            raise CommandError(f"{username} 사용자가 없습니다.")
        make_instructor(user)
        self.stdout.write(f"{username} 님은 이제 강사입니다.")
