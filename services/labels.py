"""What officials read: state and form names in Vietnamese first, English beside them."""

from __future__ import annotations

STATE_LABELS: dict[str, tuple[str, str]] = {
    "draft": ("Dự thảo", "Draft"),
    "submitted": ("Đã gửi", "Submitted"),
    "cluster_voting": ("Đang bình xét tại Cụm", "Cluster vote open"),
    "cluster_approved": ("Cụm đã suy tôn", "Approved by the cluster"),
    "appraisal": ("Đang thẩm định", "Under appraisal"),
    "returned": ("Trả lại để bổ sung", "Returned for supplements"),
    "appraised": ("Đã thẩm định", "Appraised"),
    "council_voting": ("Hội đồng đang bỏ phiếu", "Council vote open"),
    "council_approved": ("Hội đồng đã thông qua", "Approved by the council"),
    "decided": ("Đã có quyết định", "Decided"),
    "rejected": ("Không được đề nghị", "Rejected"),
    "withdrawn": ("Đã rút", "Withdrawn"),
    "on_hold": ("Tạm dừng", "On hold"),
}


def state_label(state: str) -> dict[str, str]:
    vi, en = STATE_LABELS.get(state, (state, state))
    return {"vi": vi, "en": en}
