"""The ``hrh-lessons`` command line: thin commands over the library.

Each module of this package registers its commands on :data:`app`. A command parses its options,
calls one library function and formats the result; user-facing errors are made here, at the
edge, and bad input exits with code 2.
"""

from __future__ import annotations

from hrhlessons.cli.app import app, main

__all__ = ["app", "main"]
