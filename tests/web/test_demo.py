"""The demo data: what `zc demo` loads is a real round, walked through the real services."""

from __future__ import annotations

from typing import Any

import pytest

from zhongchuang.applications.models import Application
from zhongchuang.audit.chain import verify_chain
from zhongchuang.certificates.models import Certificate
from zhongchuang.web.demo import load_demo_data

from .conftest import logged_in


@pytest.mark.django_db
def test_the_demo_has_a_certified_2025_round_and_applications_waiting_at_each_desk(client: Any) -> None:
    assert load_demo_data() is True
    assert load_demo_data() is False  # loaded once
    states = list(Application.objects.values_list("status", flat=True))
    assert sorted(states) == sorted(["certified", "submitted", "correction_requested", "formal_review"])
    certificate = Certificate.objects.get()
    assert certificate.number.startswith("厦科众创〔2025〕")
    page = client.get(f"/certificates/verify/{certificate.number}/").content.decode()
    assert certificate.space_name in page
    assert verify_chain().intact
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(username="xm_reviewer")
    assert logged_in(reviewer).get("/dashboard/").status_code == 200
