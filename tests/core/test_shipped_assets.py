"""The typeface, icons and manifest every page points at exist, are what they claim, and are
licensed to ship."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def static_path(url: str) -> Path:
    found = finders.find(url.split("/static/", 1)[1])
    assert found, url
    return Path(found)


def test_every_page_preloads_the_shipped_arabic_typeface(client):
    html = client.get("/").content.decode()
    preload = re.search(
        r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', html
    )
    assert preload, "no font preload"
    font = static_path(preload.group(1))
    assert font.read_bytes()[:4] == b"wOF2"
    # The licence travels with the files.
    licence = (font.parent / "OFL-NotoNaskhArabic.txt").read_text()
    assert "SIL Open Font License, Version 1.1" in licence


def test_the_stylesheet_declares_every_shipped_face_with_swap():
    css = Path(finders.find("css/minbar.css")).read_text()
    faces = re.findall(r"@font-face \{(.*?)\}", css, re.S)
    assert len(faces) == 4
    for face in faces:
        assert "font-display: swap" in face
        src = re.search(r'url\("\.\./fonts/([^"]+)"\) format\("woff2"\)', face).group(1)
        assert Path(finders.find(f"fonts/{src}")).read_bytes()[:4] == b"wOF2"
    assert 'font-family: "Noto Naskh Arabic"' in css


def test_browsers_find_a_favicon_and_a_manifest_with_real_icons(client):
    html = client.get("/en/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+\.ico)"', html).group(1)
    assert Image.open(static_path(icon)).format == "ICO"
    svg = re.search(r'<link rel="icon" href="([^"]+\.svg)" type="image/svg\+xml">', html).group(1)
    assert static_path(svg).read_text().startswith("<svg")
    # Clients that skip the page's links ask /favicon.ico.
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == icon
    manifest_url = re.search(r'<link rel="manifest" href="([^"]+)">', html).group(1)
    response = client.get(manifest_url)
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "منبر" and manifest["dir"] == "rtl" and manifest["lang"] == "ar"
    sizes = set()
    for entry in manifest["icons"]:
        if entry["type"] != "image/png":
            continue
        image = Image.open(io.BytesIO(static_path(entry["src"]).read_bytes()))
        width, height = (int(n) for n in entry["sizes"].split("x"))
        assert image.size == (width, height)
        sizes.add(width)
    assert {192, 512} <= sizes
