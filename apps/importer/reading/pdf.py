"""PDF with a text layer: the text of each page in reading order, page numbers dropped.

pdfplumber (on pdfminer.six) places every character by its position, so lines come out top
to bottom and left to right whatever order the producer wrote them in, and it knows the
Adobe CJK character maps that Chinese PDFs without embedded fonts rely on.
"""

from __future__ import annotations

import io
import re

from apps.importer.types import DocumentError

# A line that is only a page number: "— 2 —", "- 3 -", "第 2 页", "第2页 共10页", "2/10".
# (\d also matches full-width digits.)
DASH = r"[-‐‑–—―－~～一]"
PAGE_NUMBER = re.compile(
    rf"""^(?:
        {DASH}+\s*\d{{1,4}}\s*{DASH}+
      | 第\s*\d{{1,4}}\s*页(?:\s*[,，/／]?\s*共\s*\d{{1,4}}\s*页)?
      | 共\s*\d{{1,4}}\s*页\s*[,，/／]?\s*第\s*\d{{1,4}}\s*页
      | \d{{1,4}}\s*[/／]\s*\d{{1,4}}
      | page\s*\d{{1,4}}(?:\s*(?:of|/)\s*\d{{1,4}})?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A bare number is a page number only as the first or last line of its page.
BARE_NUMBER = re.compile(r"^\d{1,4}$")
# What pdfminer prints for a glyph it cannot map to a character.
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")


def pdf_text(data: bytes, name: str) -> str:
    # Imported here: pdfplumber is only needed for PDF files and is slow to import.
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    damaged = DocumentError(f"无法读取 PDF 文件，文件可能已损坏：{name}")
    encrypted = DocumentError(f"该 PDF 已加密，需要密码才能打开，请提供未加密的文件：{name}")
    pages: list[list[str]] = []
    unmapped = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                text = page.extract_text() or ""
                unmapped += len(UNMAPPED_GLYPH.findall(text))
                pages.append(_page_lines(UNMAPPED_GLYPH.sub("", text)))
                page.close()  # frees the page's parsed layout as we go
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise encrypted from None
        raise damaged from None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise encrypted from None
    except Exception:  # pdfminer raises many kinds of errors on damaged files
        raise damaged from None

    lines = [line for page in pages for line in page]
    if not any(line.strip() for line in lines):
        if unmapped:
            raise DocumentError(
                f"该 PDF 的文字无法提取（字体缺少编码信息），请提供 .docx 或 .txt 文件：{name}"
            )
        raise DocumentError(
            "该 PDF 没有可提取的文字（可能是扫描件），请提供含文字层的 PDF、.docx 或 .txt 文件："
            f"{name}"
        )
    return "\n".join(lines)


def _page_lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = {filled[0], filled[-1]} if filled else set()
    return [
        line
        for i, line in enumerate(lines)
        if not PAGE_NUMBER.match(line.strip())
        and not (i in edges and BARE_NUMBER.match(line.strip()))
    ]
