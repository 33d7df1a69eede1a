package dev.keyturn.server.console;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class DashboardQueryPostgresTest extends DashboardQueryTests {}
