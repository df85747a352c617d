"""Load people and allowed services into the CAS server's database (run once per test session):
python -m tests.sso.cas_server.seed, with CAS_SERVER_DB and CAS_SERVER_SEED (JSON) in the environment."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso.cas_server.settings")
django.setup()

from cas_server.models import FilterAttributValue, ReplaceAttributName, ServicePattern, UserAttributes  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402

seed = json.loads(os.environ["CAS_SERVER_SEED"])
for login, person in seed["people"].items():
    User.objects.create_user(username=login, password=person["password"])
    row = UserAttributes(username=login)
    row.attributs = person["attributes"]
    row.save()
for position, service in enumerate(seed["services"], start=1):
    pattern = ServicePattern.objects.create(
        pos=position,
        name=service["name"],
        pattern=service["pattern"],
        single_log_out=service.get("single_log_out", False),
        single_log_out_callback=service.get("single_log_out_callback", ""),
    )
    # Released attributes: name at the server → name the service sees ("" keeps the name).
    for name, replace in service.get("release", {}).items():
        ReplaceAttributName.objects.create(service_pattern=pattern, name=name, replace=replace)
    for attribute, regex in service.get("filters", {}).items():
        FilterAttributValue.objects.create(service_pattern=pattern, attribut=attribute, pattern=regex)
