"""The editor's source: from the textarea or an uploaded file, with the metadata fields
written into it (a filled field overrides the source, a blank one keeps it)."""
from __future__ import annotations

from flask_babel import gettext as _

from quizapp.services.template_source import set_top_level, top_level

MAX_UPLOAD_BYTES = 512 * 1024  # the validator refuses anything over 64 KB with a clear message


def uploaded_source(form) -> str | None:
    """The uploaded file's text when one was chosen, else the textarea; None (with a form
    error) for a file that is not UTF-8 text."""
    upload = form.upload.data
    if not upload or not getattr(upload, "filename", ""):
        return (form.source.data or "").replace("\r\n", "\n")
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        if len(raw) > MAX_UPLOAD_BYTES:
            raise ValueError
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except ValueError:
        form.upload.errors = [_("UTF-8 のテキストファイル（512 KB 以下）を選んでください。")]
        return None


def apply_metadata(source: str, form) -> str:
    if form.slug.data:
        source = set_top_level(source, "slug", form.slug.data.strip())
    if form.title_ja.data or form.title_en.data:
        current = top_level(source).get("title")
        current = current if isinstance(current, dict) else {}
        title = {"ja": form.title_ja.data or str(current.get("ja", "")),
                 "en": form.title_en.data or str(current.get("en", ""))}
        source = set_top_level(source, "title", title)
    if form.family.data:
        source = set_top_level(source, "family", form.family.data)
    if form.difficulty.data:
        source = set_top_level(source, "difficulty", int(form.difficulty.data))
    return source


def source_placeholders(source: str) -> dict:
    """The source's current metadata, shown as the fields' placeholders."""
    data = top_level(source)
    title = data.get("title") if isinstance(data.get("title"), dict) else {}
    return {"slug": data.get("slug"), "title_ja": title.get("ja"), "title_en": title.get("en"),
            "family": data.get("family"), "difficulty": data.get("difficulty")}
