"""Small images made at test time, so tests ship no binary fixtures."""

from pathlib import Path

from PIL import Image, ImageDraw

DATA = Path(__file__).resolve().parent / "data"
WXR_FILE = DATA / "hanbit.wxr.xml"


def make_image(path: Path, *, colour=(40, 90, 160), size=(320, 200), fmt=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, size[0] - 20, size[1] - 20], fill=colour)
    draw.ellipse([size[0] // 3, size[1] // 4, size[0] // 2, size[1] // 2], fill=(250, 200, 40))
    image.save(path, fmt or ("PNG" if path.suffix == ".png" else "JPEG"))
    return path


def make_uploads(root: Path) -> Path:
    """The WordPress uploads folder the test WXR file refers to (library.jpg is missing)."""
    make_image(root / "2020" / "12" / "council.jpg", colour=(120, 60, 40))
    make_image(root / "2020" / "12" / "river.jpg", colour=(40, 120, 200))
    make_image(root / "2021" / "01" / "birds.png", colour=(30, 140, 90))
    return root
