"""Uploads spooled to disk leave no temporary copy of patient data behind."""

import gc

import pytest

from remittance.generator import generate_file

pytestmark = pytest.mark.django_db

URL = "/api/v1/remittances/"


@pytest.fixture
def spool_dir(settings, tmp_path):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1 << 16
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def big_body():
    return generate_file(claims=400, seed=9).encode("latin-1")


def test_a_raw_body_leaves_no_temporary_file(token_client, spool_dir, big_body):
    gc.disable()  # no help from the cycle collector: the file must be closed explicitly
    try:
        response = token_client.post(URL, data=big_body, content_type="application/edi-x12")
        assert response.status_code == 202, response.content
        assert list(spool_dir.iterdir()) == []
    finally:
        gc.enable()


def test_a_multipart_upload_leaves_no_temporary_file(api_client, spool_dir, big_body):
    from django.core.files.uploadedfile import SimpleUploadedFile

    gc.disable()
    try:
        upload = SimpleUploadedFile("big.835", big_body)
        response = api_client.post(URL, {"file": upload}, format="multipart")
        assert response.status_code == 202, response.content
        assert list(spool_dir.iterdir()) == []
    finally:
        gc.enable()


def test_a_refused_body_leaves_no_temporary_file(token_client, spool_dir, big_body):
    gc.disable()
    try:
        response = token_client.post(
            URL, data=b"<html>" + big_body, content_type="application/edi-x12"
        )
        assert response.status_code == 400
        assert list(spool_dir.iterdir()) == []
    finally:
        gc.enable()


def test_a_file_field_sent_as_text_is_a_400(api_client):
    response = api_client.post(URL, {"file": "not a file"}, format="multipart")
    assert response.status_code == 400
    assert "multipart field named 'file'" in response.data["detail"]
