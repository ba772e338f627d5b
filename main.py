"""QR Compliance Inspector: without arguments opens the window; `python main.py --help` lists commands."""

from inspector.cli import run

if __name__ == "__main__":
    run()
