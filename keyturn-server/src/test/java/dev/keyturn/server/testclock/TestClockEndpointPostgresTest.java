package dev.keyturn.server.testclock;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class TestClockEndpointPostgresTest extends TestClockEndpointTests {}
