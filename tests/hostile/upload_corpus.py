"""Hostile image uploads, made on the fly (no binary fixtures in the repository).

Each entry: (family, name, filename, bytes). Builders write just enough of each format
by hand (PNG chunks, GIF blocks, JPEG markers, WebP's VP8X header) to declare what they
want — a huge canvas, a thousand frames — in a few kilobytes.
"""

from __future__ import annotations

import struct
import unicodedata
import zlib
from io import BytesIO

import PIL.Image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(
    width: int, height: int, *, depth=8, colour=0, idat: bytes | None = None, extra=b""
) -> bytes:
    """A PNG whose header says ``width``×``height``; IDAT is a tiny stream unless given."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + extra
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def png_decompression_bomb(side: int = 30_000) -> bytes:
    """A real 1-bit ``side``² PNG of zeros: ~100 kB on disk, ~900 million pixels."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * 1000) for _ in range(side // 1000)]
    parts.append(compressor.flush())
    return png(side, side, depth=1, idat=b"".join(parts))


def gif_header_bomb(width=65535, height=65535) -> bytes:
    buffer = BytesIO()
    PIL.Image.new("P", (4, 4)).save(buffer, "GIF")
    data = bytearray(buffer.getvalue())
    data[6:10] = struct.pack("<HH", width, height)  # logical screen
    # and the first image descriptor
    at = data.index(b"\x2c")
    data[at + 5 : at + 9] = struct.pack("<HH", width, height)
    return bytes(data)


def gif_animation_bomb(frames=400, side=400) -> bytes:
    images = [PIL.Image.new("L", (side, side), (i % 2) * 255) for i in range(frames)]
    buffer = BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=10)
    return buffer.getvalue()


def webp_canvas_bomb() -> bytes:
    """A WebP whose extended header (VP8X) declares a 16384×16384 canvas."""
    buffer = BytesIO()
    PIL.Image.new("RGB", (4, 4), "red").save(buffer, "WEBP", exif=b"Exif\x00\x00MM\x00*")
    data = bytearray(buffer.getvalue())
    at = data.index(b"VP8X")
    data[at + 12 : at + 15] = (16383).to_bytes(3, "little")
    data[at + 15 : at + 18] = (16383).to_bytes(3, "little")
    return bytes(data)


def jpeg(mode="RGB", size=(64, 48), **save) -> bytes:
    buffer = BytesIO()
    PIL.Image.new(mode, size, "navy" if mode == "RGB" else 80).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def jpeg_with_sof(width=65500, height=65500) -> bytes:
    data = bytearray(jpeg())
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_with_app1(payload: bytes) -> bytes:
    data = jpeg()
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def pil_png(mode, size=(32, 32), colour=0, **save) -> bytes:
    buffer = BytesIO()
    PIL.Image.new(mode, size, colour).save(buffer, "PNG", **save)
    return buffer.getvalue()


SVG_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php system($_GET['c']); ?>"


