"""The evidence desk: pages captured as evidence (WARC, SHA-256, screenshot), an append-only
custody log with a hash chain, `verify`, exports for investigators, and imports of captures as
draft articles or facts-desk sources."""
