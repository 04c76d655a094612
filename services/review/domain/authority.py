"""Who may decide: the authority comes from the kernel's one function
(`shared.authority.authority_for`, Art. 10 by date); this checks the approver against it."""

from __future__ import annotations

from services.review.domain.errors import NoAuthority, NotAllowed
from shared.authority import Authority

__all__ = ["Authority", "ensure_is_authority"]


def ensure_is_authority(jurisdiction: str | None, authority: Authority) -> None:
    if authority.code is None:
        raise NoAuthority(f"Không xác định được {authority.name} có thẩm quyền với đơn vị này.")
    if jurisdiction != authority.code:
        raise NotAllowed(
            f"Đơn vị này do {authority.name} ({authority.code}) công nhận; tài khoản của bạn "
            f"thuộc {jurisdiction}.",
            {"jurisdiction": [f"Cần người phê duyệt của {authority.code}."]},
        )
