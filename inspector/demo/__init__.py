"""The synthetic demo province generator, with planted and labelled violations."""

from inspector.demo.generate import DemoFiles, generate

__all__ = ["DemoFiles", "generate"]
