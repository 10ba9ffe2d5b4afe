"""What knox does not keep about an API token: its owner's name for it and when it was last
used. Knox's ``AuthToken`` holds the hash (its primary key), the key prefix, the owner and
the expiry; the token itself is never stored."""

from django.db import models
from knox.models import AuthToken


class TokenLabel(models.Model):
    token = models.OneToOneField(AuthToken, on_delete=models.CASCADE, related_name="label")
    name = models.CharField(max_length=100, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token label"

    def __str__(self):
        return self.name or self.token.token_key
