from rest_framework.parsers import FileUploadParser


class RawX12Parser(FileUploadParser):
    """A raw 835 request body, streamed through Django's upload handlers to a temporary
    file (never read whole into memory). A filename is optional."""

    media_type = "*/*"

    def get_filename(self, stream, media_type, parser_context):
        return super().get_filename(stream, media_type, parser_context) or "remittance.835"
