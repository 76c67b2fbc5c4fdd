"""Abstract lead images for the demo articles, drawn here (no downloaded photos): a two-colour
gradient with a few circles and bands, the same picture for the same seed on every run."""

from __future__ import annotations

import hashlib
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageOps

SIZE = (1200, 675)
PALETTES = [
    ("#0b6e4f", "#f4d35e"), ("#1d3557", "#e63946"), ("#2a6f97", "#a9d6e5"),
    ("#6a040f", "#ffba08"), ("#264653", "#e9c46a"), ("#3c096c", "#ff9e00"),
]  # fmt: skip


def abstract_picture(seed: str) -> SimpleUploadedFile:
    rng = random.Random(seed)
    dark, light = rng.choice(PALETTES)
    ramp = Image.linear_gradient("L").rotate(rng.choice([0, 45, 90, 135]), expand=False)
    image = ImageOps.colorize(ramp.resize(SIZE), dark, light).convert("RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    width, height = SIZE
    for _ in range(rng.randint(3, 6)):
        r = rng.randint(80, 320)
        x, y = rng.randint(0, width), rng.randint(0, height)
        alpha = rng.randint(60, 150)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, alpha))
    for _ in range(rng.randint(1, 3)):
        y = rng.randint(0, height)
        draw.rectangle((0, y, width, y + rng.randint(20, 70)), fill=(0, 0, 0, rng.randint(40, 90)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    name = hashlib.sha256(seed.encode()).hexdigest()[:12]
    return SimpleUploadedFile(f"demo-{name}.jpg", buffer.getvalue())
