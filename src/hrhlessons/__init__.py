"""HRH Lessons: a cited registry of health-workforce innovations and what they teach."""

__version__ = "0.1.0"
