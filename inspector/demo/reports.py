"""Citizen reports of the demo (Hue-S app): mostly true, some false, some without a venue id."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from inspector.demo.files import write_workbook
from inspector.demo.violations import M_PER_DEG, Planted

SHEET = "Phản ánh"
HEADERS = ["Mã phản ánh", "Thời gian", "Mã cơ sở", "Vĩ độ", "Kinh độ", "Loại vi phạm", "Nội dung"]
#: Report kind a citizen would choose for each planted violation.
LABELS = {
    "no_board": "Không có mã QR",
    "unscannable": "Mã QR không quét được",
    "staff_not_scanning": "Không yêu cầu khách quét mã",
    "low_participation": "Không yêu cầu khách quét mã",
    "wrong_location": "Sai vị trí",
    "outside_declared_ward": "Sai vị trí",
    "cloned_board": "Khác",
}
_TEXTS = {
    "Không có mã QR": ("Cơ sở không niêm yết mã QR tại cửa ra vào.",
                       "Không thấy bảng mã QR ở quầy, khách vào tự do."),
    "Mã QR không quét được": ("Quét mã QR báo lỗi, không check-in được.",
                              "Mã QR bị mờ, quét nhiều lần không được."),
    "Không yêu cầu khách quét mã": ("Nhân viên không yêu cầu khách quét mã khi vào.",
                                    "Khách ra vào đông nhưng không ai quét mã."),
    "Sai vị trí": ("Quét mã thì hiện địa chỉ ở nơi khác.", "Vị trí trên bản đồ không đúng với cơ sở."),
    "Khác": ("Mã QR dán ở đây giống hệt mã của một cơ sở ở nơi khác.",
             "Nghi mã QR bị sao chép, dùng chung với cơ sở khác."),
}
#: What citizens write of a place that trades without any QR board because it never registered
_UNREGISTERED_TEXTS = ("Quán nhậu mới mở ở đây không có bảng mã QR, khách vào tự do.",
                       "Tiệm tạp hóa đầu hẻm chưa đăng ký, không có mã QR để quét.",
                       "Quán cà phê vỉa hè không dán mã QR nào.",
                       "Cơ sở kinh doanh mới khai trương, không thấy mã QR ở đâu.")
#: Unregistered places lie this far from their nearest registered venue at least (no report there finds one)
UNREGISTERED_CLEAR_M = 120.0
_FALSE_KINDS = ("Không có mã QR", "Mã QR không quét được", "Không yêu cầu khách quét mã", "Sai vị trí", "Khác")
_FALSE_WEIGHTS = (0.2, 0.15, 0.4, 0.1, 0.15)


def make_reports(rng: np.random.Generator, venues: pd.DataFrame, planted: Planted, start: datetime.date,
                 days: int, params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw the citizen reports.

    Parameters
    ----------
    rng
        Random generator.
    venues
        Venue table.
    planted
        The planted violations (true reports follow them, after their from_date).
    start, days
        The period.
    params
        The ``[reports]`` table of ``resources/demo.toml``.

    Returns
    -------
    reports, false_truth
        The reports in the file's column order, and ``truth.csv`` rows for the false reports.
    """
    violating = np.flatnonzero(planted.kind != "")
    reported = violating[rng.random(len(violating)) < params["report_share"]]
    true_venue = np.repeat(reported, 1 + rng.poisson(0.5, len(reported)))
    compliant = np.flatnonzero((planted.kind == "") & venues["active"].to_numpy(bool))
    share = params["false_share"]
    n_false = min(len(compliant), int(round(len(true_venue) * share / (1 - share))))
    false_venue = np.sort(rng.choice(compliant, n_false, replace=False)) if n_false else np.zeros(0, int)
    venue = np.concatenate([true_venue, false_venue])
    is_false = np.arange(len(venue)) >= len(true_venue)
    kind = np.concatenate([[LABELS[k] for k in planted.kind[true_venue]],
                           rng.choice(_FALSE_KINDS, n_false, p=_FALSE_WEIGHTS)]).astype(object)
    first = np.where(is_false, 0, planted.from_day[venue])
    day = first + (rng.random(len(venue)) * (days - first)).astype(np.int64)
    lo, hi = params["hours"]
    minute = day * 1440 + rng.integers(lo * 60, hi * 60, len(venue))
    order = np.lexsort((venue, minute))
    venue, kind, minute, is_false = venue[order], kind[order], minute[order], is_false[order]

    n = len(venue)
    ids = np.array([f"PA{i + 1:06d}" for i in range(n)], dtype=object)
    stamps = np.datetime64(start, "m") + minute.astype("timedelta64[m]")
    with_id = rng.random(n) < params["with_venue_id"]
    radius = 30 * np.sqrt(rng.random(n))
    bearing = rng.uniform(0, 2 * np.pi, n)
    lat = venues["lat"].to_numpy(float)[venue] + radius * np.cos(bearing) / M_PER_DEG
    lon = venues["lon"].to_numpy(float)[venue] + radius * np.sin(bearing) / (
        M_PER_DEG * np.cos(np.deg2rad(lat)))
    pick = rng.integers(0, 2, n)
    text = [_TEXTS[k][p] for k, p in zip(kind, pick, strict=True)]
    names = venues["name"].to_numpy(object)[venue]
    address = venues["address"].to_numpy(object)[venue]
    text = [t if w else f"{nm} ({ad}): {t}" for t, w, nm, ad in zip(text, with_id, names, address, strict=True)]
    vids = venues["venue_id"].to_numpy(object)[venue]
    reports = pd.DataFrame({
        HEADERS[0]: ids,
        HEADERS[1]: pd.DatetimeIndex(stamps).strftime("%d/%m/%Y %H:%M"),
        HEADERS[2]: np.where(with_id, vids, ""),
        HEADERS[3]: np.where(with_id, np.nan, np.round(lat, 6)),
        HEADERS[4]: np.where(with_id, np.nan, np.round(lon, 6)),
        HEADERS[5]: kind,
        HEADERS[6]: text,
    })
    false_truth = pd.DataFrame({
        "venue_id": vids[is_false], "kind": "false_report",
        "from_date": pd.DatetimeIndex(stamps[is_false]).strftime("%Y-%m-%d"), "detail": ids[is_false],
    })
    unregistered, unregistered_truth = _unregistered(rng, venues, start, days, params, first_id=n + 1)
    return pd.concat([reports, unregistered], ignore_index=True), pd.concat([false_truth, unregistered_truth],
                                                                            ignore_index=True)


