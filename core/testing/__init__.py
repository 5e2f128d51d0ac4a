"""Helpers for testing Kehu and its addons (also for integrators' test suites)."""
