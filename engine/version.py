"""The app's version, from the installed package metadata (one source: pyproject.toml)."""

from importlib import metadata

try:
    APP_VERSION = metadata.version("ftrag-advisor")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    APP_VERSION = "0.1.0"
