"""``python -m pmo_analytics``: see ``pmo_analytics.cli``."""

import sys

from .cli import main

sys.exit(main())
