"""Evidence uploads are judged by content, limited in size, and served only to the owning organisation."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhongchuang.evidence.models import Document
from zhongchuang.spaces.services import row_create, space_create

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"


@pytest.fixture
def space(operator_user: Any) -> Any:
    return space_create(organisation=operator_user.membership.organisation, name="鹭创空间", by=operator_user)


@pytest.fixture
def row(space: Any, operator_user: Any) -> Any:
    return row_create(
        space=space,
        table="incubatees",
        by=operator_user,
        values={"name": "甲团队", "kind": "team", "company_name": "甲团队", "admitted_on": date(2024, 3, 1)},
    )


@pytest.fixture
def client_in(client: Client, operator_user: Any) -> Client:
    client.force_login(operator_user)
    return client


def upload(
    client: Client, space: Any, row: Any, content: bytes, name: str, kind: str = "incubation_agreement"
) -> Any:
    address = reverse("spaces:row_upload", args=[space.pk, "incubatees", row.pk])
    return client.post(
        address, {"kind": kind, "title": "入孵协议", "file": SimpleUploadedFile(name, content)}
    )


def test_each_row_offers_the_upload_slots_of_its_table(client_in: Client, space: Any, row: Any) -> None:
    html = client_in.get(reverse("spaces:row_detail", args=[space.pk, "incubatees", row.pk])).content.decode()
    assert "入孵协议" in html and "在孵企业租赁协议" in html and 'enctype="multipart/form-data"' in html
    assert 'value="lease_contract"' not in html  # not a slot of this table


def test_an_upload_whose_content_is_a_png_but_named_pdf_is_accepted_as_png(
    client_in: Client, space: Any, row: Any
) -> None:
    response = upload(client_in, space, row, PNG, "协议.pdf")
    assert response.status_code == 302
    document = Document.objects.get(space=space)
    assert document.mime == "image/png" and document.sha256 == hashlib.sha256(PNG).hexdigest()
    assert list(row.evidence.all()) == [document]
    html = client_in.get(response["Location"]).content.decode()
    assert reverse("evidence:download", args=[space.pk, document.pk]) in html
    assert "上传佐证材料" in html  # the row's history shows the upload


def test_a_text_file_named_pdf_is_refused_with_the_reason(client_in: Client, space: Any, row: Any) -> None:
    response = upload(client_in, space, row, b"just some text, not a PDF", "协议.pdf")
    html = response.content.decode()
    assert response.status_code == 200 and not Document.objects.exists()
    assert "只接受 PDF、JPEG、PNG 或 OFD 文件" in html and 'class="error-summary"' in html
    assert 'value="入孵协议"' in html  # the typed title is kept


def test_a_file_over_the_size_limit_is_refused(
    client_in: Client, space: Any, row: Any, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    response = upload(client_in, space, row, PDF + b"0" * (1024 * 1024), "big.pdf")
    assert "文件超过大小上限" in response.content.decode()
    assert not Document.objects.exists() and not row.evidence.exists()


def test_the_profile_offers_space_level_evidence(client_in: Client, space: Any) -> None:
    page = client_in.get(reverse("spaces:profile", args=[space.pk])).content.decode()
    assert 'value="business_licence"' in page and 'value="floor_plan"' in page
    response = client_in.post(
        reverse("spaces:profile_upload", args=[space.pk]),
        {"kind": "business_licence", "title": "营业执照", "file": SimpleUploadedFile("l.pdf", PDF)},
    )
    assert response.status_code == 302
    document = Document.objects.get(space=space)
    assert document.mime == "application/pdf" and list(space.evidence.all()) == [document]


def test_the_document_list_shows_kind_size_hash_and_uploader(client_in: Client, space: Any, row: Any) -> None:
    upload(client_in, space, row, PDF, "协议.pdf")
    document = Document.objects.get()
    html = client_in.get(reverse("evidence:document_list", args=[space.pk])).content.decode()
    assert "入孵协议" in html and document.sha256 in html and "operator" in html
    assert reverse("evidence:download", args=[space.pk, document.pk]) in html


def test_the_download_serves_the_stored_type_as_an_attachment_to_members_only(
    client_in: Client, space: Any, row: Any, other_operator_user: Any
) -> None:
    upload(client_in, space, row, PNG, "协议.pdf")
    document = Document.objects.get()
    address = reverse("evidence:download", args=[space.pk, document.pk])
    response = client_in.get(address)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client_in.force_login(other_operator_user)
    assert client_in.get(address).status_code == 404


def test_detaching_a_document_takes_it_off_the_row_only(client_in: Client, space: Any, row: Any) -> None:
    upload(client_in, space, row, PNG, "a.png")
    document = Document.objects.get()
    client_in.post(reverse("spaces:row_detach", args=[space.pk, "incubatees", row.pk, document.pk]))
    assert not row.evidence.exists() and Document.objects.filter(pk=document.pk).exists()
