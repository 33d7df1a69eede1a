package dev.keyturn.server.license;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class LicensePostgresTest extends LicenseTests {}
