"""The wire monitor: agency feeds polled into wire briefs (see models.py, monitor.py, cli.py)."""
