"""``python -m tiki_gui``: the same as the ``tiki-gui`` command."""

from tiki_gui.launcher import run

if __name__ == "__main__":
    run()
