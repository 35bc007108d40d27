"""Exceptions raised for the library's GK_E* status codes (core.h).

    GapkitError          every failure of a gapkit call; .code and .message
    ├── UsageError       GK_EARG: an argument out of its documented range (also ValueError)
    ├── InputError       GK_EIO, GK_EFORMAT, GK_ESHAPE, GK_ENUMERIC: the data (also ValueError)
    └── InternalError    GK_ENOMEM, GK_EBLAS, GK_EINTERNAL (also RuntimeError)

The message is gk_last_error() of the failing call, e.g. "comet fit: T has
100 rows but A has 99".
"""
from ._ffi import lib

ENOMEM, EIO, EFORMAT, ESHAPE, EARG, EBLAS, ENUMERIC, EINTERNAL = range(1, 9)
CODE_NAMES = {ENOMEM: "GK_ENOMEM", EIO: "GK_EIO", EFORMAT: "GK_EFORMAT", ESHAPE: "GK_ESHAPE",
              EARG: "GK_EARG", EBLAS: "GK_EBLAS", ENUMERIC: "GK_ENUMERIC",
              EINTERNAL: "GK_EINTERNAL"}


class GapkitError(Exception):
    """A gapkit call failed: code is the GK_E* status, message the library's text."""

    def __init__(self, code, message):
        super().__init__(f"{message} [{CODE_NAMES.get(code, code)}]")
        self.code = code
        self.message = message


class UsageError(GapkitError, ValueError):
    """GK_EARG: an argument is out of its documented range."""


class InputError(GapkitError, ValueError):
    """GK_EIO, GK_EFORMAT, GK_ESHAPE, GK_ENUMERIC: the input cannot be used."""


class InternalError(GapkitError, RuntimeError):
    """GK_ENOMEM, GK_EBLAS, GK_EINTERNAL: out of memory, LAPACK failure or a bug."""


def error_class(code):
    """The exception class of a GK_E* code."""
    if code == EARG:
        return UsageError
    if code in (EIO, EFORMAT, ESHAPE, ENUMERIC):
        return InputError
    return InternalError


def check(code):
    """Raises the exception of a non-zero status, with gk_last_error()'s text."""
    if code:
        msg = lib.last_error() or lib.strerror(code)
        raise error_class(code)(code, msg.decode("utf-8", "replace"))


def usage(message):
    """A UsageError raised by the package itself (a bad Python argument)."""
    return UsageError(EARG, message)
