"""Sharing the registry: data packages, figures, briefs and the static site."""
