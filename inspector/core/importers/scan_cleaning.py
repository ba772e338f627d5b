"""Which cells of a scan log the Polars pass cleans before reading them (see :mod:`.scan_frame`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Cleaning:
    """Which cells are cleaned before they are read.

    Spaces around venue ids; person ids reduced to letters and digits (and hashed as text when not
    a number); spaces and decimal commas in coordinates. Cleaning costs time on ten million rows,
    so the main pass cleans only what a sample of the file shows is needed; the few rows it cannot
    read are read again with every cleaning.
    """

    venue: bool = True
    person: bool = True
    numbers: bool = True
    #: a numeric venue id not in the registry as written is looked up without its leading zeros
    #: (``000123`` finds ``123``); only when reading again, so that an id written as is wins
    zeros: bool = True
    #: a venue id (or QR payload) not in the registry as written is looked up ignoring case (``v901``
    #: finds ``V901``); in the main pass only when the sample's ids need it (a log that writes the
    #: registry's ids in another case), so that reading a log as the registry writes it costs nothing more
    case: bool = True

    #: Clean a field in the main pass when more than this share of the sample needs it.
    SHARE = 0.01

    @classmethod
    def fitted(cls, sample: pl.DataFrame, cols: dict[str, str], keys: pl.Series) -> Cleaning:
        """The cleanings a sample of the file needs (``keys``: the venue keys it is looked up in)."""
        def needs(column: str | None, readable: Callable[[pl.Series], pl.Series]) -> bool:
            if column is None:
                return False
            cells = sample[column].cast(pl.String).drop_nulls()
            cells = cells.filter(cells != "")
            return len(cells) > 0 and (~readable(cells)).sum() > cls.SHARE * len(cells)

        return cls(
            zeros=False,
            case=needs(cols["venue_id"], lambda c: c.is_in(keys.implode()) | ~c.str.to_lowercase().is_in(
                keys.str.to_lowercase().implode())),
            venue=needs(cols["venue_id"], lambda c: c == c.str.strip_chars()),
            person=needs(cols["person"], lambda c: c.str.to_integer(strict=False).is_not_null()),
            numbers=any(needs(cols.get(f), lambda c: c.cast(pl.Float64, strict=False).is_not_null())
                        for f in ("lat", "lon")),
        )
