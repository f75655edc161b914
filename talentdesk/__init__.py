"""talentdesk: desktop program of a one-stop talent-service centre."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("talentdesk")
except PackageNotFoundError:  # a frozen build without metadata
    __version__ = "0.1.0"
