import pytest

from tests.notifications.platforms import Platforms

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "a" * 64
DINGTALK_SECRET = "SEC" + "0123456789abcdef" * 4
SMS_KEY_ID, SMS_SECRET = "LTAI5tTestKeyId", "testSecretValue0123456789"


@pytest.fixture
def platforms(settings):
    server = Platforms().start()
    host = f"127.0.0.1:{server.server_address[1]}"
    settings.NOTIFY_ROBOT_HOSTS = {"wecom": [host], "dingtalk": [host]}
    settings.NOTIFY_ROBOT_ALLOW_HTTP = True
    settings.NOTIFY_HTTP_TIMEOUT = 0.5
    settings.NOTIFY_QUIET_HOURS = (0, 0)
    settings.SMS_PROVIDER, settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "aliyun", SMS_KEY_ID, SMS_SECRET
    settings.SMS_SIGN_NAME, settings.SMS_ENDPOINT = "常德市商务局", server.base + "/"
    server.dingtalk_secrets[DINGTALK_TOKEN] = DINGTALK_SECRET
    server.sms_keys[SMS_KEY_ID] = SMS_SECRET
    server.slow_seconds = 1.5
    yield server
    server.stop()


@pytest.fixture
def wecom_robot(platforms, team):
    from notifications.models import RobotWebhook

    return RobotWebhook.objects.create(team=team, kind="wecom", url=f"{platforms.base}/cgi-bin/webhook/send?key={WECOM_KEY}")


@pytest.fixture
def dingtalk_robot(platforms, team):
    from notifications.models import RobotWebhook

    return RobotWebhook.objects.create(
        team=team, kind="dingtalk", url=f"{platforms.base}/robot/send?access_token={DINGTALK_TOKEN}", secret=DINGTALK_SECRET
    )
