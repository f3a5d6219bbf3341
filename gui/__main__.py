"""``python -m gui``: the same as the ``ftrag`` command."""

from gui.launcher import main

raise SystemExit(main())
