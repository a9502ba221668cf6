"""Adapting lessons to a country: transferability, readiness gaps, workforce projection, pilots.

Every module here is pure (no I/O, no printing): typed parameters in, immutable results out.
"""
