"""Small generated inputs for the bad-input and fuzz tests: tiny PDFs, zip bombs, encodings.

Everything is built in memory in milliseconds; nothing depends on ../shared.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

# A short report that passes the 年报 checks and states two figures.
REPORT_LINES = [
    "临江市2020年政府信息公开工作年度报告",
    "本报告统计期限自2020年1月1日起至2020年12月31日止。",
    "一、总体情况",
    "全市主动公开政府信息1200条。",
    "二、收到和处理政府信息公开申请情况",
    "全市共收到政府信息公开申请35件。",
    "三、政府信息公开行政复议、行政诉讼情况",
    "四、存在的主要问题及改进情况",
]
REPORT_TEXT = "\n".join(REPORT_LINES) + "\n"

# Standard security handler, revision 2 (40-bit RC4): the padding string of the PDF spec.
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_FILE_ID = bytes(range(16))
_PERMISSIONS = -4


def _rc4(key: bytes, data: bytes) -> bytes:
    state, j = list(range(256)), 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


class _Security:
    """RC4 encryption of one document's strings and streams (PDF 1.7, algorithms 1-4)."""

    def __init__(self, user_password: str, owner_password: str = "owner"):
        self.owner_hash = _rc4(hashlib.md5(_padded(owner_password)).digest()[:5], _padded(user_password))
        seed = _padded(user_password) + self.owner_hash + struct.pack("<i", _PERMISSIONS) + _FILE_ID
        self.key = hashlib.md5(seed).digest()[:5]
        self.user_hash = _rc4(self.key, _PAD)

    def encrypt(self, number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(self.key + struct.pack("<i", number)[:3] + b"\0\0").digest()[:10]
        return _rc4(object_key, data)

    def dictionary(self) -> bytes:
        return (b"<</Filter/Standard/V 1/R 2/O <" + self.owner_hash.hex().encode() + b">/U <"
                + self.user_hash.hex().encode() + b">/P " + str(_PERMISSIONS).encode() + b">>")


def _content(lines: list[str]) -> bytes:
    """A page content stream showing each line in the predefined Chinese font (UCS-2 codes)."""
    ops = [b"BT /F1 10 Tf 40 800 Td"]
    for line in lines:
        ops.append(b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj 0 -16 Td")
    ops.append(b"ET")
    return b"\n".join(ops)


def text_pdf(lines: list[str] = REPORT_LINES, user_password: str | None = None) -> bytes:
    """A one-page PDF with a real text layer; RC4-encrypted when a user password is given.

    The font is Adobe's predefined STSong-Light with the UniGB-UCS2-H CMap, which pdfminer
    maps back to Unicode without any embedded font program.
    """
    security = _Security(user_password) if user_password is not None else None

    def string(number: int, text: str) -> bytes:
        raw = text.encode()
        return b"<" + (security.encrypt(number, raw) if security else raw).hex().encode() + b">"

    stream = _content(lines)
    if security:
        stream = security.encrypt(4, stream)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>"
        b"/Contents 4 0 R>>",
        b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type0/BaseFont/STSong-Light/Encoding/UniGB-UCS2-H"
        b"/DescendantFonts[6 0 R]>>",
        b"<</Type/Font/Subtype/CIDFontType0/BaseFont/STSong-Light/CIDSystemInfo<</Registry "
        + string(6, "Adobe") + b"/Ordering " + string(6, "GB1") + b"/Supplement 4>>>>",
    ]
    if security:
        objects.append(security.dictionary())
    return _assemble(objects, encrypted=security is not None)


def _assemble(objects: list[bytes], encrypted: bool) -> bytes:
    """Objects numbered from 1, a correct xref table and trailer, ending in %%EOF."""
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"/Size {len(objects) + 1}/Root 1 0 R/ID[<{_FILE_ID.hex()}><{_FILE_ID.hex()}>]"
    if encrypted:
        trailer += f"/Encrypt {len(objects)} 0 R"
    out.write(f"trailer\n<<{trailer}>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


_FONT_OBJECTS = [
    b"<</Type/Font/Subtype/Type0/BaseFont/STSong-Light/Encoding/UniGB-UCS2-H/DescendantFonts[2 0 R]>>",
    b"<</Type/Font/Subtype/CIDFontType0/BaseFont/STSong-Light/CIDSystemInfo<</Registry(Adobe)"
    b"/Ordering(GB1)/Supplement 4>>>>",
]


def show(x: float, y: float, text: str, size: int = 10) -> bytes:
    """Content-stream operators that print `text` at (x, y) in the Chinese font."""
    return (f"BT /F1 {size} Tf {x} {y} Td <".encode() + text.encode("utf-16-be").hex().encode()
            + b"> Tj ET\n")


def pages_pdf(contents: list[bytes], shared: bool = False, flate: bool = False) -> bytes:
    """A PDF with one A4 page per content stream (or `len(contents)` pages of the first one when
    `shared`, so thousands of pages cost one stream); streams Flate-compressed when `flate`."""
    count = len(contents)
    streams = [zlib.compress(c, 9) if flate else c for c in (contents[:1] if shared else contents)]
    extra = b"/Filter/FlateDecode" if flate else b""
    first_stream = 3 + len(_FONT_OBJECTS) + count  # object numbers: catalog, pages, fonts, pages
    kids = " ".join(f"{4 + len(_FONT_OBJECTS) - 1 + i} 0 R" for i in range(count))
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", f"<</Type/Pages/Kids[{kids}]/Count {count}>>".encode()]
    objects += [obj.replace(b"2 0 R", b"4 0 R") for obj in _FONT_OBJECTS]
    for i in range(count):
        stream = first_stream + (0 if shared else i)
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 3 0 R>>>>"
                       f"/Contents {stream} 0 R>>".encode())
    objects += [b"<</Length " + str(len(s)).encode() + extra + b">>stream\n" + s + b"\nendstream"
                for s in streams]
    return _assemble(objects, encrypted=False)


def image_pdf() -> bytes:
    """A scanned-looking PDF: one page holding only an image (PIL's PDF writer)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 400), "white")
    ImageDraw.Draw(image).rectangle((40, 40, 260, 80), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PDF")
    return buffer.getvalue()


def zip_bomb_docx(unpacked_mb: int = 200) -> bytes:
    """A DOCX-shaped ZIP whose word/document.xml inflates to `unpacked_mb` MB of spaces.

    Written in chunks, so building it never holds the inflated part in memory.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return buffer.getvalue()


def mixed_encoding_text() -> bytes:
    """The report with its odd lines in UTF-8 and its even lines in GBK, as pasted files are."""
    return b"\n".join(line.encode("utf-8" if i % 2 else "gbk")
                      for i, line in enumerate(REPORT_LINES)) + b"\n"
