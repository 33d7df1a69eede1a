package dev.keyturn.server.lifecycle;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class SchedulerTimeZonePostgresTest extends SchedulerTimeZoneTests {}
