"""SMTP, retry and reminder settings come from the environment, with working local defaults."""

import pytest

from services.notification.settings import NotificationSettings, parse_offsets


def test_defaults_point_at_the_development_smtp_server_with_offsets_14_3_1():
    s = NotificationSettings.from_env({})
    assert (s.smtp_host, s.smtp_port, s.smtp_starttls, s.smtp_user) == (
        "127.0.0.1",
        8025,
        False,
        None,
    )
    assert s.reminder_offsets_days == (14, 3, 1)


def test_every_setting_is_read_from_its_variable():
    s = NotificationSettings.from_env(
        {
            "ANTT_SMTP_HOST": "smtp.example.vn",
            "ANTT_SMTP_PORT": "587",
            "ANTT_SMTP_STARTTLS": "true",
            "ANTT_SMTP_USER": "antt",
            "ANTT_SMTP_PASSWORD": "bi-mat",
            "ANTT_SMTP_FROM": "ANTT <antt@example.vn>",
            "ANTT_PUBLIC_URL": "https://antt.example.vn/api/v1/",
            "ANTT_REMINDER_OFFSETS_DAYS": "7, 30,2",
            "ANTT_NOTIFY_RETRY_BASE_S": "0.5",
            "ANTT_NOTIFY_RETRY_ATTEMPTS": "4",
            "ANTT_SCHEDULER_INTERVAL_S": "60",
        }
    )
    assert (s.smtp_host, s.smtp_port, s.smtp_starttls) == ("smtp.example.vn", 587, True)
    assert (s.smtp_user, s.smtp_password, s.smtp_from) == (
        "antt",
        "bi-mat",
        "ANTT <antt@example.vn>",
    )
    assert s.public_url == "https://antt.example.vn/api/v1"
    assert s.reminder_offsets_days == (30, 7, 2)
    assert (s.retry_base_s, s.retry_max_attempts, s.scheduler_interval_s) == (0.5, 4, 60.0)


@pytest.mark.parametrize("text", ["", "0,3", "-1", "ba"])
def test_offsets_that_are_not_whole_days_before_a_deadline_are_refused(text):
    with pytest.raises(ValueError):
        parse_offsets(text)
