"""Free text read as vocabulary codes (report kinds, categories, statuses)."""

import pandas as pd

from inspector.core import vocab


def test_report_kinds_read_as_codes_each_distinct_spelling_once(monkeypatch):
    vocab.to_codes("report_kind", pd.Series(["khác"]), "other")  # the vocabulary itself is read once, before
    folded = []
    fold = vocab.fold
    monkeypatch.setattr(vocab, "fold", lambda value: folded.append(value) or fold(value))
    values = pd.Series(["Không có mã QR", "", "KHONG CO MA QR!", "chuyện lạ", None] * 10_000, dtype=object)
    codes, known = vocab.to_codes("report_kind", values, "other")
    assert codes[:5].tolist() == ["no_board", "other", "no_board", "other", "other"]
    assert known[:5].tolist() == [True, True, True, False, True]  # empty and missing: the default, as meant
    assert (codes.reshape(-1, 5) == codes[:5]).all() and (known.reshape(-1, 5) == known[:5]).all()
    assert len(folded) == 5  # 50,000 cells, five spellings: a 50,000-row file is not read cell by cell


def test_a_search_names_the_categories_it_spells_with_or_without_accents():
    matching = vocab.categories_matching
    assert matching("ca phe") == matching("Cafe") == matching("CÀ PHÊ") == {"cafe"}
    assert matching("quán") == {"cafe", "restaurant"}  # the start of several names
    assert matching("chợ") == {"market"}
    assert matching("an") == set() and matching("") == set()  # short: whole names only
