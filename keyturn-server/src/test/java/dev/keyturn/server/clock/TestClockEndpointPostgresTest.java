package dev.keyturn.server.clock;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class TestClockEndpointPostgresTest extends TestClockEndpointTests {}
