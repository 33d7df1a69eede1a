package dev.keyturn.server.portal;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class UsagePagesPostgresTest extends UsagePagesTests {}
