"""The one base class of every problem a user can act on.

A :class:`UserError` carries a Danish message meant for the person who clicked the button or
typed the command: ``str(error)`` is what they read. Every adapter — the command line, the
Excel buttons (RunPython, xlwings Lite, xlwings Server) and the server's pages — catches this
one class and shows the message; anything else is a bug and is reported as one.

Subclasses say *what* went wrong (a locked master, an unreadable register, a template with a
broken tag, …) so code can react to the kind; none of them is needed to show the message.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; ``str()`` is the Danish message shown to them."""
