"""The production settings, with the reference view that scripts/benchmark.py compares every page with."""

from .settings import *  # noqa: F403

ROOT_URLCONF = "factcheck.benchmark_urls"
