"""Demo people and county teams for `manage.py seed_demo`. Idempotent: running it again changes nothing."""

from django.db import transaction

from .models import CountyTeam, Role, User
from .services import assign_role, set_supervision
from .teams import CHANGDE_TEAMS

DEMO_PASSWORD = "changde2026"

# Trainee names are fictional; three per team.
TRAINEE_NAMES = [
    "李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏", "徐涛",
    "孙悦", "马超", "朱琳", "胡军", "郭婷", "何平", "高翔", "林娜", "罗斌", "梁雪", "宋佳",
    "郑凯", "谢芸", "韩冰", "唐勇", "冯丹", "于浩", "董蕾", "萧然", "程鹏", "曹颖", "袁野",
]
LEAD_NAMES = ["邓国华", "彭建国", "曾志红", "蒋立新", "蔡文斌", "贾春梅", "丁卫东", "魏海燕", "薛永明", "叶秀兰", "阎德胜"]


def _user(username: str, full_name: str, **extra) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name, **extra})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed(stdout=None) -> None:
    teams = []
    for order, (code, name) in enumerate(CHANGDE_TEAMS):
        team, _ = CountyTeam.objects.get_or_create(code=code, defaults={"name": name, "region": "常德市", "sort_order": order})
        teams.append(team)

    admin = _user("admin", "市局管理员", email="admin@example.cn", is_superuser=True, is_staff=True)
    assign_role(user=admin, role=Role.BUREAU_ADMIN)
    bureau = _user("bureau", "钱秀英", email="bureau@example.cn")
    assign_role(user=bureau, role=Role.BUREAU_ADMIN)

    # Each trainer supervises (at most) three counties (每人负责督导3个区县): 11 teams need four trainers,
    # so that no team's reviewed work waits in nobody's queue.
    trainer_plan = [
        ("trainer1", "石建军", teams[1:4]),
        ("trainer2", "方晓燕", teams[4:7]),
        ("trainer3", "龙振华", teams[7:10]),
        ("trainer4", "尹慧琴", [teams[0], teams[10]]),
    ]
    for username, name, supervised in trainer_plan:
        trainer = _user(username, name, email=f"{username}@example.cn")
        assign_role(user=trainer, role=Role.TRAINER)
        set_supervision(trainer=trainer, teams=list(supervised))

    for index, team in enumerate(teams):
        lead = _user(f"lead-{team.code}", LEAD_NAMES[index % len(LEAD_NAMES)])
        assign_role(user=lead, role=Role.TEAM_LEAD, team=team, title="分管负责人")
        for n in range(3):
            name = TRAINEE_NAMES[(index * 3 + n) % len(TRAINEE_NAMES)]
            trainee = _user(f"{team.code}{n + 1}", name, phone=f"1390736{index:02d}{n:02d}")
            assign_role(user=trainee, role=Role.TRAINEE, team=team, title="网站管理员")
    if stdout:
        stdout.write(f"people: {User.objects.count()} users in {len(teams)} county teams")
