"""Small helpers for the app's outgoing HTTP (evidence capture, wire monitor)."""


def error_reason(exc):
    """The innermost, most readable reason of a requests/urllib3 error (e.g. "Connection refused"),
    for one-line messages."""
    inner = exc
    while inner.__context__ is not None or getattr(inner, "reason", None) is not None:
        nxt = getattr(inner, "reason", None) or inner.__context__
        if nxt is inner or not isinstance(nxt, BaseException):
            break
        inner = nxt
    text = getattr(inner, "strerror", None) or str(inner) or type(inner).__name__
    return " ".join(str(text).split())[:200]
