package dev.keyturn.server.portal;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class ClientAddressPostgresTest extends ClientAddressTests {}
