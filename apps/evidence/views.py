"""Downloads of 台账 files: only through here, only within the user's scope (another
unit's file answers 404, as a missing one does). The storage is never served directly."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from apps.evidence.filetypes import CONTENT_TYPES, Kind
from apps.evidence.selectors import evidence_for_user


def _open(field):
    try:
        return field.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件不存在。") from exc


class EvidenceDownloadView(View):
    def get(self, request, pk):
        evidence = get_object_or_404(evidence_for_user(request.user), pk=pk)
        # Images open in the browser (a phone shows the photo); documents download. The
        # type is the one checked from the content, and nosniff holds the browser to it.
        return FileResponse(
            _open(evidence.file),
            as_attachment=not evidence.is_image,
            filename=evidence.original_name,
            content_type=CONTENT_TYPES[Kind(evidence.kind)],
        )


class EvidenceThumbnailView(View):
    def get(self, request, pk):
        evidence = get_object_or_404(evidence_for_user(request.user), pk=pk)
        if not evidence.thumbnail:
            raise Http404("该附件没有缩略图。")
        response = FileResponse(_open(evidence.thumbnail), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=86400"
        return response
