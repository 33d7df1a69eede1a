package dev.keyturn.server.security;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class StaffRevocationPostgresTest extends StaffRevocationTests {}
