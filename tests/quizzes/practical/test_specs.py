"""A task's spec is validated when a trainer saves it: typos and impossible values get a clear message."""

import pytest
from django.core.exceptions import ValidationError

from quizzes.practical.specs import parse_levels, validate_spec

from .factories import TaskFactory


@pytest.mark.parametrize(
    "kind, spec, words",
    [
        ("image", {"max_widht": 800}, "未知设置 max_widht"),
        ("image", {"width": 0}, "1 到 20000 之间的整数"),
        ("image", {"formats": ["BMP"]}, "formats"),
        ("image", {"aspect_ratio": "16/9"}, "16:9"),
        ("image", {"quality_min": 90, "quality_max": 60}, "不能大于"),
        ("image", {"crop": {"box": [10, 10, 5, 50]}}, "crop.box"),
        ("image", {"watermark": {"corner": "middle"}}, "watermark.corner"),
        ("image", {}, "至少要有一项"),
        ("topic_page", {"banner_width": 1200}, "banner_height"),
        ("backoffice", {"expect": []}, "expect"),
        ("backoffice", {"expect": [{"type": "delete", "title_contains": "x"}]}, "type"),
        ("backoffice", {"expect": [{"type": "scheduled", "title_contains": "x", "go_live_at": "明天"}]}, "go_live_at"),
        ("reviewed", {"width": 1}, "留空"),
        ("image", ["width", 800], "JSON 对象"),
    ],
)
def test_bad_specs_are_refused(kind, spec, words):
    with pytest.raises(ValidationError) as error:
        validate_spec(kind, spec)
    assert words in " ".join(error.value.message_dict["spec"])


def test_good_specs_are_normalised():
    assert validate_spec("image", {"aspect_ratio": "16:9"}) == {"aspect_ratio": "16:9", "aspect_tolerance": 0.02}
    assert validate_spec("topic_page", {})["min_columns"] == 3
    assert validate_spec("reviewed", None) == {}


def test_levels_are_parsed_and_checked():
    assert [name for name, _ in parse_levels("优秀 | 10\n\n合格|6")] == ["优秀", "合格"]
    with pytest.raises(ValidationError):
        parse_levels("优秀 10")
    with pytest.raises(ValidationError):
        parse_levels("")


@pytest.mark.django_db
def test_task_clean_needs_an_original_for_comparisons():
    task = TaskFactory.build(spec={"no_upscale": True}, original_image=None)
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert "original_image" in error.value.message_dict
