"""QR Compliance Inspector: enforce a QR-code check-in mandate with maps, signals and field checks."""

__version__ = "0.1.0"
