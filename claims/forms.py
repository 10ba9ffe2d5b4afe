from django import forms

from .models import PayerAlias

MAX_CSV_BYTES = 10 * 1024 * 1024


class FeedUploadForm(forms.Form):
    file = forms.FileField(help_text="A CSV file, UTF-8, with a header row (see below).")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; split it.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not UTF-8 text.") from exc


class PayerAliasForm(forms.ModelForm):
    class Meta:
        model = PayerAlias
        fields = PayerAlias.EDITABLE_FIELDS

    def clean_identifier(self):
        value = self.cleaned_data["identifier"].strip().upper()
        taken = PayerAlias.objects.filter(identifier=value).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("An alias for this payer id exists already.")
        return value
