"""Documents the contract's error answers of an operation in its OpenAPI entry."""

from services.registration.entrypoints.schemas import ErrorOut

WHY = {
    400: "Malformed request",
    401: "No valid bearer token",
    403: "Wrong role, or outside the caller's unit/jurisdiction",
    404: "Unknown unit, campaign or document",
    409: "Out of order, already done, or a stale expected_version",
    413: "File larger than ANTT_MAX_UPLOAD_BYTES; nothing stored",
    422: "Breaks a rule; `errors` names the fields",
}


def refusals(blp, *codes: int):
    """Decorator: one alt_response per error code, all with the contract's error body."""

    def wrap(view):
        for code in (401, 403, *codes):
            view = blp.alt_response(code, schema=ErrorOut, description=WHY[code])(view)
        return view

    return wrap
