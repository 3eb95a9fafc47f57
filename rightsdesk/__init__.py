"""rightsdesk: the newsroom and evidence desk of a human-rights monitoring organisation."""

__version__ = "0.1.0"
