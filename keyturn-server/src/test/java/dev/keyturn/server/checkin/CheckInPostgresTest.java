package dev.keyturn.server.checkin;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class CheckInPostgresTest extends CheckInTests {}
