"""``python -m paymodel``: the command line."""

from paymodel.cli import main

raise SystemExit(main())
