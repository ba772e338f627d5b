"""Fictional but plausible Vietnamese names: units, streets, venues, phone numbers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_FIRST = (
    "Phú", "Hương", "An", "Thủy", "Vinh", "Xuân", "Quảng", "Phong", "Lộc", "Hòa", "Thuận", "Tân",
    "Long", "Mỹ", "Bình", "Phước", "Điền", "Hải", "Thanh", "Kim", "Gia", "Đông", "Tây", "Trường",
    "Hồng", "Vĩnh", "Thượng", "Lăng", "Minh", "Phúc", "Quang", "Sơn", "Thịnh", "Đức", "Hưng", "Triều",
)
_SECOND = (
    "An", "Hòa", "Lộc", "Thủy", "Xuân", "Vinh", "Phong", "Sơn", "Hải", "Mỹ", "Bình", "Thuận", "Hưng",
    "Thịnh", "Phú", "Tân", "Lợi", "Điền", "Giang", "Hiền", "Thanh", "Đông", "Tây", "Trung", "Long",
    "Khê", "Hội", "Ninh", "Thọ", "Lâm", "Cát", "Hậu", "Dương", "Hà", "Vân", "Trạch", "Mậu", "Phước",
)
STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Hùng Vương", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt",
    "Điện Biên Phủ", "Phan Đình Phùng", "Bà Triệu", "Nguyễn Trãi", "Lê Duẩn", "Trần Phú",
    "Phan Chu Trinh", "Ngô Quyền", "Đống Đa", "Nguyễn Du", "Chu Văn An", "Tôn Đức Thắng",
    "Võ Thị Sáu", "Đào Duy Anh", "Minh Mạng", "Tự Đức", "Phạm Văn Đồng", "Nguyễn Tất Thành",
    "Nguyễn Sinh Cung", "Lê Quý Đôn", "Trường Chinh", "Nguyễn Văn Linh", "Đặng Thai Mai",
    "Phan Bội Châu", "Hồ Đắc Di", "Mai Thúc Loan", "Đinh Tiên Hoàng", "Lê Thánh Tôn", "Yết Kiêu",
    "Chi Lăng", "Bạch Đằng", "Huỳnh Thúc Kháng", "Ngự Bình", "An Dương Vương", "Quốc lộ 1A",
    "Quốc lộ 49", "Tỉnh lộ 10", "Tỉnh lộ 4", "Đường liên xã",
)
_BRANDS = (
    "Hoa Sen", "Mộc", "Sông Hương", "Phố Cổ", "Hoài Niệm", "Bến Xưa", "Trúc Lâm", "Hạt Mưa", "Lá Me",
    "Gió Chiều", "Thiên An", "Ngự Viên", "Hoàng Cung", "Bình Minh", "Thảo Nguyên", "Hương Xưa",
    "Tím Huế", "Mây Trắng", "Sen Vàng", "Đồi Thông", "Trăng Rằm", "Cố Đô", "Xanh", "Nắng Mới",
)
_GIVEN = (
    "Lan", "Hoa", "Hằng", "Tuấn", "Hùng", "Dũng", "Mai", "Thu", "Hà", "Phương", "Nga", "Bình",
    "Tâm", "Hiền", "Linh", "Hạnh", "Nam", "Sơn", "Tài", "Lộc", "Phúc", "Ngọc", "Yến", "Trang",
)
_TITLES = ("Bà", "Cô", "Chị", "Anh", "Chú", "O", "Mệ", "Dì")
_FAMOUS = ("Nguyễn Trãi", "Lê Lợi", "Chu Văn An", "Trần Phú", "Hai Bà Trưng", "Phan Bội Châu",
           "Nguyễn Du", "Lê Quý Đôn", "Quốc Học", "Hàm Nghi", "Duy Tân", "Võ Thị Sáu")

# Per category: templates with {brand}, {person}, {place} (ward name without type), {ward}
# (ward name with type), {district} (district name without type), {famous}.
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "agency": ("UBND {ward}", "Công an {ward}", "Bưu điện {place}", "Chi cục Thuế {district}",
               "Kho bạc Nhà nước {district}", "Phòng Tài nguyên và Môi trường {district}",
               "Ngân hàng Chính sách xã hội {district}"),
    "school": ("Trường Mầm non {place}", "Trường Tiểu học {place}", "Trường THCS {famous}",
               "Trường THPT {famous}", "Trường Tiểu học {brand}"),
    "hospital": ("Trạm Y tế {ward}", "Phòng khám Đa khoa {brand}", "Bệnh viện Đa khoa {district}",
                 "Nha khoa {brand}", "Phòng khám {person}"),
    "market": ("Chợ {place}", "Chợ {brand}", "Chợ đêm {place}"),
    "supermarket": ("Siêu thị {brand}", "Siêu thị mini {place}", "Trung tâm thương mại {brand}"),
    "restaurant": ("Nhà hàng {brand}", "Nhà hàng Ẩm thực {brand}", "Quán ăn {person}",
                   "Quán bún bò {person}", "Cơm hến {person}", "Quán cơm {brand}"),
    "cafe": ("Quán cà phê {brand}", "Cà phê {brand}", "Cà phê {person}", "Quán cà phê {place}"),
    "hotel": ("Khách sạn {brand}", "Nhà nghỉ {brand}", "Homestay {brand}", "Khách sạn {place}"),
    "shop": ("Cửa hàng tạp hóa {person}", "Tiệm tóc {brand}", "Tiệm vàng {brand}",
             "Cửa hàng điện thoại {brand}", "Nhà thuốc {brand}", "Cửa hàng {person}"),
    "factory": ("Công ty TNHH {brand}", "Nhà máy {brand}", "Công ty Cổ phần Dệt may {brand}",
                "Xí nghiệp {place}"),
    "religious": ("Chùa {place}", "Chùa {brand}", "Nhà thờ {place}", "Đình làng {place}"),
    "other": ("Nhà văn hóa {place}", "Bến xe {place}", "Sân vận động {district}", "Trung tâm thể thao {brand}"),
}

_PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035",
                   "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "083",
                   "085", "088", "086", "089", "056")


def place_names(rng: np.random.Generator, count: int) -> list[str]:
    """Return ``count`` distinct two-syllable place names ("Phú Hòa", "Vinh An", ...)."""
    pairs = [f"{a} {b}" for a in _FIRST for b in _SECOND if a != b]
    if count > len(pairs):
        raise ValueError(f"at most {len(pairs)} distinct place names, {count} asked")
    order = rng.permutation(len(pairs))[:count]
    return [pairs[i] for i in order]


def venue_names(rng: np.random.Generator, categories: np.ndarray, wards: np.ndarray, places: np.ndarray,
                districts: np.ndarray) -> np.ndarray:
    """Return one plausible name per venue from its category, ward and district names."""
    n = len(categories)
    draws = rng.random((n, 4))
    names = np.empty(n, dtype=object)
    for i in range(n):
        templates = _TEMPLATES.get(categories[i], _TEMPLATES["other"])
        names[i] = templates[int(draws[i, 0] * len(templates))].format(
            brand=_BRANDS[int(draws[i, 1] * len(_BRANDS))],
            person=f"{_TITLES[int(draws[i, 2] * len(_TITLES))]} {_GIVEN[int(draws[i, 3] * len(_GIVEN))]}",
            famous=_FAMOUS[int(draws[i, 1] * len(_FAMOUS))],
            place=places[i], ward=wards[i], district=districts[i],
        )
    return names


def addresses(rng: np.random.Generator, wards: np.ndarray, districts: np.ndarray) -> np.ndarray:
    """Return "<number> <street>, <ward>, <district>" per venue."""
    numbers = np.minimum(rng.geometric(0.02, len(wards)), 999)
    streets = rng.integers(0, len(STREETS), len(wards))
    return np.array([f"{n} {STREETS[s]}, {w}, {d}"
                     for n, s, w, d in zip(numbers, streets, wards, districts, strict=True)], dtype=object)


def contacts(rng: np.random.Generator, count: int) -> np.ndarray:
    """Return owner contacts: mostly mobile numbers, some Huế landlines ("0234 3xxx xxx")."""
    mobile = rng.random(count) < 0.85
    prefix = rng.integers(0, len(_PHONE_PREFIXES), count)
    digits = rng.integers(0, 10**7, count)
    return np.array([f"{_PHONE_PREFIXES[p]}{d:07d}" if m else f"0234 3{d // 1000 % 1000:03d} {d % 1000:03d}"
                     for m, p, d in zip(mobile, prefix, digits, strict=True)], dtype=object)


def phone_pool(rng: np.random.Generator, count: int) -> pa.Array:
    """Return ``count`` distinct phone-number-like strings (the scanning population).

    Mostly ``09xxxxxxxx``/``03…``/``07…``; about 7 % written ``+849…`` and 3 % with spaces
    (``090 123 4567``), as people type them.
    """
    weights = np.array([3.0 if p.startswith("09") else 2.0 if p[:2] in ("03", "07") else 0.6
                        for p in _PHONE_PREFIXES])
    draw = int(count * 1.05) + 100
    keys = rng.choice(len(_PHONE_PREFIXES), draw, p=weights / weights.sum()) * 10**7 + rng.integers(
        0, 10**7, draw)
    keys = np.unique(keys)
    while len(keys) < count:  # pragma: no cover - only for absurd pool sizes
        keys = np.unique(np.concatenate([keys, rng.integers(0, len(_PHONE_PREFIXES) * 10**7, count)]))
    keys = keys[rng.permutation(len(keys))[:count]]
    prefix = pa.array(_PHONE_PREFIXES).take(pa.array(keys // 10**7))
    rest = pc.utf8_lpad(pc.cast(pa.array(keys % 10**7), pa.string()), 7, "0")
    plain = pc.binary_join_element_wise(prefix, rest, "")
    plus = pc.binary_join_element_wise("+84", pc.utf8_slice_codeunits(plain, 1), "")
    spaced = pc.binary_join_element_wise(
        prefix, pc.utf8_slice_codeunits(rest, 0, 3), pc.utf8_slice_codeunits(rest, 3, 7), " ")
    style = rng.random(count)
    return pc.if_else(pa.array(style < 0.07), plus, pc.if_else(pa.array(style > 0.97), spaced, plain))
