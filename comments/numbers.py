"""The moderation desk in figures: the queue now, the last 30 days, and a chart of them drawn as SVG.

Times to a decision come from the moderation log: for each comment, its first decision by a
moderator (approve, reject or spam) against the posting time the log keeps, so they hold after
the comment is deleted. Every figure is one query; days are days in the site's time zone.
"""

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Comment, ModerationEvent

DAYS = 30
Action = ModerationEvent.Action


@dataclass
class Times:
    """Median and 95th percentile of the times from posting to decision, in seconds."""

    count: int = 0
    median: float | None = None
    p95: float | None = None


@dataclass
class Day:
    day: date
    posted: int = 0
    decided: int = 0


@dataclass
class ModeratorActs:
    name: str
    total: int = 0
    by_action: dict = field(default_factory=dict)

    @property
    def other(self) -> int:
        """Acts other than decisions: replies, removals, handled crisis comments, dismissed reports."""
        return self.total - sum(self.by_action.get(action, 0) for action in ModerationEvent.DECISIONS)


def percentile(values: list[float], p: float) -> float | None:
    """Return the nearest-rank percentile (the smallest value with p% of them at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def times(durations: list[float]) -> Times:
    if not durations:
        return Times()
    return Times(count=len(durations), median=statistics.median(durations), p95=percentile(durations, 95))


def duration(seconds: float | None) -> str:
    """Return a duration as people read it: '45 s', '12 min', '3 h 5 min', '2 d 4 h'."""
    if seconds is None:
        return "none yet"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def window(now=None) -> tuple[date, datetime]:
    """Return the first of the last DAYS days (today included) and the moment it began, in the site's time zone."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=DAYS - 1)
    return first, timezone.make_aware(datetime.combine(first, time.min))


def summary(now=None) -> dict:
    """Return every figure of the numbers page."""
    now = now or timezone.now()
    first, start = window(now)
    tz = timezone.get_current_timezone()
    queue = Comment.objects.pending().aggregate(total=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))

    days = {first + timedelta(days=n): Day(first + timedelta(days=n)) for n in range(DAYS)}
    posted = (Comment.objects.filter(created_at__gte=start, created_at__lte=now)
              .annotate(day=TruncDate("created_at", tzinfo=tz)).values("day").annotate(n=Count("pk")).order_by())
    for row in posted:
        if row["day"] in days:
            days[row["day"]].posted = row["n"]
    acts = ModerationEvent.objects.by_moderators().filter(created_at__gte=start, created_at__lte=now)
    decided = (acts.decisions().annotate(day=TruncDate("created_at", tzinfo=tz)).values("day")
               .annotate(n=Count("pk")).order_by())
    for row in decided:
        if row["day"] in days:
            days[row["day"]].decided = row["n"]

    earlier = ModerationEvent.objects.decisions().filter(comment_pk=OuterRef("comment_pk"),
                                                         created_at__lt=OuterRef("created_at"))
    firsts = (acts.decisions().filter(comment_posted_at__isnull=False).exclude(Exists(earlier))
              .values_list("comment_urgent", "comment_posted_at", "created_at"))
    waits: dict[bool, list[float]] = {True: [], False: []}
    for urgent, posted_at, decided_at in firsts:
        waits[urgent].append(max(0.0, (decided_at - posted_at).total_seconds()))

    urgent, normal = times(waits[True]), times(waits[False])
    moderators: dict[int, ModeratorActs] = {}
    for row in acts.values("moderator_pk", "action").annotate(n=Count("pk"), name=Max("moderator_name")).order_by():
        entry = moderators.setdefault(row["moderator_pk"], ModeratorActs(name=row["name"]))
        entry.by_action[row["action"]] = row["n"]
        entry.total += row["n"]
    return {
        "queue_total": queue["total"],
        "queue_urgent": queue["urgent"],
        "days": list(days.values()),
        "posted_total": sum(day.posted for day in days.values()),
        "urgent_times": urgent,
        "normal_times": normal,
        # (label, element id, figures) for the page
        "time_rows": [("urgent", "urgent-median", urgent), ("others", "normal-median", normal)],
        "moderators": sorted(moderators.values(), key=lambda m: (-m.total, m.name)),
        "first_day": first,
    }


# The chart: posted and decided per day, as bars side by side.
_WIDTH, _HEIGHT = 720, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 14, 40
_POSTED, _DECIDED = "#2f6f73", "#b4541c"


def chart(days: list[Day]) -> SafeString:
    """Return an SVG bar chart of comments posted and decided per day (no script; labelled for screen readers)."""
    top = _nice_top(max([1] + [max(day.posted, day.decided) for day in days]))
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    slot = plot_w / max(1, len(days))
    bar = max(1.0, slot * 0.38)
    first, last = (days[0].day, days[-1].day) if days else (None, None)
    out = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet" font-family="system-ui, sans-serif">',
        f'<title id="chart-title">Comments posted and decided per day, {_day(first)} to {_day(last)}</title>',
        f'<desc id="chart-desc">{sum(d.posted for d in days)} comments posted and {sum(d.decided for d in days)} '
        'decided by moderators; the table below gives each day.</desc>',
    ]
    for tick in (0, top // 2, top) if top % 2 == 0 else (0, top):
        y = _TOP + plot_h - plot_h * tick / top
        out.append(f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d6d2c8"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#46525a">{tick}</text>')
    for index, day in enumerate(days):
        x = _LEFT + index * slot + (slot - 2 * bar) / 2
        for offset, value, colour, what in ((0, day.posted, _POSTED, "posted"), (bar, day.decided, _DECIDED, "decided")):
            height = plot_h * value / top
            out.append(f'<rect x="{x + offset:.1f}" y="{_TOP + plot_h - height:.1f}" width="{bar:.1f}" '
                       f'height="{height:.1f}" fill="{colour}"><title>{_day(day.day)}: {value} {what}</title></rect>')
        if index % 5 == 0 or index == len(days) - 1:
            out.append(f'<text x="{x + bar:.1f}" y="{_HEIGHT - _BOTTOM + 16}" text-anchor="middle" font-size="12" '
                       f'fill="#46525a">{escape(day.day.strftime("%b %-d"))}</text>')
    legend_y = _HEIGHT - 8
    out.append(f'<rect x="{_LEFT}" y="{legend_y - 10}" width="12" height="12" fill="{_POSTED}"/>'
               f'<text x="{_LEFT + 18}" y="{legend_y}" font-size="12" fill="#1f2a30">posted</text>'
               f'<rect x="{_LEFT + 90}" y="{legend_y - 10}" width="12" height="12" fill="{_DECIDED}"/>'
               f'<text x="{_LEFT + 108}" y="{legend_y}" font-size="12" fill="#1f2a30">decided by moderators</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def _nice_top(value: int) -> int:
    """Return the smallest of 1, 2, 5, 10, 20, 50, 100 ... at or above the value."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _day(day: date | None) -> str:
    return escape(day.strftime("%B %-d, %Y")) if day else ""
