"""The frozen bundle's entry script: both executables start here (see packaging/tiki-gui.spec)."""

from tiki_gui.launcher import run

if __name__ == "__main__":
    run()
