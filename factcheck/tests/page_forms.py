"""Reading forms out of a page the way a browser submits them."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """What a browser would submit from each form of a page (submit buttons left out), by form id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = self.forms.setdefault(attrs.get("id", f"form-{len(self.forms)}"), {})
        elif self.form is None:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.form[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs["name"]
            self.form[self.select] = None
        elif tag == "option" and self.select:
            if self.form[self.select] is None or "selected" in attrs:
                self.form[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.form[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            # A browser drops the newline that opens a textarea.
            self.form[self.textarea] += data.removeprefix("\n") if not self.form[self.textarea] else data
