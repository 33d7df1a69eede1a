"""The design Keyturn replaces: a daily task that loads every license and mails inline.

Run once a day (cron). For every license it works out the days left; on D-30, D-15, D-7 and D-1 it
sends the reminder, on the day of expiry the expiry notice, on the day grace ends the lock notice:
the same stages and the same mail (text, HTML, calendar attachment, List-Unsubscribe) as Keyturn's.
Each mail is sent with EmailMessage.send(), one SMTP connection per mail, as send_mail() does.
"""
import json
import time
from datetime import date, datetime, timedelta, timezone

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string

from renewals.models import License

REMINDERS = (30, 15, 7, 1)


def ics(stamp, lic, name):
    def fmt(t):
        return t.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    def esc(s):
        return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Keyturn//License server//EN", "METHOD:PUBLISH"]
    for uid, at, summary, desc in (
        (lic.id + "-expiry@keyturn", lic.expires_at, name + " license expires",
         "License " + lic.id + " expires; grace starts."),
        (lic.id + "-lock@keyturn", lic.locks_at, name + " grace ends",
         "Without a renewed license the product is locked."),
    ):
        lines += ["BEGIN:VEVENT", "UID:" + esc(uid), "DTSTAMP:" + fmt(stamp), "DTSTART:" + fmt(at),
                  "DTEND:" + fmt(at + timedelta(minutes=30)), "SUMMARY:" + esc(summary),
                  "DESCRIPTION:" + esc(desc), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(line[:75] + "\r\n" for line in lines)


class Command(BaseCommand):
    help = "Send today's renewal reminders, expiry and lock notices."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to act for (YYYY-MM-DD, UTC); default today")

    def handle(self, *args, **options):
        today = date.fromisoformat(options["today"]) if options["today"] else date.today()
        stamp = datetime.combine(today, datetime.min.time(), tzinfo=timezone.utc)
        start, cpu0 = time.perf_counter(), time.process_time()
        loaded = sent = 0
        for lic in License.objects.select_related("subscription").all():
            loaded += 1
            days = (lic.expires_at.astimezone(timezone.utc).date() - today).days
            if days in REMINDERS:
                template, subject = "expiring", "Your %s license expires in %d day(s)"
            elif days == 0:
                template, subject = "expired", "Your %s license has expired: %d days of grace"
            elif lic.locks_at.astimezone(timezone.utc).date() == today:
                template, subject = "locked", "Your %s product is locked"
            else:
                continue
            sub = lic.subscription
            name = sub.display_name
            context = {
                "customer": name, "subscription_id": sub.id, "license_id": lic.id,
                "expires_at": lic.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
                "locks_at": lic.locks_at.strftime("%Y-%m-%d %H:%M UTC"),
                "grace_days": lic.grace_days, "grace_mode": lic.grace_mode, "lock_action": "locked",
                "days_left": days, "portal_url": None, "customer_portal_url": settings.PORTAL_URL,
            }
            text = render_to_string("renewals/%s.txt" % template, context)
            html = render_to_string("renewals/%s.html" % template, context)
            subject = subject % ((name, days) if template == "expiring" else (name, lic.grace_days)
                                 if template == "expired" else (name,))
            recipients = list(dict.fromkeys(json.loads(sub.admin_emails) + json.loads(sub.billing_emails)))
            for to in recipients:
                mail = EmailMultiAlternatives(
                    subject, text, settings.DEFAULT_FROM_EMAIL, [to],
                    headers={"List-Unsubscribe": "<mailto:%s?subject=mute%%20early%%20reminders%%20%s>"
                             % (settings.DEFAULT_FROM_EMAIL, sub.id)})
                mail.attach_alternative(html, "text/html")
                mail.attach("license-dates.ics", ics(stamp, lic, name), "text/calendar")
                mail.send()
                sent += 1
        self.stdout.write(json.dumps({
            "licenses": loaded, "mails": sent, "seconds": round(time.perf_counter() - start, 3),
            "cpu_seconds": round(time.process_time() - cpu0, 3)}))
