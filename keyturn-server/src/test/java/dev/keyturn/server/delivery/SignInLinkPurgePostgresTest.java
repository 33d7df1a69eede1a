package dev.keyturn.server.delivery;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class SignInLinkPurgePostgresTest extends SignInLinkPurgeTests {}
