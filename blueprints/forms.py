"""Form helpers shared by every blueprint: select options, and fields for ids and whole numbers that read them
by the one rule of blueprints.params (ASCII digits, within a PostgreSQL integer), with Vietnamese messages."""

from wtforms import FieldList, IntegerField, SelectChoice, SelectField, SelectMultipleField

from blueprints.params import parse_int

INVALID_CHOICE = "Lựa chọn không hợp lệ; vui lòng chọn lại trong danh sách."
INVALID_NUMBER = "Vui lòng nhập một số nguyên không âm (chỉ gồm chữ số)."


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms 3.3 deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def select_id(value) -> int:
    """A select box's value as an id, 0 being its blank option; anything else raises ValueError (the field's
    message). Also applied to the options' own values and to the data a form is filled from."""
    number = parse_int(value)
    if number is None:
        raise ValueError(INVALID_CHOICE)
    return number


def optional_select_id(value) -> int | None:
    """Like select_id, but the blank option ("" or "0") is None."""
    if value in (None, ""):
        return None
    return select_id(value) or None


class IdSelectField(SelectField):
    """A select box of ids: a forged value ("²", 20 digits, an id not offered) gets a Vietnamese message."""

    def __init__(self, label=None, validators=None, coerce=select_id, **kwargs):
        kwargs.setdefault("invalid_value_message", INVALID_CHOICE)
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        super().__init__(label, validators, coerce=coerce, **kwargs)


class IdSelectMultipleField(SelectMultipleField):
    """Several ids from one list (ticked boxes, a multiple select), read like IdSelectField."""

    def __init__(self, label=None, validators=None, coerce=select_id, **kwargs):
        kwargs.setdefault("invalid_value_message", INVALID_CHOICE)
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        super().__init__(label, validators, coerce=coerce, **kwargs)


class RowList(FieldList):
    """FieldList whose row numbers ("indicators-3-name") are read by the same rule. WTForms' own reading takes
    "indicators-²-name" for row ² (str.isdigit) and then fails on int(); an odd row number is ignored here, as
    WTForms ignores "indicators-x-name"."""

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = parse_int(key[offset:].split(self._field_separator, 1)[0])
                if index is not None:
                    yield index


class WholeNumberField(IntegerField):
    """IntegerField that takes ASCII digits only ("１２" and "²" are refused like "abc", as are 20 digits);
    its range is the NumberRange validator's, with a Vietnamese message."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = parse_int(valuelist[0])
        if self.data is None:
            raise ValueError(self.invalid_value_message or INVALID_NUMBER)
