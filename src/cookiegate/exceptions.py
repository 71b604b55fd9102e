"""The one error root of cookiegate, as in itsdangerous.

Everything cookiegate raises on purpose derives from :class:`CookieGateError`, so a
site can catch one class. Visitor input never raises: a bad cookie or form is "no
consent" or a 4xx page, decided where the input is read.
"""

from __future__ import annotations


class CookieGateError(Exception):
    """Base class of every error cookiegate raises on purpose."""


class ConfigError(CookieGateError):
    """The configuration is wrong; raised at start-up, never per request.

    The message reads ``source:line: key.path: problem (fix)`` so an editor or a CI log
    points at the exact place. ``errors`` holds every problem found, not only the first,
    so one run of ``cookiegate check`` shows them all.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str = "<config>",
        line: int | None = None,
        path: str = "",
        errors: tuple[ConfigError, ...] = (),
    ) -> None:
        self.reason = reason
        self.source = source
        self.line = line
        self.path = path
        self.errors: tuple[ConfigError, ...] = errors or (self,)
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.errors) > 1 or self.errors[0] is not self:
            return "\n".join(e.single_line() for e in self.errors)
        return self.single_line()

    def single_line(self) -> str:
        """One ``file:line: key.path: reason`` line."""
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.path}: {self.reason}" if self.path else f"{where}: {self.reason}"


class SecretKeyError(CookieGateError):
    """No secret key was given, or one that cannot sign."""
