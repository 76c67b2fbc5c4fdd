class UnicodeSlugConverter:
    """A slug that keeps Arabic letters: letters, digits, marks, `-` and `_`."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
