"""Vietnamese alphabetical order."""

from inspector.core.text import clean, clean_text, fold, normalise_code, sort_key, words


def test_vietnamese_letters_sort_in_alphabet_order():
    names = ["Xã Xuân Mậu", "Xã Đông Điền", "Xã Dương Hòa", "Xã Ân Hòa", "Xã Ăn Khê", "Xã An Phú",
             "Phường Ơn", "Phường Ông Ích", "Phường Ong", "Xã Ưu Điềm", "Xã Uy Nỗ", "Xã Ê Đê", "Xã Eo Gió"]
    assert sorted(names, key=sort_key) == [
        "Phường Ong", "Phường Ông Ích", "Phường Ơn", "Xã An Phú", "Xã Ăn Khê", "Xã Ân Hòa", "Xã Dương Hòa",
        "Xã Đông Điền", "Xã Eo Gió", "Xã Ê Đê", "Xã Uy Nỗ", "Xã Ưu Điềm", "Xã Xuân Mậu"]


def test_tones_and_case_only_break_ties():
    assert sorted(["ạ", "á", "ã", "ả", "à", "a"], key=sort_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert sorted(["Bá", "ba", "Ba", "bà", "bac"], key=sort_key) == ["ba", "Ba", "bà", "Bá", "bac"]
    assert sorted(["Hòa", "Hoàn", "Hóa"], key=sort_key) == ["Hòa", "Hóa", "Hoàn"]


def test_forms_and_look_alikes_sort_together():
    assert sort_key("Ðông") == sort_key("Đông")  # Icelandic eth typed for D-stroke
    assert sort_key("Hoa\u0300") == sort_key("Hoà")  # decomposed
    assert sorted(["Xã 2", "Xã 10", "Xã A"], key=sort_key)[-1] == "Xã A"


def test_free_text_keeps_its_line_breaks_tidied_and_one_line_text_does_not():
    text = "  Quán  không treo mã \r\n\r\n\r\n\tNhân viên\rkhông nhắc\u2028khách  \n\n"
    assert clean_text(text) == "Quán không treo mã\n\nNhân viên\nkhông nhắc\nkhách"
    assert clean(text) == "Quán không treo mã Nhân viên không nhắc khách"
    assert clean_text("Ðông Ba") == "Đông Ba" and clean_text(None) == ""


def test_invisible_characters_do_not_make_equal_ids_differ():
    assert clean("V\u200b001\ufeff") == "V001" == clean("\x00V001\x07")
    assert clean_text("dòng một\x00\ndòng\u200b hai") == "dòng một\ndòng hai"
    assert clean("Quét mã\x0bthì\x1fđược") == "Quét mã thì được"  # controls that are spaces stay spaces


def test_admin_codes_are_canonical_whatever_their_zeros():
    assert normalise_code("019750", 5) == normalise_code(19750.0, 5) == "19750"
    assert normalise_code("0474", 3) == "474" and normalise_code("46", 3) == "046"
    assert normalise_code("046", 2) == "46" and normalise_code("0", 2) == "00"
    assert normalise_code("0474") == "0474"  # no width: digits as written (venue ids)


def test_fold_drops_case_accents_forms_look_alikes_and_punctuation_as_words_does():
    samples = ["Tên cơ sở", "TEN_CO_SO", "Te\u0302n co\u031b so\u031b\u0309", "Ðông Ba – Ɖà\u200bNẵng",
               "Quán  \"Góc Phố\" <Bar> & Cà phê", "Café crème n\u0303 ǅ ﬁ", "0901 234 567",
               "", None, 474.0, "\ufeffV901\x00"]
    assert [fold(s) for s in samples[:5]] == ["tencoso", "tencoso", "tencoso", "dongbadanang", "quangocphobarcaphe"]
    assert [fold(s) for s in samples] == ["".join(words(s)) for s in samples]


def test_spreadsheet_cells_are_neutralised_and_cut_to_what_a_cell_holds():
    from inspector.core.text import SPREADSHEET_CELL_LIMIT, spreadsheet_safe

    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_safe("-16.5") == "-16.5" and spreadsheet_safe(7) == 7
    cut = spreadsheet_safe("=" + "x" * 40_000)
    assert len(cut) == SPREADSHEET_CELL_LIMIT == 32_767 and cut.startswith("'=x") and cut.endswith("x…")
    assert spreadsheet_safe("y" * 32_767) == "y" * 32_767  # as long as a cell holds: whole
