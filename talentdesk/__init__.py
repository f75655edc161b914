"""talentdesk: desktop program of a one-stop talent-service centre."""

__version__ = "0.1.0"
