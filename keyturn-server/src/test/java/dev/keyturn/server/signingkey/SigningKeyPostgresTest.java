package dev.keyturn.server.signingkey;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class SigningKeyPostgresTest extends SigningKeyTests {}
