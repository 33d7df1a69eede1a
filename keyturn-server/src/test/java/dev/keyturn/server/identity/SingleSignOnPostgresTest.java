package dev.keyturn.server.identity;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class SingleSignOnPostgresTest extends SingleSignOnTests {}
