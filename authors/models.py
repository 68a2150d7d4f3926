import html
import re

from django.conf import settings
from django.db import models
from django.urls import reverse
import reversion

from healthsite import images, sanitize
from healthsite.names import Name


# The bio's HTML is written by the sanitizer (healthsite/sanitize.py), which always quotes attributes with ".
_HREF = re.compile(r'href="([^"]*)"')


def _same_address(url: str) -> str:
    """Return a link's address as compared with the others: entities decoded, without a trailing slash."""
    return html.unescape(url).strip().rstrip("/")


class Author(models.Model):
    display_name = models.CharField(max_length=120, help_text="The name readers see, e.g. “Michele Rosenthal”.")
    given_names = models.CharField(
        max_length=120, blank=True,
        help_text="All given names, as citations need them (“Michele”, “Jean-Paul”). Leave empty for an organization.",
    )
    family_name = models.CharField(
        max_length=120, blank=True,
        help_text="Family name with any particle (“van Gogh”). Leave empty for an organization.",
    )
    name_suffix = models.CharField(max_length=20, blank=True, help_text="A suffix such as “Jr.” or “III”, if any.")
    is_organization = models.BooleanField(
        default=False, help_text="Tick for an organization: citations print the display name whole."
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="The last part of the author page's address.")
    credentials = models.CharField(
        max_length=200, blank=True, help_text="Degrees and licences shown after the name, e.g. “PhD, LCSW”."
    )
    bio = models.TextField(blank=True, help_text="A short paragraph shown under each of the author's articles.")
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.ImageField(upload_to="authors/", blank=True, help_text="A square portrait works best.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="author_profile",
        help_text="The login account of this author, if they publish through the admin.",
    )
    notify_on_comments = models.BooleanField(
        default=False, help_text="Email the author (at their account's address) when a comment on their article is published.",
    )

    class Meta:
        ordering = ["family_name", "display_name"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.bio_html = sanitize.bio_html(self.bio)
        replaced = images.prepare_upload(self, "photo")
        super().save(*args, **kwargs)
        if replaced is not None:
            images.replace_renditions(old=replaced, new=self.photo.name, widths=images.PHOTO_SIZES, square=True)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def photo_sources(self) -> images.Sources | None:
        """Return the square renditions of the photo for `srcset`, or None without a photo."""
        if not self.photo:
            return None
        size = images.PHOTO_SIZES[-1]
        return images.sources(self.photo.name, images.PHOTO_SIZES, width=size, height=size)

    def photo_share_url(self) -> str:
        """Return the absolute address of the largest square photo, or ""."""
        return images.share_url(self.photo.name, images.PHOTO_SIZES) if self.photo else ""

    def links_outside_bio(self) -> list["SocialLink"]:
        """Return the social links that the bio does not link to already (uses a prefetch when there is one)."""
        in_bio = {_same_address(url) for url in _HREF.findall(self.bio_html)}
        return [link for link in self.social_links.all() if _same_address(link.url) not in in_bio]

    def citation_name(self) -> Name:
        """Return the author as citations see them."""
        if self.is_organization or not self.family_name:
            return Name(literal=self.display_name)
        return Name(family=self.family_name, given=self.given_names, suffix=self.name_suffix)


class SocialLink(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="social_links")
    label = models.CharField(max_length=40, help_text="What readers see, e.g. “LinkedIn” or “Website”.")
    url = models.URLField(help_text="The full address, starting with https://.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Links are listed by this number, lowest first.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.author}: {self.label}"

    def get_absolute_url(self):
        return self.url


# Every admin save of a profile (its bio) is a revision of it with its links.
reversion.register(SocialLink)
reversion.register(Author, follow=["social_links"])
