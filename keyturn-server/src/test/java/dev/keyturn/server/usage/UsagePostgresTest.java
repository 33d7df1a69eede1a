package dev.keyturn.server.usage;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class UsagePostgresTest extends UsageTests {}
