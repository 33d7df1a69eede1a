package dev.keyturn.server.checkin;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class RequestLimitsPostgresTest extends RequestLimitsTests {}
