package dev.keyturn.server.billing;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class BillingPostgresTest extends BillingTests {}
