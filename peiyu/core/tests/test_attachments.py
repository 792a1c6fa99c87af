"""Attachments: stored privately with name, size and SHA-256; downloaded only within scope with the
Chinese name in Content-Disposition (RFC 5987); type and size limits with Chinese errors."""

import hashlib
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peiyu.core.models import Attachment, ObjectChange

PDF = b"%PDF-1.7\n" + b"0" * 2000


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    """A private directory per test (the field resolves its storage once, at start-up)."""
    location = tmp_path / "attachments"
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=location, base_url=None))
    return location


def panel_url(enterprise):
    ct = ContentType.objects.get_for_model(enterprise)
    return reverse("attachment-panel", args=[ct.pk, enterprise.pk])


def upload(client, enterprise, name="高新技术企业证书.pdf", content=PDF):
    return client.post(panel_url(enterprise), {"files": SimpleUploadedFile(name, content)}, HTTP_HX_REQUEST="true")


def test_upload_keeps_name_size_hash_and_who(client_for, users, enterprises, private_storage):
    response = upload(client_for(users["town_a"]), enterprises["a"])
    assert response.status_code == 200
    a = Attachment.objects.get()
    assert (a.name, a.size, a.sha256) == ("高新技术企业证书.pdf", len(PDF), hashlib.sha256(PDF).hexdigest())
    assert a.uploaded_by == users["town_a"] and a.owner == enterprises["a"]
    assert "高新技术企业证书" not in a.file.name  # stored under a random name
    assert (private_storage / a.file.name).read_bytes() == PDF
    assert "高新技术企业证书.pdf" in response.content.decode()
    assert ObjectChange.objects.filter(object_repr="高新技术企业证书.pdf", action="create").exists()


def test_download_within_scope_has_the_chinese_name(client_for, users, enterprises):
    upload(client_for(users["town_a"]), enterprises["a"])
    a = Attachment.objects.get()
    response = client_for(users["bureau"]).get(reverse("attachment-download", args=[a.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('高新技术企业证书.pdf')}" in disposition


def test_another_units_attachments_are_404(client_for, users, enterprises):
    upload(client_for(users["town_b"]), enterprises["b"])
    a = Attachment.objects.get()
    client = client_for(users["town_a"])
    assert client.get(panel_url(enterprises["b"])).status_code == 404
    assert client.get(reverse("attachment-download", args=[a.pk])).status_code == 404
    assert client.post(reverse("attachment-delete", args=[a.pk])).status_code == 404
    assert upload(client, enterprises["b"]).status_code == 404
    assert Attachment.objects.count() == 1


def test_enterprise_user_sees_only_their_own_enterprise(client_for, users, enterprises):
    upload(client_for(users["bureau"]), enterprises["b"])
    b_file = Attachment.objects.get()
    client = client_for(users["ent_a"])
    assert client.get(reverse("attachment-download", args=[b_file.pk])).status_code == 404
    assert upload(client, enterprises["a"]).status_code == 200  # their own enterprise


def test_read_only_roles_download_but_cannot_change(client_for, users, enterprises):
    upload(client_for(users["bureau"]), enterprises["a"])
    a = Attachment.objects.get()
    client = client_for(users["leader"])
    panel = client.get(panel_url(enterprises["a"]))
    assert panel.status_code == 200 and 'type="file"' not in panel.content.decode()
    assert client.get(reverse("attachment-download", args=[a.pk])).status_code == 200
    assert upload(client, enterprises["a"]).status_code == 403
    assert client.post(reverse("attachment-delete", args=[a.pk])).status_code == 403


def test_models_without_scoping_cannot_carry_attachments(client_for, users):
    ct = ContentType.objects.get_for_model(users["bureau"])
    url = reverse("attachment-panel", args=[ct.pk, users["bureau"].pk])
    assert client_for(users["admin"]).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "不能作为附件"),
        ("伪装.pdf", b"MZ\x90\x00" + b"0" * 100, "不是真正的 PDF 文件"),
        ("空文件.docx", b"", "是空文件"),
    ],
)
def test_type_limits_with_chinese_errors(client_for, users, enterprises, name, content, message):
    response = upload(client_for(users["town_a"]), enterprises["a"], name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_size_limit(client_for, users, enterprises, settings):
    settings.PEIYU_ATTACHMENT_MAX_BYTES = 1000
    response = upload(client_for(users["town_a"]), enterprises["a"])
    assert "附件最大为 1000\xa0字节" in response.content.decode()
    assert not Attachment.objects.exists()


def test_delete_removes_row_and_file(client_for, users, enterprises, private_storage, django_capture_on_commit_callbacks):
    client = client_for(users["town_a"])
    upload(client, enterprises["a"])
    a = Attachment.objects.get()
    stored = private_storage / a.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("attachment-delete", args=[a.pk]))
    assert response.status_code == 200
    assert not Attachment.objects.exists() and not stored.exists()
    assert ObjectChange.objects.filter(object_repr="高新技术企业证书.pdf", action="delete").exists()


def test_enterprise_users_delete_only_their_own_uploads(client_for, users, enterprises):
    upload(client_for(users["bureau"]), enterprises["a"])
    a = Attachment.objects.get()
    client = client_for(users["ent_a"])
    assert client.post(reverse("attachment-delete", args=[a.pk])).status_code == 403


def test_enterprise_page_shows_the_panel(client_for, users, enterprises):
    upload(client_for(users["town_a"]), enterprises["a"])
    page = client_for(users["town_a"]).get(enterprises["a"].get_absolute_url()).content.decode()
    assert "企业附件" in page and "高新技术企业证书.pdf" in page and 'hx-encoding="multipart/form-data"' in page
