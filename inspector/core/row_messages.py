"""The messages of rows: why a row of a file was rejected, or kept with a warning (see :mod:`.messages`)."""

from __future__ import annotations

from inspector.core.i18n import N_

#: Message code -> English text, as :data:`inspector.core.messages.MESSAGES` holds them with the rest.
ROW_MESSAGES: dict[str, str] = {
    # rejected rows
    "missing_value": N_("{field} is empty"),
    "duplicate_id": N_("duplicate id “{value}”, first seen at {unit} {first}"),
    "invalid_number": N_("{field}: “{value}” is not a number"),
    "half_position": N_("{field}: “{value}” is not a latitude and a longitude; write both, such as "
                        "16.4637, 107.5909"),
    "invalid_coordinate": N_(
        "{field}: “{value}” is not a coordinate; write decimal degrees such as 16.4637 or 107.5909 "
        "(degrees, minutes and seconds such as 16°27′49″N are read too)"
    ),
    "negative_number": N_("{field}: “{value}” is negative"),
    "coordinate_out_of_range": N_("{field}: {value} is outside the valid range"),
    "missing_coordinates": N_("no coordinates (empty or 0, 0)"),
    "coordinates_swapped": N_(
        "latitude and longitude look swapped ({value}); exchange them in the file, or import it from the "
        "command line with --fix-swapped"
    ),
    "invalid_timestamp": N_("{field}: “{value}” is not a date and time in a known format"),
    "timestamp_impossible": N_("{field}: “{value}” is no real day (dates are read day first: DD/MM/YYYY)"),
    "time_without_date": N_("{field}: “{value}” is a time of day without a date"),
    "implausible_timestamp": N_("{field}: “{value}” lies outside the years 2000–2099; check its year"),
    "invalid_date": N_("{field}: “{value}” is not a date in a known format"),
    "unknown_venue": N_("venue “{value}” is not in the registry"),
    "phone_as_venue": N_("the venue column holds a phone number (not shown); are the columns swapped?"),
    "invalid_geometry": N_("the geometry is missing, empty or not a polygon"),
    "duplicate_code": N_("duplicate unit code “{value}”, first seen at {unit} {first}"),
    "below_table": N_("below the table: a total, a note or a signature, not a data row"),
    "bad_csv_row": N_(
        "the line has {cells} cells but the header has {columns} columns; is a separator inside a cell that "
        "is not in quotes?"
    ),
    "other_level": N_("a unit of level “{value}”, not of the level being imported"),
    "not_a_point": N_("the geometry is a {value}, not a point"),
    # warnings (counted per import)
    "unknown_category": N_("category not recognised, imported as “other”"),
    "unknown_status": N_("status not recognised, imported as “active”"),
    "staff_not_read": N_("staff not a whole number of people (a range, a decimal, a word or a negative number): "
                         "left empty"),
    "capacity_not_read": N_("capacity not a whole number of people (a range, a decimal, a word or a negative "
                            "number): left empty"),
    "date_not_read": N_("registration date not a date in a known format (write it as 31/07/2021): left empty"),
    "date_impossible": N_("registration date “{value}” is no real day (dates are read day first: DD/MM/YYYY): "
                          "left empty"),
    "date_without_day": N_("registration date gives a month or a year but no day: left empty"),
    "date_in_future": N_("registration date “{value}” is later than today: kept, check it"),
    "text_cut": N_("{field} has {length} characters: kept the first {limit}, followed by “…”"),
    "id_as_registered": N_("venue id written as a registered venue's but for upper and lower case or leading zeros: "
                           "imported as that venue, under the id it is registered with"),
    "id_like_another": N_("venue id written as another venue's but for upper and lower case or leading zeros: "
                          "imported as a venue of its own; check that they are not one venue"),
    "unknown_ward": N_("declared ward not found among the administrative units"),
    "ambiguous_ward": N_("declared ward name matches several wards; give its code or district"),
    "outside_declared": N_("registered point lies outside the declared ward"),
    "overlap": N_("registered point lies where two ward polygons overlap"),
    "gap": N_("registered point lies in a gap between ward polygons"),
    "outside_province": N_("registered point lies outside the province"),
    "no_boundaries": N_("no administrative units imported yet; wards not assigned"),
    "swapped_fixed": N_("swapped latitude/longitude corrected"),
    "geometry_repaired": N_("invalid polygon repaired"),
    "population_kept": N_("units without a population in this file kept the one the workspace had"),
    "parent_derived": N_("parent unit created from its children (no boundary of its own yet)"),
    "parent_from_map": N_("units without a parent code were linked, by the map, to the unit of the level above "
                          "that holds most of their area"),
    "parent_not_found": N_("units without a parent code lie outside every unit of the level above, so they have "
                           "no parent unit: are the files of the same province?"),
    "parent_pending": N_("units without a parent code, and the workspace has no unit of the level above yet: "
                         "import those boundaries too, and the map will link these units to them"),
    "venues_relocated": N_("venues re-assigned to wards after the boundary change"),
    "reports_linked": N_("citizen reports stored without a venue now linked to a registered venue (by the venue id "
                         "or QR code they gave, by their position, or by the venue's name or address they gave)"),
    "reports_linked_by_address": N_("of the citizen reports now linked: by their address alone (the one venue "
                                    "registered there)"),
    "reports_linked_by_address_partial": N_("of the citizen reports now linked: by part of their address alone (the "
                                            "house number and street of the one venue whose address begins so)"),
    "reports_linked_by_name_variant": N_("of the citizen reports now linked: by the venue's name written "
                                         "differently (an abbreviation, or without its category word)"),
    "encoding_guessed": N_("Shapefile without a .cpg file: its text was read as Windows-1258 (Vietnamese); add a "
                           ".cpg file saying its encoding if names look wrong"),
    "datum_unknown": N_("the file's coordinate system has a datum whose shift to WGS 84 is not known, so the "
                        "units may be off by a few hundred metres; save the file in WGS 84 or with "
                        "TOWGS84 parameters (VN-2000: for example EPSG:3405)"),
    "outside_parent": N_("units lie mostly outside their parent unit's polygon: are the files from the same "
                         "year's layout?"),
    "overlaps_other_units": N_("units lie on units of the same level already in the workspace under other codes "
                               "(an older or newer layout?); venues there fall in two units"),
    "province_added": N_("provinces added next to the workspace's province"),
    "report_unmatched": N_("report not matched to a registered venue"),
    # the venue is the row's own: in a summary, that of the first row ("2 × …, here “X”: … (first at line 5)")
    "report_name_variant": N_("report linked to a venue whose name it writes differently (an abbreviation, or "
                              "without its category word), here “{name}” ({venue}): check it"),
    "report_by_address": N_("report giving only an address linked to the one venue registered there, here “{name}” "
                            "({venue}): check it"),
    "report_by_address_partial": N_("report giving only part of an address (the house number and street) linked "
                                    "to the one venue whose address begins so, here “{name}” ({venue}) at "
                                    "“{address}”: check it"),
    "time_of_day_unread": N_("time of day not read (write it as 14:30, 14h30 or 2:30 CH); the report is kept at "
                             "its date, 00:00"),
    "report_unknown_venue": N_("report names a venue id that is not registered; the id is kept as given"),
    "report_unknown_unit": N_("{field}: “{value}” is none of the workspace's wards or districts, nor in a venue's "
                              "address (check its spelling): the report is linked by its name or address to no venue"),
    "gps_dropped": N_("device position out of range; scan kept without position"),
    "gps_not_read": N_("device position not a number; scan kept without position"),
    "gps_half": N_("device position with a latitude or a longitude but not both; scan kept without position"),
    "gps_zero": N_("device position 0, 0 (the phone had no fix); scan kept without position"),
    "scan_id_as_registered": N_("scan's venue id written as a registered venue's but for upper and lower case or "
                                "leading zeros: counted for that venue"),
    "days_replaced": N_("venue-days already in the workspace were replaced by this file"),
    "days_continued": N_("days continued by this file (its scans of the day come after or before those already "
                         "imported, as when one log is cut into parts): the figures were added together, so a "
                         "person who scanned a venue in both parts counts twice among its people of the day"),
    "days_partly_replaced": N_("days where this file's hours overlap only part of a file imported before: the day's "
                               "figures are now this file's, and the earlier file's scans outside its hours are no "
                               "longer counted; import each day's complete log"),
    "matching_not_kept": N_("the columns chosen could not be kept in the workspace (it was busy or could not be "
                            "written); the rows are imported, and a file like it will ask for its columns again"),
    "days_shrunk": N_("days on which this file's venues now have fewer scans than before it: a file whose scans of a "
                      "day overlap in time those already imported replaces its venues' figures of that day, so import "
                      "complete days"),
}
