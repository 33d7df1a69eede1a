package dev.keyturn.server.console;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class ConsoleFormsPostgresTest extends ConsoleFormsTests {}
