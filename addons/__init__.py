"""Kehu's built-in addons; each sub-package is one addon."""
