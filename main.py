"""Run tiki-gui from a source checkout: ``python main.py [--sandbox]``."""

from tiki_gui.launcher import run

if __name__ == "__main__":
    run()
