"""The environment resolver: defaults, overrides, and secrets kept out of reprs."""

from __future__ import annotations

import pytest

from environment.settings import load_settings


def test_defaults_use_the_embedded_server(monkeypatch):
    for name in ("NIANBAO_S3_ENDPOINT", "NIANBAO_S3_PORT", "NIANBAO_BUCKET", "NIANBAO_MAX_PAGES",
                 "NIANBAO_PARSE_SECONDS", "NIANBAO_OCR_ENGINE"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.embedded_s3
    assert settings.endpoint_url.startswith("http://127.0.0.1:")
    assert settings.max_file_bytes == 50 * 1024 * 1024
    assert (settings.max_pages, settings.parse_seconds, settings.ocr_engine) == (500, 300, "rapidocr")


def test_pdf_limits_and_ocr_engine_from_environment(monkeypatch):
    monkeypatch.setenv("NIANBAO_MAX_PAGES", "40")
    monkeypatch.setenv("NIANBAO_PARSE_SECONDS", "60")
    monkeypatch.setenv("NIANBAO_OCR_ENGINE", " Tesseract ")
    settings = load_settings()
    assert (settings.max_pages, settings.parse_seconds, settings.ocr_engine) == (40, 60, "tesseract")


def test_external_endpoint_and_credentials_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_S3_ENDPOINT", "https://s3.example.test")
    monkeypatch.setenv("NIANBAO_S3_SECRET_KEY", "very-secret-value")
    monkeypatch.setenv("NIANBAO_LAKE_DIR", str(tmp_path))
    settings = load_settings()
    assert not settings.embedded_s3
    assert settings.endpoint_url == "https://s3.example.test"
    assert settings.sqlite_catalog_path == tmp_path / "catalog.sqlite"
    assert "very-secret-value" not in repr(settings)


def test_a_malformed_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("NIANBAO_MAX_FILE_BYTES", "50MB")
    with pytest.raises(ValueError, match="NIANBAO_MAX_FILE_BYTES must be a whole number"):
        load_settings()
