"""PyInstaller entry point of the frozen app: the same ``ftrag`` command as the console script
(sub-commands run the engine's CLI without Qt; anything else starts the desktop app)."""

import multiprocessing
import sys

from gui.launcher import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op unless something ever spawns a child process
    sys.exit(main())
