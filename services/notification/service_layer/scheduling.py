"""The scheduler's tick: reminders due today (Vietnam time), each claimed once by its unique key."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import sqlalchemy as sa

from services.notification.adapters import progress as calendar_repo
from services.notification.adapters import repository as repo
from services.notification.domain.notification import reminder_draft
from services.notification.domain.reminders import Progress, Reminder, reminders_due
from services.notification.service_layer.records import Parts, make_record
from shared.persistence.event_store import Context

log = logging.getLogger(__name__)


@dataclass
class Scheduler:
    engine: sa.Engine
    parts: Parts

    def tick(self) -> list[Reminder]:
        """Record every reminder due now that nobody recorded before; return the new ones."""
        today = self.parts.clock.today_vn()
        with self.engine.connect() as conn:
            lag = calendar_repo.consumer_lag(conn)
            if lag:
                # Not yet read: maybe the very registration or dossier a reminder would ask for.
                log.warning("scheduler: consumer %d record(s) behind; reminders wait", lag)
                return []
            units = {u.unit_id: u for u in repo.all_recipients(conn)}
            years = calendar_repo.calendars(conn)
            progress = {c.year: calendar_repo.progress_of_year(conn, c.year) for c in years}
        made = []
        for calendar in years:
            known = progress[calendar.year]
            listed = [known.get(u) or Progress(u, calendar.year) for u in units]
            offsets = self.parts.mail.reminder_offsets_days
            for reminder in reminders_due(today, calendar, listed, offsets):
                if self._claim(reminder, units[reminder.unit_id]):
                    made.append(reminder)
        return made

    def run(self, stop: threading.Event) -> None:
        # The first tick comes one interval after start: a process (re)started in the middle of
        # a burst of steps does not race the consumer that is still reading them.
        while not stop.wait(self.parts.mail.scheduler_interval_s):
            try:
                made = self.tick()
                if made:
                    log.info("scheduler: %d reminder(s) recorded", len(made))
            except sa.exc.OperationalError as err:
                log.warning("scheduler: database unavailable, will retry: %s", err)

    def _claim(self, reminder: Reminder, unit) -> bool:
        """The record's unique reminder_key is the claim: a second scheduler's insert fails."""
        try:
            with self.engine.begin() as conn:
                draft = reminder_draft(reminder, unit)
                return make_record(
                    conn, self.parts, draft, Context.system("notification-scheduler")
                )
        except sa.exc.IntegrityError:
            return False