def corpus() -> list[tuple[str, str, str, bytes]]:
    good = jpeg()
    items = [
        # pixel bombs: huge declared sizes in small files
        ("pixel bomb", "PNG 100000×100000 header", "bomb.png", png(100_000, 100_000)),
        ("pixel bomb", "PNG 2^31-1 wide", "wide.png", png(2**31 - 1, 1)),
        ("pixel bomb", "PNG 7000×7000 (49 MP)", "big.png", png(7000, 7000)),
        ("pixel bomb", "GIF 65535×65535", "bomb.gif", gif_header_bomb()),
        ("pixel bomb", "WebP canvas 16384²", "bomb.webp", webp_canvas_bomb()),
        ("pixel bomb", "JPEG SOF 65500×65500", "bomb.jpg", jpeg_with_sof()),
        ("decompression bomb", "PNG 30000² of zeros", "zeros.png", png_decompression_bomb()),
        ("animated bomb", "GIF 400 frames of 400²", "anim.gif", gif_animation_bomb()),
        ("animated bomb", "GIF 1000 frames of 64²", "many.gif", gif_animation_bomb(1000, 64)),
        # not images, or images that carry something else
        ("script/markup", "SVG with script", "x.svg", SVG_SCRIPT),
        ("script/markup", "SVG named .png", "x.png", SVG_SCRIPT),
        ("script/markup", "HTML named .jpg", "page.jpg", HTML),
        ("script/markup", "PHP named .jpg", "shell.jpg", PHP),
        ("script/markup", "PHP named .php.jpg", "shell.php.jpg", PHP),
        ("polyglot", "GIF89a + HTML", "poly.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + HTML),
        ("polyglot", "valid JPEG + HTML tail", "tail.jpg", good + HTML),
        (
            "polyglot",
            "PNG with HTML in tEXt",
            "text.png",
            png(8, 8, extra=_png_chunk(b"tEXt", b"c\x00" + HTML)),
        ),
        ("polyglot", "valid PNG + PHP tail", "tail.png", pil_png("RGB") + PHP),
        # broken files
        ("truncated/empty", "empty file", "empty.jpg", b""),
        ("truncated/empty", "one byte", "one.png", b"\x89"),
        ("truncated/empty", "JPEG cut in half", "half.jpg", good[: len(good) // 2]),
        ("truncated/empty", "PNG without IEND", "cut.png", pil_png("RGB")[:-20]),
        ("truncated/empty", "PNG header only", "head.png", b"\x89PNG\r\n\x1a\n"),
        ("truncated/empty", "PNG zero width", "zero.png", png(0, 10)),
        (
            "truncated/empty",
            "PNG bad CRC",
            "crc.png",
            pil_png("RGB")[:30] + b"\x00\x00" + pil_png("RGB")[32:],
        ),
        ("truncated/empty", "random bytes .webp", "noise.webp", bytes(range(256)) * 8),
        # unusual but valid
        ("odd formats", "CMYK JPEG", "cmyk.jpg", jpeg("CMYK")),
        ("odd formats", "16-bit grey PNG", "i16.png", pil_png("I;16", colour=40000)),
        ("odd formats", "16-bit RGB PNG header", "rgb16.png", png(16, 16, depth=16, colour=2)),
        ("odd formats", "1-bit PNG", "one-bit.png", pil_png("1", colour=1)),
        ("odd formats", "LA PNG", "la.png", pil_png("LA", colour=(1, 2))),
        ("odd formats", "progressive JPEG", "prog.jpg", jpeg(progressive=True)),
        (
            "EXIF",
            "EXIF of 60 kB garbage",
            "exif.jpg",
            jpeg_with_app1(b"Exif\x00\x00" + bytes(60_000)),
        ),
        (
            "EXIF",
            "EXIF with bad IFD offsets",
            "ifd.jpg",
            jpeg_with_app1(b"Exif\x00\x00II*\x00\xff\xff\xff\x7f"),
        ),
        ("EXIF", "EXIF orientation 9", "orient.jpg", jpeg(exif=_orientation(9))),
        ("EXIF", "ICC profile garbage", "icc.jpg", jpeg(icc_profile=b"\x00" * 5000)),
        ("huge file", "16 MB over the limit", "huge.jpg", good + b"\x00" * (16 * 1024 * 1024)),
    ]
    # path tricks in the file name, each a valid small JPEG
    for label, filename in [
        ("../ traversal", "../../x.jpg"),
        ("..\\ traversal", "..\\..\\x.jpg"),
        ("absolute path", "/etc/passwd.jpg"),
        ("NUL in name", "x.jpg\x00.php"),
        ("very long name", "가" * 300 + ".jpg"),
        ("NFD Korean", unicodedata.normalize("NFD", "해오름사진.jpg")),
        ("Windows reserved CON", "CON.jpg"),
        ("Windows reserved aux", "aux.jpg"),
        ("double extension", "x.php.jpg"),
        ("dot file", ".htaccess.jpg"),
        ("percent-encoded traversal", "%2e%2e%2fx.jpg"),
        ("control characters", "x\r\n.jpg"),
        ("RTL override", "x\u202egpj.php.jpg"),
    ]:
        items.append(("path tricks", label, filename, good))
    return items


def _orientation(value: int) -> bytes:
    exif = PIL.Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()
