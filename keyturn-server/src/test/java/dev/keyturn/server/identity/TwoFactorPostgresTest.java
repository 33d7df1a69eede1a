package dev.keyturn.server.identity;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class TwoFactorPostgresTest extends TwoFactorTests {}
