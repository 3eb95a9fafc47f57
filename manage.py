#!/usr/bin/env python
"""Django's manage.py; `rightsdesk manage ...` does the same from anywhere."""

import sys

from rightsdesk.cli import main

if __name__ == "__main__":
    sys.exit(main(["manage", *sys.argv[1:]]))
