"""Errors the ledger raises for bad input; the CLI turns each into one line."""


class LedgerError(Exception):
    """Base class: a problem with the user's input or database, not a bug.

    The message says what is wrong in the library's own terms. ``hint`` names
    a next step (a key of ``ledger.report.hints.HINTS``, with ``hint_args``)
    that a front end words in its own commands; the library never names them.
    """

    def __init__(self, message: str = "", *, hint: str | None = None, **hint_args: str):
        super().__init__(message)
        self.hint = hint
        self.hint_args = hint_args


class InvalidDate(LedgerError, ValueError):
    """A stated date that is not a real date."""


class InvalidClaimFile(LedgerError):
    """A claim file that cannot be imported; the message names file, record and field."""


class HostileText(LedgerError):
    """Text holding control or bidirectional characters that may not be stored (``ledger.core.safe_text``)."""


class UnknownSource(LedgerError):
    """A claim names a source key that is neither in its file nor in the ledger."""


class QuoteNotFound(LedgerError):
    """A claim's quote does not occur in its source's text."""


class DatabaseError(LedgerError):
    """The database cannot be used as it is (not at head, locked, corrupt, ...)."""


class ReadOnlyViolation(LedgerError):
    """A statement given to ``ledger sql`` would write."""


class NotFound(LedgerError):
    """A claim, conflict, entity or attribute named on the command line does not exist."""


class StrictRefusal(LedgerError):
    """A strict import refused what a lenient one records with a warning."""


class UnreadValues(StrictRefusal):
    """A strict import met values or times the parser cannot read (they would be kept as stated)."""


class InvalidTolerance(LedgerError, ValueError):
    """A tolerance that does not fit its attribute's kind ("5%" for a date)."""
class QueryTimedOut(LedgerError):
    """A ``ledger sql`` query ran past its time limit and was stopped."""


class CannotWrite(LedgerError):
    """An output file (an export) cannot be written where it was asked for."""


class InvalidName(LedgerError, ValueError):
    """A name that is blank or mixes look-alike scripts in one word ("B\u0430rkhane" with a Cyrillic a)."""


class NearNames(StrictRefusal):
    """A strict import met a new subject or attribute close to one the ledger knows."""
