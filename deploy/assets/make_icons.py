"""Draw Minbar's mark (a stepped pulpit under a pointed canopy) as SVG, PNG and ICO.

Run from the project root: `.venv/bin/python deploy/assets/make_icons.py`. The shapes are plain
geometry (no lettering), so the same polygon gives the SVG and the bitmaps exactly.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[2] / "static" / "img"
GREEN, WHITE = "#0b6e4f", "#ffffff"
GRID = 512
# Steps rising from the reader's right (Arabic reads from there) to the canopied seat.
MARK = [
    (96, 416), (96, 352), (160, 352), (160, 288), (224, 288), (224, 224), (296, 224),
    (296, 176), (344, 100), (392, 176), (392, 416),
]  # fmt: skip


def svg() -> str:
    points = " ".join(f"{x},{y}" for x, y in MARK)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="96" fill="{GREEN}"/>'
        f'<polygon points="{points}" fill="{WHITE}"/></svg>\n'
    )


def bitmap(size: int, *, maskable: bool = False) -> Image.Image:
    scale = 4  # drawn large, then reduced, for smooth edges
    big = GRID * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:  # fills the whole square; the mark sits inside the 80% safe zone
        draw.rectangle((0, 0, big, big), fill=GREEN)
        shrink, shift = 0.8, GRID * 0.1
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=96 * scale, fill=GREEN)
        shrink, shift = 1.0, 0.0
    points = [((x * shrink + shift) * scale, (y * shrink + shift) * scale) for x, y in MARK]
    draw.polygon(points, fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(), encoding="utf-8")
    for size in (192, 512):
        bitmap(size).save(OUT / f"icon-{size}.png", optimize=True)
    bitmap(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    bitmap(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    bitmap(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
