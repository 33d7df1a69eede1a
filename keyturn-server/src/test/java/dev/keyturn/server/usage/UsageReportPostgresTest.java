package dev.keyturn.server.usage;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class UsageReportPostgresTest extends UsageReportTests {}