def _unregistered(rng: np.random.Generator, venues: pd.DataFrame, start: datetime.date, days: int,
                  params: dict[str, Any], first_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reports of places that trade with no QR board because they never registered (drawn last, after the rest).

    Each lies 150-400 m from an active venue and at least :data:`UNREGISTERED_CLEAR_M` from every
    registered one, with a position and no venue id, so no venue is found for it: the map shows
    these as citizen reports without a venue. ``truth.csv`` lists them as ``unregistered_venue``
    (no venue id; the report's id and position in ``detail``).
    """
    active = np.flatnonzero(venues["active"].to_numpy(bool))
    # a province of a few venues (a test's) gets none
    wanted = max(2, round(len(active) * params["unregistered_per_1000_venues"] / 1000)) if len(active) >= 100 else 0
    lat_all, lon_all = venues["lat"].to_numpy(float), venues["lon"].to_numpy(float)
    tree = shapely.STRtree(shapely.points(lon_all, lat_all))
    rows: list[tuple[float, float]] = []
    for anchor in rng.choice(active, min(len(active), 4 * wanted), replace=False) if wanted else []:
        metres, bearing = rng.uniform(150, 400), rng.uniform(0, 2 * np.pi)
        lat = lat_all[anchor] + metres * np.cos(bearing) / M_PER_DEG
        lon = lon_all[anchor] + metres * np.sin(bearing) / (M_PER_DEG * np.cos(np.deg2rad(lat)))
        clear = UNREGISTERED_CLEAR_M / (M_PER_DEG * np.cos(np.deg2rad(lat)))  # degrees, the longer way
        if not len(tree.query(shapely.Point(lon, lat), predicate="dwithin", distance=clear)):
            rows.append((round(lat, 6), round(lon, 6)))
        if len(rows) == wanted:
            break
    n = len(rows)
    lo, hi = params["hours"]
    minute = rng.integers(0, days, n) * 1440 + rng.integers(lo * 60, hi * 60, n)
    stamps = pd.DatetimeIndex(np.datetime64(start, "m") + minute.astype("timedelta64[m]"))
    ids = [f"PA{first_id + i:06d}" for i in range(n)]
    lat = np.array([r[0] for r in rows], dtype=float)
    lon = np.array([r[1] for r in rows], dtype=float)
    reports = pd.DataFrame({
        HEADERS[0]: ids, HEADERS[1]: stamps.strftime("%d/%m/%Y %H:%M"), HEADERS[2]: "", HEADERS[3]: lat,
        HEADERS[4]: lon, HEADERS[5]: "Không có mã QR",
        HEADERS[6]: rng.choice(np.array(_UNREGISTERED_TEXTS, dtype=object), n),
    })
    truth = pd.DataFrame({
        "venue_id": "", "kind": "unregistered_venue", "from_date": stamps.strftime("%Y-%m-%d"),
        "detail": [f"report={i};lat={a:.6f};lon={b:.6f}" for i, a, b in zip(ids, lat, lon, strict=True)],
    })
    return reports, truth


def write_reports(reports: pd.DataFrame, path: Path) -> None:
    """Write ``reports.xlsx``: one sheet ``Phản ánh``, header row, one row per report."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in reports.itertuples(index=False):
        sheet.append([None if isinstance(v, float) and np.isnan(v) else (v if v != "" else None) for v in row])
    for letter, width in zip("ABCDEFG", (12, 18, 13, 12, 12, 28, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    write_workbook(workbook, path)
